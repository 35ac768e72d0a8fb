import { createHash } from 'crypto';
import * as kplus from 'cdk8s-plus-27';
import { Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The pod-template annotation that changes whenever a mounted ConfigMap changes. */
export const CONFIG_CHECKSUM_ANNOTATION = 'cdk8s-workloads/config-checksum';

/**
 * Rolls the workload's pods when its configuration changes: a checksum of every ConfigMap in the
 * subtree of `scope` goes on the pod template, so changing a setting or a script changes the
 * template and the controller replaces the pods in its own order (StatefulSet ordinals, DaemonSet
 * maxUnavailable). Without it new settings apply at some random later restart. Computed at synth,
 * so data added after construction (`configMap.addData`) counts too. No ConfigMap, no annotation.
 */
export function rollOnConfigChange(workload: kplus.Workload, scope: IConstruct): void {
  const configMaps = () => scope.node.findAll().filter((c): c is kplus.ConfigMap => c instanceof kplus.ConfigMap);
  workload.podMetadata.addAnnotation(CONFIG_CHECKSUM_ANNOTATION, Lazy.any({
    produce: () => {
      const found = configMaps();
      if (found.length === 0) return undefined;
      const hash = createHash('sha256');
      for (const configMap of found.sort((a, b) => a.name.localeCompare(b.name))) {
        hash.update(`${configMap.name}\0`);
        for (const [key, value] of Object.entries({ ...configMap.data, ...configMap.binaryData }).sort(([a], [b]) => a.localeCompare(b))) hash.update(`${key}\0${value}\0`);
      }
      return hash.digest('hex');
    },
  }) as unknown as string);
}

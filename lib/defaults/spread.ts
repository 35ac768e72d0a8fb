import * as kplus from 'cdk8s-plus-27';
import { setAffinity, setTopologySpreadConstraints } from '../kube/pod';

/** Well-known topology keys. */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

/**
 * Spreads replicas across nodes and zones without ever leaving a pod Pending: soft (preferred)
 * anti-affinity on the hostname and a zone spread that is ScheduleAnyway. Hard rules would keep
 * replicas unschedulable on small or single-zone clusters.
 */
export function spreadAcrossNodesAndZones(owner: kplus.AbstractPod, selectorLabels: Record<string, string>): void {
  const labelSelector = { matchLabels: { ...selectorLabels } };
  setAffinity(owner, {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { topologyKey: HOSTNAME_TOPOLOGY_KEY, labelSelector } },
      ],
    },
  });
  setTopologySpreadConstraints(owner, [
    { maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ]);
}

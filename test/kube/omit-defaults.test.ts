/** The library leaves out fields equal to the Kubernetes defaults that cdk8s-plus-27 always writes. */
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BatchJob, JobPattern, PostgresCluster, testing } from '../../lib';

const { Harness } = testing;

describe('omitKubernetesDefaults', () => {
  const chart = Testing.chart();
  new PostgresCluster(chart, 'orders-db', { replicas: 3 });
  new BatchJob(chart, 'report', { name: 'report', image: 'busybox:1.36', pattern: JobPattern.singleRun() });
  // A user's own cdk8s-plus object in the same chart is left as cdk8s-plus writes it.
  new kplus.ConfigMap(chart, 'mine', { metadata: { name: 'mine' }, data: { a: 'b' } });
  const manifests = Harness.synthValid(chart, { restricted: true });
  const find = (kind: string, name: string) => Harness.findManifest(manifests, kind, name);

  test('StatefulSet and pod: no minReadySeconds 0, dnsPolicy ClusterFirst, hostNetwork/setHostnameAsFQDN false, restartPolicy Always, privileged false, emptyDir medium ""', () => {
    const sts = find('StatefulSet', 'orders-db');
    expect(sts.spec).not.toHaveProperty('minReadySeconds');
    const pod = sts.spec.template.spec;
    for (const field of ['dnsPolicy', 'hostNetwork', 'setHostnameAsFQDN', 'restartPolicy']) expect(pod).not.toHaveProperty(field);
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.securityContext).not.toHaveProperty('privileged');
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
    expect(pod.volumes.find((v: { name: string }) => v.name === 'tmp').emptyDir).toEqual({});
    expect(pod.volumes.find((v: { name: string }) => v.name === 'shm').emptyDir).toEqual({ medium: 'Memory', sizeLimit: '512Mi' });
  });
  test('kept on purpose: the StatefulSet policies and the probe timings', () => {
    const sts = find('StatefulSet', 'orders-db');
    expect(sts.spec).toMatchObject({ podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } });
    expect(sts.spec.template.spec.containers[0].readinessProbe).toMatchObject({ failureThreshold: 3, periodSeconds: 10 });
  });
  test('Services without externalIPs [] and type ClusterIP; ConfigMaps without immutable false; the headless Service keeps clusterIP None', () => {
    for (const name of ['orders-db-primary', 'orders-db-read', 'orders-db-hl']) {
      const spec = find('Service', name).spec;
      expect(spec).not.toHaveProperty('externalIPs');
      expect(spec).not.toHaveProperty('type');
    }
    expect(find('Service', 'orders-db-hl').spec.clusterIP).toBe('None');
    expect(find('ConfigMap', 'orders-db-scripts')).not.toHaveProperty('immutable');
    expect(find('ConfigMap', 'mine').immutable).toBe(false);
  });
  test('a Job pod keeps its restartPolicy (Never)', () => {
    expect(find('Job', 'report').spec.template.spec.restartPolicy).toBe('Never');
  });
  test('a value the user patched in that differs from the default stays', () => {
    const c = Testing.chart();
    const db = new PostgresCluster(c, 'orders-db', { replicas: 1 });
    ApiObject.of(db.statefulSet).addJsonPatch(JsonPatch.replace('/spec/template/spec/dnsPolicy', 'ClusterFirstWithHostNet'));
    const sts = Harness.findManifest(Harness.synthValid(c, { restricted: true }), 'StatefulSet', 'orders-db');
    expect(sts.spec.template.spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
  });
});

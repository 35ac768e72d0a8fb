/** Changing a setting or a script changes the pod template, so the controller rolls the pods. */
import { Chart, Testing } from 'cdk8s';
import { LogCollectorDaemon, NodeExporterDaemon, PostgresCluster, RedisCluster } from '../../lib';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../lib/defaults/rollout';
import { findManifest } from '../../lib/testing/validate';

const checksum = (chart: Chart, kind: string, name: string): string | undefined =>
  findManifest(Testing.synth(chart), kind, name).spec.template.metadata.annotations?.[CONFIG_CHECKSUM_ANNOTATION];

describe('a checksum of the mounted ConfigMaps on the pod template', () => {
  test('a database: same settings same checksum; one changed setting changes it', () => {
    const build = (maxConnections: number) => {
      const chart = Testing.chart();
      new PostgresCluster(chart, 'orders-db', { settings: { maxConnections } });
      return checksum(chart, 'StatefulSet', 'orders-db');
    };
    expect(build(100)).toMatch(/^[0-9a-f]{64}$/);
    expect(build(100)).toBe(build(100));
    expect(build(200)).not.toBe(build(100));
  });
  test('data added to a ConfigMap after construction counts (computed at synth)', () => {
    const chart = Testing.chart();
    const cache = new RedisCluster(chart, 'cache');
    const before = checksum(chart, 'StatefulSet', 'cache');
    cache.scriptsConfigMap.addData('extra.sh', 'echo hi\n');
    expect(checksum(chart, 'StatefulSet', 'cache')).not.toBe(before);
  });
  test('a node agent rolls when its pipeline configuration changes', () => {
    const build = (port: number) => {
      const chart = new Chart(Testing.app(), 'agents');
      new LogCollectorDaemon(chart, 'fluent-bit', { elasticsearch: { host: 'es', port } });
      return checksum(chart, 'DaemonSet', 'fluent-bit');
    };
    expect(build(9200)).toMatch(/^[0-9a-f]{64}$/);
    expect(build(9201)).not.toBe(build(9200));
  });
  test('a workload without ConfigMaps gets no annotation', () => {
    const chart = Testing.chart();
    new NodeExporterDaemon(chart, 'node-exporter');
    expect(checksum(chart, 'DaemonSet', 'node-exporter')).toBeUndefined();
  });
});

/**
 * Library workloads used where cdk8s-plus takes a workload as a selector or peer must select the
 * stable app.kubernetes.io labels their pods carry, never the construct-path label we remove.
 * (StatefulSets have no exposeViaService in cdk8s-plus-27; Services cover it.)
 */
import * as kplus from 'cdk8s-plus-27';
import { Testing } from 'cdk8s';
import { BatchJob, JobPattern, PostgresCluster } from '../../lib';
import { testing } from '../../lib';

const STABLE = { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'orders-db', 'app.kubernetes.io/component': 'database' };

function setup() {
  const chart = Testing.chart();
  const db = new PostgresCluster(chart, 'orders-db');
  return { chart, db };
}
const find = (chart: ReturnType<typeof Testing.chart>, kind: string, name: string) => testing.Harness.findManifest(testing.Harness.synthValid(chart), kind, name);

describe('cdk8s-plus selector APIs select the stable labels of library workloads', () => {
  test('every selector the workload reports matches its pod template labels', () => {
    const { chart, db } = setup();
    const config = db.statefulSet.toPodSelectorConfig();
    expect(config.labelSelector._toKube().matchLabels).toEqual(STABLE);
    const podLabels = find(chart, 'StatefulSet', 'orders-db').spec.template.metadata.labels;
    for (const [key, value] of Object.entries(STABLE)) expect(podLabels[key]).toBe(value);
    expect(JSON.stringify(podLabels)).not.toContain('cdk8s.io/metadata.addr');
  });
  test('a Service with `selector: db.statefulSet` selects the database pods', () => {
    const { chart, db } = setup();
    new kplus.Service(chart, 'postgres', { metadata: { name: 'postgres' }, selector: db.statefulSet, ports: [{ port: 5432 }] });
    expect(find(chart, 'Service', 'postgres').spec.selector).toEqual(STABLE);
  });
  test('connections.allowFrom and NetworkPolicy peers select the stable labels', () => {
    const { chart, db } = setup();
    const app = new kplus.Deployment(chart, 'app', { containers: [{ image: 'nginx:1.27', portNumber: 80 }] });
    db.statefulSet.connections.allowFrom(app, { ports: [kplus.NetworkPolicyPort.tcp(5432)] });
    const manifests = testing.Harness.synthValid(chart);
    const policies = manifests.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name !== 'orders-db');
    const selectors = policies.map((p) => p.spec.podSelector.matchLabels);
    expect(selectors).toContainEqual(STABLE);
    const appPolicy = new kplus.NetworkPolicy(chart, 'from-db', { selector: app, egress: { rules: [{ peer: db.statefulSet }] } });
    expect(appPolicy).toBeDefined();
    const egressPeers = testing.Harness.findManifest(Testing.synth(chart), 'NetworkPolicy', appPolicy.name).spec.egress[0].to;
    expect(egressPeers).toContainEqual(expect.objectContaining({ podSelector: { matchLabels: STABLE } }));
  });
  test('pod affinity helpers select the stable labels', () => {
    const { chart, db } = setup();
    const app = new kplus.Deployment(chart, 'app', { containers: [{ image: 'nginx:1.27', portNumber: 80 }] });
    app.scheduling.colocate(db.statefulSet);
    const affinity = testing.Harness.findManifest(Testing.synth(chart), 'Deployment', app.name).spec.template.spec.affinity;
    expect(affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector).toEqual({ matchLabels: STABLE });
  });
  test('a BatchJob selected by a Service selects its pods by their stable labels', () => {
    const chart = Testing.chart();
    const job = new BatchJob(chart, 'work', { name: 'work', image: 'busybox:1.36', pattern: JobPattern.singleRun() });
    new kplus.Service(chart, 'svc', { metadata: { name: 'svc' }, selector: job.job, ports: [{ port: 80 }] });
    const selector = find(chart, 'Service', 'svc').spec.selector;
    const podLabels = find(chart, 'Job', 'work').spec.template.metadata.labels;
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(selector)) expect(podLabels[key]).toBe(value);
  });
});

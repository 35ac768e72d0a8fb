/** The operations files of the examples: fresh, complete, and consistent with each other. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Size, Testing, Yaml } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { Capacity, PostgresCluster, testing } from '../../lib';

const dist = path.resolve(__dirname, '..', '..', 'dist');
const OPS = /\.(RUNBOOK\.md|capacity\.json|prometheusrules\.yaml|podmonitors\.yaml)$/;

test('dist/ operations files match a fresh synth', () => {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-'));
  buildExamples(fresh).synth();
  const files = fs.readdirSync(fresh).filter((f) => OPS.test(f)).sort();
  expect(files).toContain('databases.RUNBOOK.md');
  expect(fs.readdirSync(dist).filter((f) => OPS.test(f)).sort()).toEqual(files);
  for (const f of files) expect({ f, text: fs.readFileSync(path.join(dist, f), 'utf8') }).toEqual({ f, text: fs.readFileSync(path.join(fresh, f), 'utf8') });
});

test('every runbook_url points to an anchor of its chart\'s runbook', () => {
  for (const f of fs.readdirSync(dist).filter((x) => x.endsWith('.prometheusrules.yaml'))) {
    for (const rule of Yaml.load(path.join(dist, f))) {
      expect(rule.metadata.labels.release).toBe('kube-prometheus-stack');
      for (const r of rule.spec.groups[0].rules) {
        const [file, anchor] = String(r.annotations.runbook_url).split('#');
        expect(fs.readFileSync(path.join(dist, file), 'utf8')).toContain(`<a id="${anchor}"></a>`);
      }
    }
  }
});

test('every rule and monitor file passes the harness (prometheus-operator CRD schemas, unknown fields rejected)', () => {
  const files = fs.readdirSync(dist).filter((f) => /\.(prometheusrules|podmonitors)\.yaml$/.test(f));
  expect(files).toEqual(expect.arrayContaining(['databases.podmonitors.yaml', 'node-agents.podmonitors.yaml', 'databases.prometheusrules.yaml']));
  for (const f of files) expect({ f, problems: testing.Harness.validateManifests(Yaml.load(path.join(dist, f))) }).toEqual({ f, problems: [] });
  const monitors = Yaml.load(path.join(dist, 'databases.podmonitors.yaml')).map((m: any) => m.metadata.name);
  expect(monitors).toEqual(['orders-db-metrics', 'shop-db-metrics', 'cache-metrics']);
});

test('the backup runbook has the manual trigger and the restore drill', () => {
  const text = fs.readFileSync(path.join(dist, 'backups.RUNBOOK.md'), 'utf8');
  expect(text).toMatch(/kubectl -n shop create job --from=cronjob\/orders-backup/);
  expect(text).toContain('kubectl -n shop wait --for=condition=complete job/orders-restore');
  expect(text).toContain('orders_backup == backs up ==> statefulset_orders_db'.replace('orders_backup', 'cronjob_orders_backup'));
});

test('capacity multiplies StatefulSets by replicas and sums claims per storage class', () => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'db' });
  new PostgresCluster(chart, 'pg', { replicas: 3, storage: Size.gibibytes(10), storageClassName: 'fast' });
  const ns = Capacity.of(chart).toJson().namespaces[0];
  expect(ns.namespace).toBe('db');
  expect(ns.storage).toEqual({ fast: '30Gi' });
  expect(ns.workloads).toEqual([expect.objectContaining({ kind: 'StatefulSet', name: 'pg', pods: 3 })]);
});

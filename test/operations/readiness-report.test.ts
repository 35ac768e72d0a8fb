/** Suppression by annotation (with a mandatory reason) and the structured report. */
import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { Errors, PostgresCluster, Readiness, ReadinessRule, ReadinessSeverity } from '../../lib';
import { chartOf, find, goodManifests, Manifest, without } from './readiness-fixture';

const ANNOTATION = 'cdk8s-workloads.io/readiness-ignore';

function noPdbNoTtl(): Manifest[] {
  const m = without(goodManifests(), 'PodDisruptionBudget', 'web');
  delete find(m, 'Job', 'migrate').spec.ttlSecondsAfterFinished;
  return m;
}

describe('suppression by annotation', () => {
  test('a reasoned entry suppresses its rule on that object only, and the report keeps the reason', () => {
    const m = noPdbNoTtl();
    find(m, 'Deployment', 'web').metadata.annotations = { [ANNOTATION]: 'disruption-budget: a stateless cache; losing both replicas during a drain is acceptable' };
    const report = Readiness.check(chartOf(m));
    expect(report.problems.map((p) => `${p.rule} ${p.kind}/${p.name}`)).toEqual(['job-limits Job/migrate']);
    expect(report.suppressed).toEqual([expect.objectContaining({
      rule: ReadinessRule.DISRUPTION_BUDGET, kind: 'Deployment', name: 'web', reason: 'a stateless cache; losing both replicas during a drain is acceptable',
    })]);
  });

  test('several entries; a reason may contain ";" and ":"', () => {
    const m = noPdbNoTtl();
    find(m, 'Job', 'migrate').metadata.annotations = { [ANNOTATION]: 'job-limits: kept for audit: see ticket 12; deleted by hand;network-policy: unused here' };
    find(m, 'Deployment', 'web').metadata.annotations = { [ANNOTATION]: 'probes: x; disruption-budget: two replicas only for rollouts' };
    const report = Readiness.check(chartOf(m));
    expect(report.problems).toEqual([]);
    expect(report.suppressed.map((s) => `${s.rule}: ${s.reason}`)).toEqual([
      'disruption-budget: two replicas only for rollouts', 'job-limits: kept for audit: see ticket 12; deleted by hand',
    ]);
  });

  test('an empty reason is itself an error and suppresses nothing', () => {
    const m = noPdbNoTtl();
    find(m, 'Deployment', 'web').metadata.annotations = { [ANNOTATION]: 'disruption-budget:' };
    const report = Readiness.check(chartOf(m));
    expect(report.problems.filter((p) => p.kind === 'Deployment').map((p) => `${p.severity} ${p.rule}: ${p.message}`)).toEqual([
      'warning disruption-budget: Deployment/web in namespace shop runs 2 replicas and no PodDisruptionBudget selects its pods',
      'error suppression: suppression of "disruption-budget" gives no reason, so it does not apply',
    ]);
    expect(report.failed()).toBe(true);
  });

  test('an unknown rule is an error', () => {
    const m = goodManifests();
    find(m, 'Job', 'migrate').metadata.annotations = { [ANNOTATION]: 'deadlines: not needed' };
    expect(Readiness.check(chartOf(m)).problems.map((p) => `${p.rule}: ${p.message}`)).toEqual(['suppression: "deadlines: not needed" is not "<rule>: <reason>" with a known rule']);
  });

  test('Readiness.suppress annotates the object, appending to earlier entries', () => {
    const chart = chartOf(noPdbNoTtl());
    const job = chart.node.findAll().find((c) => c instanceof ApiObject && c.kind === 'Job')!;
    Readiness.suppress(job, ReadinessRule.JOB_LIMITS, 'collected by the audit exporter');
    Readiness.suppress(job, ReadinessRule.ALERTS, 'the migration is watched by its pipeline');
    const manifest = Testing.synth(chart).find((m) => m.kind === 'Job');
    expect(manifest.metadata.annotations[ANNOTATION]).toBe('job-limits: collected by the audit exporter; alerts: the migration is watched by its pipeline');
    expect(Readiness.check(chart).problems.map((p) => p.kind)).toEqual(['Deployment']);
  });

  test('Readiness.suppress on one of our constructs annotates every object below it', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const db = new PostgresCluster(chart, 'orders-db', { replicas: 2, storage: Size.gibibytes(10) });
    Readiness.suppress(db, ReadinessRule.DATABASE_BACKUP, 'a cache rebuilt from the event log');
    const report = Readiness.check(chart);
    expect(report.problems.filter((p) => p.rule === ReadinessRule.DATABASE_BACKUP)).toEqual([]);
    expect(report.suppressed.map((s) => `${s.rule} ${s.kind}/${s.name}`)).toEqual(['database-backup StatefulSet/orders-db']);
  });

  test('Readiness.suppress without a reason is a ConfigurationError', () => {
    const chart = chartOf(goodManifests());
    let error: unknown;
    try { Readiness.suppress(chart, ReadinessRule.PROBES, '  '); } catch (e) { error = e; }
    expect(Errors.isConfigurationError(error)).toBe(true);
    expect(String(error)).toMatch(/hand-written: reason must say why the rule does not apply \(got "  "\)/);
  });
});

describe('structured report', () => {
  test('objects of one name are told apart by kind, with their construct paths', () => {
    const m = goodManifests();
    m.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'aHVudGVyMg==' } });
    find(m, 'StatefulSet', 'db').spec.template.spec.containers[0].image = 'busybox';
    const json = Readiness.check(chartOf(m)).toJson();
    expect(json.summary).toEqual({ errors: 2, warnings: 0, suppressed: 0 });
    expect(json.problems).toEqual([
      {
        rule: 'pinned-images', severity: 'error', constructPath: 'hand-written/statefulset-db-2', apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'shop', name: 'db',
        location: 'spec.template.spec.containers[0].image', message: 'container "db" image "busybox" has no tag', fix: 'Pin a version, e.g. "busybox:<version>".',
      },
      expect.objectContaining({ rule: 'inline-secrets', kind: 'Secret', name: 'db', apiVersion: 'v1', constructPath: 'hand-written/secret-db-7', location: 'data' }),
    ]);
  });

  test('failed() follows the severity: warnings fail only with failOn WARNING', () => {
    const report = Readiness.check(chartOf(without(goodManifests(), 'PodDisruptionBudget', 'web')));
    expect(report.warnings).toHaveLength(1);
    expect(report.errors).toHaveLength(0);
    expect(report.failed()).toBe(false);
    expect(report.failed(ReadinessSeverity.WARNING)).toBe(true);
  });

  test('checkManifests reports plain manifests without construct paths', () => {
    const report = Readiness.checkManifests(without(goodManifests(), 'PodDisruptionBudget', 'web'));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'web', constructPath: undefined })]);
  });

  test('toMarkdown lists problems and suppressions', () => {
    const m = noPdbNoTtl();
    find(m, 'Job', 'migrate').metadata.annotations = { [ANNOTATION]: 'job-limits: kept | audited' };
    const text = Readiness.check(chartOf(m)).toMarkdown();
    expect(text).toContain('0 error(s), 1 warning(s), 1 suppressed.');
    expect(text).toContain('| warning | disruption-budget | Deployment/web (shop) | hand-written/deployment-web-0 |');
    expect(text).toContain('| job-limits | Job/migrate (shop) | no ttlSecondsAfterFinished: the finished Job and its pods stay forever | kept \\| audited |');
  });
});

describe('errors', () => {
  test('the suppression rule itself cannot be suppressed', () => {
    const m = goodManifests();
    find(m, 'Job', 'migrate').metadata.annotations = { [ANNOTATION]: 'suppression: never' };
    expect(Readiness.check(chartOf(m)).problems.map((p) => p.message)).toEqual(['the suppression rule itself cannot be suppressed']);
  });
  test('Readiness.suppress with an unknown rule, or on a construct without objects', () => {
    const chart = chartOf(goodManifests());
    expect(() => Readiness.suppress(chart, 'deadlines' as ReadinessRule, 'x')).toThrow(/hand-written: rule is not a readiness rule \(got "deadlines"\)/);
    const empty = new Chart(Testing.app(), 'empty');
    expect(() => Readiness.suppress(empty, ReadinessRule.PROBES, 'no pods')).toThrow(/empty: construct has no Kubernetes objects to annotate/);
  });
  test('checkManifests and the options reject what is not an array', () => {
    expect(() => Readiness.checkManifests({} as any)).toThrow(/Readiness.checkManifests: manifests must be an array of manifests \(got \{\}\)/);
    expect(() => Readiness.checkManifests([], { additionalManifests: 'rules.yaml' as any })).toThrow(/additionalManifests must be an array of manifests \(got "rules.yaml"\)/);
    expect(() => Readiness.checkManifests([], { rules: 'probes' as any })).toThrow(/rules must be an array of ReadinessRule \(got "probes"\)/);
    expect(() => Readiness.checkManifests([], { rules: ['probe' as ReadinessRule] })).toThrow(/rules must be one of ReadinessRule.RESOURCES/);
  });
});

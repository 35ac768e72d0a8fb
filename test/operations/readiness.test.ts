/** The readiness rules: each fires on a hand-written bad chart and stays silent on the good one. */
import { Chart, Cron, Size, Testing } from 'cdk8s';
import {
  BackupCronJob, BackupSchedule, BackupTarget, PodSecurityLevel, PostgresCluster, Readiness, ReadinessRule, ReadinessSeverity, testing,
} from '../../lib';
import { chartOf, find, goodManifests, Manifest, without } from './readiness-fixture';

const check = (manifests: Manifest[], options = {}) => Readiness.check(chartOf(manifests), options);
const of = (manifests: Manifest[], rule: ReadinessRule, options = {}) => check(manifests, options).problems.filter((p) => p.rule === rule);
const brief = (manifests: Manifest[], rule: ReadinessRule, options = {}) => of(manifests, rule, options).map((p) => `${p.kind}/${p.name}: ${p.message}`);

test('the good hand-written chart is valid Kubernetes and has no readiness problem', () => {
  const manifests = goodManifests();
  const core = manifests.filter((m) => m.kind !== 'PrometheusRule');
  expect(testing.Harness.validateManifests(core, { restricted: true, production: true })).toEqual([]);
  const report = check(manifests);
  expect(report.problems).toEqual([]);
  expect(report.failed(ReadinessSeverity.WARNING)).toBe(false);
});

describe('resources', () => {
  test('fires for an init container without limits', () => {
    const m = goodManifests();
    delete find(m, 'Deployment', 'web').spec.template.spec.initContainers[0].resources.limits;
    expect(brief(m, ReadinessRule.RESOURCES)).toEqual(['Deployment/web: container "init" has no cpu limit', 'Deployment/web: container "init" has no memory limit']);
    expect(of(m, ReadinessRule.RESOURCES)[0]).toMatchObject({ severity: ReadinessSeverity.ERROR, location: 'spec.template.spec' });
  });
});

describe('probes', () => {
  test('fires for a long-running container without liveness probe', () => {
    const m = goodManifests();
    delete find(m, 'StatefulSet', 'db').spec.template.spec.containers[0].livenessProbe;
    expect(brief(m, ReadinessRule.PROBES)).toEqual(['StatefulSet/db: container "db" has no livenessProbe']);
    expect(of(m, ReadinessRule.PROBES)[0].location).toBe('spec.template.spec.containers[0]');
  });
  test('Jobs and CronJobs need none (the good chart has none on them)', () => {
    const m = goodManifests();
    expect(find(m, 'Job', 'migrate').spec.template.spec.containers[0].readinessProbe).toBeUndefined();
    expect(of(m, ReadinessRule.PROBES)).toEqual([]);
  });
});

describe('pod-security', () => {
  const noSeccomp = () => {
    const m = goodManifests();
    delete find(m, 'Job', 'migrate').spec.template.spec.securityContext.seccompProfile;
    return m;
  };
  test('fires at the restricted level, the default for unlabelled namespaces', () => {
    expect(brief(noSeccomp(), ReadinessRule.POD_SECURITY)).toEqual(['Job/migrate: restricted level of namespace shop: container "migrate" needs seccompProfile RuntimeDefault or Localhost']);
  });
  test('follows the namespace label: baseline allows a missing seccomp profile, privileged allows anything', () => {
    const labelled = (level: string) => [...noSeccomp(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': level } } }];
    expect(of(labelled('baseline'), ReadinessRule.POD_SECURITY)).toEqual([]);
    const hostNetwork = labelled('baseline');
    find(hostNetwork, 'Job', 'migrate').spec.template.spec.hostNetwork = true;
    expect(brief(hostNetwork, ReadinessRule.POD_SECURITY)).toEqual(['Job/migrate: baseline level of namespace shop: hostNetwork is not allowed']);
    find(hostNetwork, 'Namespace', 'shop').metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged';
    expect(of(hostNetwork, ReadinessRule.POD_SECURITY)).toEqual([]);
  });
  test('namespaceLevels covers namespaces created elsewhere', () => {
    expect(of(noSeccomp(), ReadinessRule.POD_SECURITY, { namespaceLevels: { shop: PodSecurityLevel.BASELINE } })).toEqual([]);
  });
});

describe('disruption-budget', () => {
  test('fires for a replicated Deployment no PDB selects', () => {
    expect(brief(without(goodManifests(), 'PodDisruptionBudget', 'web'), ReadinessRule.DISRUPTION_BUDGET))
      .toEqual(['Deployment/web: Deployment/web in namespace shop runs 2 replicas and no PodDisruptionBudget selects its pods']);
  });
  test('a PDB in another namespace does not count; one replica needs none', () => {
    const m = goodManifests();
    find(m, 'PodDisruptionBudget', 'web').metadata.namespace = 'other';
    expect(of(m, ReadinessRule.DISRUPTION_BUDGET)).toHaveLength(1);
    find(m, 'Deployment', 'web').spec.replicas = 1;
    expect(of(m, ReadinessRule.DISRUPTION_BUDGET)).toEqual([]);
  });
});

describe('network-policy', () => {
  test('fires for every workload no policy selects; matchExpressions count', () => {
    const m = goodManifests();
    find(m, 'NetworkPolicy', 'default-deny').spec.podSelector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] };
    expect(brief(m, ReadinessRule.NETWORK_POLICY)).toEqual([
      'CronJob/db-backup: no NetworkPolicy in namespace shop selects the pods of CronJob/db-backup',
      'Job/migrate: no NetworkPolicy in namespace shop selects the pods of Job/migrate',
    ]);
  });
  test('host-network pods are not asked for one (policies do not apply to them)', () => {
    const m = without(goodManifests(), 'NetworkPolicy', 'default-deny');
    for (const p of m) if (p.spec?.template) p.spec.template.spec.hostNetwork = true;
    expect(brief(m, ReadinessRule.NETWORK_POLICY)).toEqual(['CronJob/db-backup: no NetworkPolicy in namespace shop selects the pods of CronJob/db-backup']);
  });
});

describe('pinned-images', () => {
  test.each([
    ['busybox:latest', 'uses the "latest" tag'],
    ['busybox', 'has no tag'],
    ['localhost:5000/busybox', 'has no tag'],
  ])('fires for %s', (image, problem) => {
    const m = goodManifests();
    find(m, 'Job', 'migrate').spec.template.spec.containers[0].image = image;
    expect(brief(m, ReadinessRule.PINNED_IMAGES)).toEqual([`Job/migrate: container "migrate" image "${image}" ${problem}`]);
    expect(of(m, ReadinessRule.PINNED_IMAGES)[0].location).toBe('spec.template.spec.containers[0].image');
  });
  test('a digest or a registry port with a tag is pinned', () => {
    const m = goodManifests();
    find(m, 'Job', 'migrate').spec.template.spec.containers[0].image = `busybox@sha256:${'a'.repeat(64)}`;
    find(m, 'CronJob', 'db-backup').spec.jobTemplate.spec.template.spec.containers[0].image = 'localhost:5000/busybox:1.36.1';
    expect(of(m, ReadinessRule.PINNED_IMAGES)).toEqual([]);
  });
});

describe('inline-secrets', () => {
  test('fires for a Secret with data and a literal password env; a *_FILE path and secretKeyRef pass', () => {
    const m = goodManifests();
    m.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-db', namespace: 'shop' }, stringData: { password: 'hunter2' } });
    find(m, 'Job', 'migrate').spec.template.spec.containers[0].env = [{ name: 'API_TOKEN', value: 'abc' }, { name: 'TOKEN_PATH', value: '/run/token' }];
    expect(brief(m, ReadinessRule.INLINE_SECRETS)).toEqual([
      'Job/migrate: container "migrate" env API_TOKEN has a literal value',
      'Secret/web-db: Secret web-db carries stringData (password) in the manifests',
    ]);
  });
});

describe('database-backup', () => {
  test('fires for a database StatefulSet without a backup CronJob', () => {
    const m = goodManifests();
    delete find(m, 'CronJob', 'db-backup').metadata.annotations;
    expect(brief(m, ReadinessRule.DATABASE_BACKUP)).toEqual(['StatefulSet/db: database StatefulSet/db in namespace shop has no backup CronJob']);
  });
  test('our PostgresCluster: fires alone, silent with a BackupCronJob, from the tree and from the manifests alone', () => {
    const chart = new Chart(Testing.app(), 'db', { namespace: 'shop' });
    const pg = new PostgresCluster(chart, 'orders-db', { replicas: 2, storage: Size.gibibytes(10) });
    const rule = (r: { problems: { rule: string; kind: string; name: string }[] }) => r.problems.filter((p) => p.rule === ReadinessRule.DATABASE_BACKUP).map((p) => `${p.kind}/${p.name}`);
    expect(rule(Readiness.check(chart))).toEqual(['StatefulSet/orders-db']);
    new BackupCronJob(chart, 'orders-backup', { database: pg, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(20) }) });
    expect(rule(Readiness.check(chart))).toEqual([]);
    expect(rule(Readiness.checkManifests(Testing.synth(chart)))).toEqual([]);
  });
});

describe('alerts', () => {
  test('fires for every workload when no PrometheusRule is checked; additionalManifests satisfies it', () => {
    const m = goodManifests();
    const rules = m.filter((x) => x.kind === 'PrometheusRule');
    const bare = without(m, 'PrometheusRule', 'shop-alerts');
    expect(of(bare, ReadinessRule.ALERTS).map((p) => `${p.kind}/${p.name}`)).toEqual(['Deployment/web', 'StatefulSet/db', 'CronJob/db-backup', 'Job/migrate']);
    expect(of(bare, ReadinessRule.ALERTS)[1].message).toBe('no PrometheusRule alert selects statefulset="db" in namespace shop among the checked manifests');
    expect(of(bare, ReadinessRule.ALERTS, { additionalManifests: rules })).toEqual([]);
  });
  test('a rule for the same name in another namespace does not count', () => {
    const m = goodManifests();
    find(m, 'Deployment', 'web').metadata.namespace = 'other';
    expect(brief(m, ReadinessRule.ALERTS)).toEqual(['Deployment/web: no PrometheusRule alert selects deployment="web" in namespace other among the checked manifests']);
  });
});

describe('job-limits', () => {
  test('fires for a Job without deadline, backoffLimit and TTL; a CronJob needs no TTL', () => {
    const m = goodManifests();
    const spec = find(m, 'Job', 'migrate').spec;
    delete spec.activeDeadlineSeconds; delete spec.backoffLimit; delete spec.ttlSecondsAfterFinished;
    expect(of(m, ReadinessRule.JOB_LIMITS).map((p) => `${p.kind}/${p.name} ${p.location}`)).toEqual([
      'Job/migrate spec.activeDeadlineSeconds', 'Job/migrate spec.backoffLimit', 'Job/migrate spec.ttlSecondsAfterFinished',
    ]);
  });
  test('fires for a CronJob job template without deadline', () => {
    const m = goodManifests();
    delete find(m, 'CronJob', 'db-backup').spec.jobTemplate.spec.activeDeadlineSeconds;
    expect(of(m, ReadinessRule.JOB_LIMITS).map((p) => p.location)).toEqual(['spec.jobTemplate.spec.activeDeadlineSeconds']);
  });
});

describe('cronjob-policy', () => {
  test('fires for Allow and a missing starting deadline', () => {
    const m = goodManifests();
    const spec = find(m, 'CronJob', 'db-backup').spec;
    spec.concurrencyPolicy = 'Allow';
    delete spec.startingDeadlineSeconds;
    expect(brief(m, ReadinessRule.CRONJOB_POLICY)).toEqual([
      'CronJob/db-backup: concurrencyPolicy Allow: a slow run overlaps the next one',
      'CronJob/db-backup: no startingDeadlineSeconds: a run missed during an outage starts arbitrarily late, and after 100 missed schedules the CronJob stops scheduling',
    ]);
  });
  test('fires for a starting deadline under 10 s', () => {
    const m = goodManifests();
    find(m, 'CronJob', 'db-backup').spec.startingDeadlineSeconds = 5;
    expect(brief(m, ReadinessRule.CRONJOB_POLICY)).toEqual(['CronJob/db-backup: startingDeadlineSeconds 5 is under 10: the controller checks every 10 s, so runs may never start']);
  });
});

describe('options', () => {
  test('rules limits the check', () => {
    const m = without(goodManifests(), 'PrometheusRule', 'shop-alerts');
    expect(check(m, { rules: [ReadinessRule.RESOURCES] }).problems).toEqual([]);
  });
  test('an unknown option is a ConfigurationError naming it', () => {
    expect(() => check(goodManifests(), { rule: [] })).toThrow(/rule is not a prop of ReadinessOptions .*Did you mean `rules`\?/);
  });
  test('an unknown Pod Security level is a ConfigurationError', () => {
    expect(() => check(goodManifests(), { defaultPodSecurityLevel: 'strict' })).toThrow(/defaultPodSecurityLevel must be one of PodSecurityLevel.PRIVILEGED/);
  });
});

/**
 * A sample of the property tests' configurations (test/validation/properties.test.ts), sent to the
 * real API server: every configuration the library accepts must be accepted by server-side apply
 * with strict field validation, in a namespace enforcing (and warning on) the restricted Pod
 * Security level, with no warning. Dry run: the sample is about validation and admission, the
 * controllers are exercised by the other cluster tests. Fixed seed, so a failure reproduces.
 */
import * as fc from 'fast-check';
import { Chart, Cron, Testing, Yaml } from 'cdk8s';
import { BackupCronJob, BackupSchedule, BackupTarget, BatchJob, Errors, JobPattern, MySqlCluster, MySqlFlavor, PostgresCluster, RedisCluster } from '../../lib';
import { count, databaseProps, maybe, name, seconds } from '../support/arbitraries';
import { apply, podSecurityNamespace } from './harness/apply';
import { describeCluster } from './harness/env';

const NS = 'properties';
const SAMPLES = Number(process.env.CLUSTER_PROPERTY_SAMPLES ?? 24);
const SEED = Number(process.env.CLUSTER_PROPERTY_SEED ?? 20261201);

type Build = (chart: Chart, id: string, props: any) => void;
const builders: Record<string, Build> = {
  postgres: (c, id, p) => { new PostgresCluster(c, id, p); },
  redis: (c, id, p) => { new RedisCluster(c, id, p); },
  mariadb: (c, id, p) => { new MySqlCluster(c, id, { ...p, flavor: MySqlFlavor.mariadb1011(), image: undefined }); },
  job: (c, id, p) => { new BatchJob(c, id, { image: 'busybox:1.36', pattern: JobPattern.indexed({ completions: 3 }), backoffLimit: p.replicas, activeDeadline: p.terminationGracePeriod, partOf: p.partOf }); },
  backup: (c, id, p) => {
    const db = new PostgresCluster(c, `${id.slice(0, 40)}-db`, { replicas: 1 });
    new BackupCronJob(c, id, { database: db, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.existingClaim('dumps'), successfulJobsRetained: p.replicas, partOf: p.partOf });
  },
};

/** The YAML of the configurations the library accepts, up to SAMPLES of them. */
function acceptedSamples(): { label: string; yaml: string }[] {
  const arbitrary = fc.tuple(fc.constantFrom(...Object.keys(builders)), name, databaseProps, maybe(count), maybe(seconds));
  const accepted: { label: string; yaml: string }[] = [];
  for (const [kind, id, props] of fc.sample(arbitrary, { numRuns: SAMPLES * 4, seed: SEED })) {
    if (accepted.length >= SAMPLES) break;
    const chart = new Chart(Testing.app(), 'sample', { namespace: NS });
    try {
      builders[kind](chart, id, props);
      accepted.push({ label: `${kind} ${id} ${JSON.stringify(props)}`, yaml: Yaml.stringify(...Testing.synth(chart)) });
    } catch (error) {
      if (!Errors.isConfigurationError(error)) throw error;
    }
  }
  return accepted;
}

describeCluster('property-generated YAML on the real API server', () => {
  beforeAll(async () => { await podSecurityNamespace(NS, 'restricted'); });

  test(`${SAMPLES} accepted configurations (seed ${SEED}) are accepted by the server with no warning`, async () => {
    const samples = acceptedSamples();
    expect(samples.length).toBe(SAMPLES);
    expect(new Set(samples.map((s) => s.label.split(' ')[0])).size).toBeGreaterThanOrEqual(4);
    const rejected: string[] = [];
    for (const sample of samples) {
      const r = await apply(sample.yaml, ['-n', NS, '--dry-run=server']);
      if (r.code !== 0 || r.stderr.trim() !== '') rejected.push(`${sample.label}\n    exit ${r.code}: ${r.stderr.trim()}`);
    }
    expect(rejected).toEqual([]);
  }, 300_000);
});

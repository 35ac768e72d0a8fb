/** Helpers for the scheduled family's tests: a chart with a database, and pulling pods out of YAML. */
import * as kplus from 'cdk8s-plus-27';
import { Chart, Testing } from 'cdk8s';
import { PostgresCluster, testing } from '../../lib';
import { Manifest } from '../../lib/testing/validate';

/** A chart in namespace `shop` with the `orders-db` PostgresCluster. */
export function chartWithDatabase(namespace: string | undefined = 'shop'): { chart: Chart; db: PostgresCluster } {
  const chart = new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
  const db = new PostgresCluster(chart, 'orders-db', { replicas: 1 });
  return { chart, db };
}

/** An S3 credentials Secret reference. */
export function s3Secret(chart: Chart): kplus.ISecret {
  return kplus.Secret.fromSecretName(chart, 's3-credentials', 'backup-s3');
}

/** Every manifest, validated against the schema, the API rules, restricted PSS and production checks. */
export function synth(chart: Chart): Manifest[] {
  return testing.Harness.synthValid(chart, { restricted: true, production: true });
}

/** The pod spec of a CronJob or Job. */
export function podOf(m: Manifest): Manifest {
  return m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template.spec : m.spec.template.spec;
}

/** A container (init containers included) by name. */
export function containerOf(m: Manifest, name: string): Manifest {
  const pod = podOf(m);
  const found = [...(pod.initContainers ?? []), ...pod.containers].find((c: Manifest) => c.name === name);
  if (!found) throw new Error(`no container ${name} in ${m.kind}/${m.metadata.name}`);
  return found;
}

/** A container's literal env values (Secret references are left out: tests supply them). */
export function literalEnv(container: Manifest): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((e: Manifest) => e.value !== undefined).map((e: Manifest) => [e.name, e.value]));
}

/** A container's env var, literal or reference. */
export function envVar(container: Manifest, name: string): Manifest | undefined {
  return (container.env ?? []).find((e: Manifest) => e.name === name);
}

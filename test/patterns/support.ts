/** The blue-green charts the pattern's tests synthesize. */
import { Chart, Testing } from 'cdk8s';
import { BlueGreenColor, BlueGreenDatabase, BlueGreenDatabaseProps, MigrationStrategy, PostgresCluster, testing } from '../../lib';
import { findManifest, Manifest } from '../../lib/testing/validate';

export const CLIENT_LABELS = { 'orders-client': 'true' };

export function blueGreenChart(options: { active?: BlueGreenColor; strategy?: MigrationStrategy; shareLabels?: boolean; extra?: Partial<BlueGreenDatabaseProps> } = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const labels = options.shareLabels === false ? undefined : CLIENT_LABELS;
  const blue = new PostgresCluster(chart, 'orders-db-v1', { replicas: 2, image: 'postgres:15.8', clientLabels: labels, settings: { logicalReplication: true } });
  const green = new PostgresCluster(chart, 'orders-db-v2', { replicas: 2, image: 'postgres:16.4', clientLabels: labels, settings: { logicalReplication: true } });
  const bg = new BlueGreenDatabase(chart, 'postgres', {
    blue, green, active: options.active ?? BlueGreenColor.BLUE, name: 'orders',
    strategy: options.strategy ?? MigrationStrategy.logicalReplication({ database: 'orders', appRole: 'orders_app' }),
    clientLabels: options.shareLabels === false ? CLIENT_LABELS : undefined,
    ...options.extra,
  });
  return { chart, blue, green, bg };
}

export function synthBlueGreen(chart: Chart): Manifest[] {
  return testing.Harness.synthValid(chart, { restricted: true, production: true });
}

export function scriptsOf(manifests: Manifest[]): Record<string, string> {
  return findManifest(manifests, 'ConfigMap', 'orders-migration-scripts').data as Record<string, string>;
}

export function mainContainer(job: Manifest, name: string): Manifest {
  const pod = job.spec.template.spec;
  const found = [...(pod.initContainers ?? []), ...pod.containers].find((c: Manifest) => c.name === name);
  if (!found) throw new Error(`no container ${name} in Job/${job.metadata.name}`);
  return found;
}

export function literalEnv(container: Manifest): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((e: Manifest) => e.value !== undefined).map((e: Manifest) => [e.name, e.value]));
}

import { App, Chart, Duration, Size } from 'cdk8s';
import { BlueGreenColor, BlueGreenDatabase, MigrationStrategy, PostgresCluster } from '../lib';

/**
 * A blue-green upgrade of the orders database from PostgreSQL 15 (blue, serving) to 16 (green),
 * in namespace `shop`. The application connects to `orders-postgres:5432` and carries the label
 * `orders-client: "true"`, which both clusters admit. The migration Jobs are suspended: start
 * them by hand (README, "Blue-green cutover"). After a successful cutover, pass
 * BlueGreenColor.GREEN as `active`, synthesize and apply.
 */
export function blueGreenExamples(app: App, active: BlueGreenColor = BlueGreenColor.BLUE): BlueGreenDatabase {
  const chart = new Chart(app, 'blue-green', { namespace: 'shop' });
  const clientLabels = { 'orders-client': 'true' };
  const blue = new PostgresCluster(chart, 'orders-pg15', {
    replicas: 2, image: 'postgres:15.8', storage: Size.gibibytes(50), clientLabels,
    // The source of a logical-replication migration needs wal_level=logical.
    settings: { logicalReplication: true },
  });
  const green = new PostgresCluster(chart, 'orders-pg16', {
    replicas: 2, image: 'postgres:16.4', storage: Size.gibibytes(50), clientLabels,
    settings: { logicalReplication: true },
  });
  return new BlueGreenDatabase(chart, 'orders-postgres', {
    blue, green, active, name: 'orders-pg',
    // reverseReplication: after the cutover blue follows green, so a rollback keeps green's writes.
    strategy: MigrationStrategy.logicalReplication({ database: 'orders', appRole: 'orders_app', freezeTimeout: Duration.minutes(2), reverseReplication: true }),
    argoCdSyncWave: 1,
    // A last check of our own before the flip (Job orders-pg-blue-to-green-smoke-check).
    userStep: { image: 'postgres:16.4', command: ['/bin/sh', '-c', SMOKE_CHECK], stepName: 'smoke-check' },
  });
}

/** The user step's script: the same tables on both colors (passwords read from the mounted files). */
export const SMOKE_CHECK = `set -eu
q() { PGPASSWORD="$(cat "$1")" psql -X -At -v ON_ERROR_STOP=1 -h "$2" -p "$3" -U "$4" -d "$MIGRATE_DATABASE" -c "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"; }
source_tables=$(q "$SOURCE_PASSWORD_FILE" "$SOURCE_HOST" "$SOURCE_PORT" "$SOURCE_USER")
target_tables=$(q "$TARGET_PASSWORD_FILE" "$TARGET_HOST" "$TARGET_PORT" "$TARGET_USER")
if [ "$source_tables" != "$target_tables" ]; then echo "smoke check: tables differ: $source_tables / $target_tables" >&2; exit 1; fi
echo "smoke check: the same tables on both colors: $source_tables"
`;

/**
 * The Job family: the four Job patterns, a pod failure policy and a migration job that waits
 * for its database.
 */
import * as kplus from 'cdk8s-plus-27';
import { App, Chart, Duration } from 'cdk8s';
import { BatchJob, JobPattern, MigrationJob, PodFailurePolicy, PostgresCluster, ResourcePreset, Resources } from '../lib';

/** The Job patterns; the migration targets `ordersDb` when given, else a host and port. */
export function batchExamples(app: App, ordersDb?: PostgresCluster): void {
  const chart = new Chart(app, 'batch-jobs');

  // Single run: one pod, once.
  new BatchJob(chart, 'report', {
    name: 'monthly-report',
    pattern: JobPattern.singleRun(),
    image: 'ghcr.io/example/reports:2.3.1',
    args: ['--month=previous'],
  });

  // Fixed completion count: 8 successful pods, 2 at a time.
  new BatchJob(chart, 'thumbnails', {
    name: 'render-thumbnails',
    pattern: JobPattern.fixedCompletions({ completions: 8, parallelism: 2 }),
    image: 'ghcr.io/example/thumbnailer:1.4.0',
    resources: Resources.preset(ResourcePreset.MEDIUM),
  });

  // Work queue: 5 workers drain a queue whose address they read from QUEUE_ADDRESS.
  new BatchJob(chart, 'queue-workers', {
    name: 'email-workers',
    pattern: JobPattern.workQueue({ parallelism: 5, queueAddress: 'redis://jobs-queue:6379/0' }),
    image: 'ghcr.io/example/email-worker:3.0.2',
    args: ['--queue=$(QUEUE_ADDRESS)'],
  });

  // Indexed: 100 partitions, 10 at a time, each pod processes its own partition. It also
  // carries a pod failure policy: node drains do not use up retries, exit code 42 (bad input)
  // fails the Job at once, and 75 (temporary failure) is retried without counting.
  new BatchJob(chart, 'partitions', {
    name: 'reindex',
    pattern: JobPattern.indexed({ completions: 100, parallelism: 10 }),
    image: 'ghcr.io/example/indexer:5.1.0',
    command: ['python', 'process.py', '--partition=$(JOB_COMPLETION_INDEX)', '--total=$(JOB_COMPLETIONS)'],
    resources: Resources.fromValues(250, 500, 256, 512),
    activeDeadline: Duration.hours(4),
    podFailurePolicy: new PodFailurePolicy()
      .ignoreDisruptions()
      .failJobOnExitCodes([42])
      .ignoreExitCodes([75]),
  });

  // Migration: waits until the database accepts connections, then runs once.
  // A migration that waits for its database. With the example PostgresCluster it runs in the
  // database's namespace (Secret references are namespace-local) and carries its client labels.
  if (ordersDb) {
    const migrations = new Chart(app, 'migrations', { namespace: 'shop' });
    new MigrationJob(migrations, 'migrate', {
      name: 'orders-migrate',
      database: ordersDb,
      image: 'ghcr.io/example/orders-migrations:1.12.0',
      args: ['migrate', '--database-host=$(PGHOST)'],
      env: {
        PGHOST: kplus.EnvValue.fromValue(ordersDb.primaryHost),
        PGUSER: kplus.EnvValue.fromValue(ordersDb.superuser),
        PGPASSWORD: kplus.EnvValue.fromSecretValue({ secret: ordersDb.credentialsSecret, key: ordersDb.superuserPasswordKey }),
      },
    });
  } else {
    new MigrationJob(chart, 'migrate', {
      name: 'orders-migrate',
      host: 'orders-db',
      port: 5432,
      image: 'ghcr.io/example/orders-migrations:1.12.0',
      args: ['migrate', '--database-host=$(DATABASE_HOST)'],
      env: { DATABASE_HOST: kplus.EnvValue.fromValue('orders-db') },
    });
  }
}

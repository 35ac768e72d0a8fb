import * as kplus from 'cdk8s-plus-27';
import { EngineContext, EngineMetricsExporter } from '../engine';

/**
 * postgres-exporter v0.15.0 (uid 65534) on the loopback as the superuser. Metric names this
 * version emits are what the PostgreSQL alerts query (`pg_up`, `pg_replication_lag_seconds`,
 * `pg_replication_is_replica`, `pg_stat_replication_pg_wal_lsn_diff`).
 */
export function postgresExporter(ctx: EngineContext, port: number, superuser: string, passwordKey: string): EngineMetricsExporter {
  return {
    image: 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0',
    user: { uid: 65534, gid: 65534 },
    port: 9187,
    path: '/metrics',
    healthPath: '/metrics',
    env: {
      DATA_SOURCE_URI: kplus.EnvValue.fromValue(`127.0.0.1:${port}/postgres?sslmode=disable`),
      DATA_SOURCE_USER: kplus.EnvValue.fromValue(superuser),
      DATA_SOURCE_PASS: kplus.EnvValue.fromSecretValue({ secret: ctx.credentialsSecret, key: passwordKey }),
    },
  };
}

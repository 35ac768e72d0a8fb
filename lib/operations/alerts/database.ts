/** The exporter alerts of a database: chosen by engine, when the database runs its exporter (`metrics`). */
import { MySqlCluster } from '../../databases/mysql/mysql-cluster';
import { PostgresCluster } from '../../databases/postgres/postgres-cluster';
import { RedisCluster } from '../../databases/redis/redis-cluster';
import { ReplicatedDatabase } from '../../databases/replicated-database';
import { mysqlExporterRules } from './mysql';
import { postgresExporterRules } from './postgres';
import { redisExporterRules } from './redis';
import { AlertRule } from './types';

export function exporterRules(db: ReplicatedDatabase, ns: string | undefined): AlertRule[] {
  if (!db.metricsContainer) return [];
  if (db instanceof PostgresCluster) return postgresExporterRules(db, ns);
  if (db instanceof MySqlCluster) return mysqlExporterRules(db, ns);
  if (db instanceof RedisCluster) return redisExporterRules(db, ns);
  return [];
}

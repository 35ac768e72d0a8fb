import * as kplus from 'cdk8s-plus-27';
import { EngineContext, EngineMetricsExporter } from '../engine';

/**
 * mysqld-exporter v0.18.0 (image user `nobody`, uid 65534; it writes nothing) on the loopback as
 * root, for MySQL 8.0/8.4 and MariaDB 10.11. v0.16.0 is the first release that reads
 * `SHOW REPLICA STATUS`, the only form MySQL 8.4 accepts: v0.15 reports no replication on 8.4.
 *
 * The password is an env reference to the Secret, not a mounted file: this version reads it only
 * from a my.cnf (`--config.my-cnf`, an ini file the Secret's bare password key is not) or from
 * `MYSQLD_EXPORTER_PASSWORD`; it has no password-file option. The server container takes the
 * same key the same way (`MYSQL_ROOT_PASSWORD`).
 */
export function mysqlExporter(ctx: EngineContext, port: number, rootPasswordKey: string): EngineMetricsExporter {
  return {
    image: 'quay.io/prometheus/mysqld-exporter:v0.18.0',
    user: { uid: 65534, gid: 65534 },
    port: 9104,
    path: '/metrics',
    // The landing page: /metrics would query the server on every probe.
    healthPath: '/',
    args: [`--mysqld.address=127.0.0.1:${port}`, '--mysqld.username=root', '--web.listen-address=:9104'],
    env: { MYSQLD_EXPORTER_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: ctx.credentialsSecret, key: rootPasswordKey }) },
  };
}

import * as kplus from 'cdk8s-plus-27';
import { EngineContext, EngineMetricsExporter } from '../engine';

/**
 * redis_exporter v1.80.0 (the scratch image; its user is 59000:59000 and it writes nothing) on the
 * loopback. Replication metrics of this version: `redis_master_link_up` on replicas (from INFO's
 * master_link_status), `redis_connected_slaves` on the primary, `redis_up`.
 *
 * The password is an env reference to the Secret, not a mounted file: the exporter's
 * `--redis.password-file` expects a JSON map of Redis URIs to passwords, which the Secret's bare
 * `redis-password` key is not. The server container takes the same key the same way.
 */
export function redisExporter(ctx: EngineContext, port: number, passwordKey: string): EngineMetricsExporter {
  return {
    image: 'oliver006/redis_exporter:v1.80.0',
    user: { uid: 59000, gid: 59000 },
    port: 9121,
    path: '/metrics',
    // Answers without querying Redis.
    healthPath: '/health',
    env: {
      REDIS_ADDR: kplus.EnvValue.fromValue(`redis://127.0.0.1:${port}`),
      REDIS_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: ctx.credentialsSecret, key: passwordKey }),
    },
  };
}

/** Where a log collector ships: an Elasticsearch endpoint, typed and validated. */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';

/** HTTP or HTTPS to Elasticsearch. */
export enum ElasticsearchScheme {
  HTTP = 'http',
  HTTPS = 'https',
}

/** Which index documents go to. */
export class ElasticsearchIndex {
  /** One index, e.g. `ElasticsearchIndex.named('kubernetes')`. */
  public static named(index: string): ElasticsearchIndex {
    return new ElasticsearchIndex(index, false);
  }
  /** Daily indices `<prefix>-YYYY.MM.DD` (Logstash format): easy retention by deleting old indices. */
  public static logstash(prefix = 'logstash'): ElasticsearchIndex {
    return new ElasticsearchIndex(prefix, true);
  }
  private constructor(public readonly name: string, public readonly logstashFormat: boolean) {}
}

/** Credentials read from an existing Secret: only ever referenced, never written into the YAML. */
export interface ElasticsearchCredentials {
  /** The Secret, e.g. `kplus.Secret.fromSecretName(chart, 'es', 'es-credentials')`. */
  readonly secret: kplus.ISecret;
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'password' */
  readonly passwordKey?: string;
}

/** An Elasticsearch output. */
export interface ElasticsearchOutput {
  /** Host name only, e.g. `elasticsearch.logging.svc.cluster.local`. */
  readonly host: string;
  /** @default 9200 */
  readonly port?: number;
  /** @default ElasticsearchScheme.HTTPS */
  readonly scheme?: ElasticsearchScheme;
  /** @default ElasticsearchIndex.logstash('logstash') */
  readonly index?: ElasticsearchIndex;
  /**
   * Basic-auth credentials from a Secret.
   * @default - no authentication
   */
  readonly credentials?: ElasticsearchCredentials;
  /**
   * Verify the server certificate (HTTPS only). Turn off only for a self-signed test cluster.
   * @default true
   */
  readonly tlsVerify?: boolean;
}

/** The env variable names Fluent Bit reads the credentials from (internal: not exported from the package). */
export const ES_USER_ENV = 'ELASTICSEARCH_USERNAME';
export const ES_PASSWORD_ENV = 'ELASTICSEARCH_PASSWORD';

/** Credentials with the default keys filled in. */
export interface ResolvedElasticsearchCredentials {
  /** The Secret holding them. */
  readonly secret: kplus.ISecret;
  /** The key of the user name in the Secret. */
  readonly usernameKey: string;
  /** The key of the password in the Secret. */
  readonly passwordKey: string;
}

/** An output with every default filled in. */
export interface ResolvedElasticsearch {
  /** The host name. */
  readonly host: string;
  /** The HTTP port. */
  readonly port: number;
  /** HTTP or HTTPS. */
  readonly scheme: ElasticsearchScheme;
  /** The index documents go to. */
  readonly index: ElasticsearchIndex;
  /** Whether the server certificate is verified (HTTPS). */
  readonly tlsVerify: boolean;
  /**
   * Basic-auth credentials.
   * @default - no authentication
   */
  readonly credentials?: ResolvedElasticsearchCredentials;
}

const HOST = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/;

/** Validates the output and fills in defaults. */
export function resolveElasticsearch(scope: IConstruct | string, output: ElasticsearchOutput): ResolvedElasticsearch {
  const prop = 'elasticsearch';
  if (!output.host || output.host.trim() === '') {
    throw new ConfigurationError(scope, `${prop}.host`, 'must not be empty', output.host, 'Pass the Elasticsearch host name, e.g. "elasticsearch.logging.svc.cluster.local".');
  }
  if (!HOST.test(output.host)) {
    throw new ConfigurationError(scope, `${prop}.host`, 'must be a bare host name or IP (no scheme, port or path)', output.host, 'Put the scheme in `scheme` and the port in `port`.');
  }
  const port = output.port ?? 9200;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigurationError(scope, `${prop}.port`, 'must be an integer in 1-65535', port, 'Use the Elasticsearch HTTP port, usually 9200.');
  }
  const index = output.index ?? ElasticsearchIndex.logstash();
  if (!/^[a-z0-9][-a-z0-9_.]*$/.test(index.name) || index.name.length > 200) {
    throw new ConfigurationError(scope, `${prop}.index`, 'must be lowercase alphanumeric, "-", "_" or "." and start alphanumeric', index.name, 'Use e.g. ElasticsearchIndex.logstash("kubernetes").');
  }
  const credentials = output.credentials && {
    secret: output.credentials.secret,
    usernameKey: output.credentials.usernameKey ?? 'username',
    passwordKey: output.credentials.passwordKey ?? 'password',
  };
  return { host: output.host, port, scheme: output.scheme ?? ElasticsearchScheme.HTTPS, index, tlsVerify: output.tlsVerify ?? true, credentials };
}

/** The credentials as env variables from secretKeyRef (never literal values). */
export function credentialEnv(es: ResolvedElasticsearch, userVar = ES_USER_ENV, passwordVar = ES_PASSWORD_ENV): Record<string, kplus.EnvValue> {
  if (!es.credentials) return {};
  const { secret, usernameKey, passwordKey } = es.credentials;
  return {
    [userVar]: kplus.EnvValue.fromSecretValue({ secret, key: usernameKey }),
    [passwordVar]: kplus.EnvValue.fromSecretValue({ secret, key: passwordKey }),
  };
}

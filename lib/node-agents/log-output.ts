/**
 * Where a LogCollectorDaemon ships: Elasticsearch directly, or Logstash over HTTP. A value
 * object, so a new destination is a new factory, not a new prop of the daemon.
 */
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { PropKeys, rejectUnknownProps } from '../defaults/props';
import { ConfigurationError } from '../errors';
import { secretKeyProblem } from '../kube/names';
import { ElasticsearchOutput, ElasticsearchScheme, resolveElasticsearch, ResolvedElasticsearch } from './elasticsearch';

/** Where the collector mounts the CA certificate of its output. */
export const OUTPUT_CA_DIR = '/etc/cdk8s-workloads/output-ca';
const CA_FILE = 'ca.crt';

/** A CA certificate the collector verifies its output with, mounted from a Secret or a ConfigMap. */
export class CaCertificate {
  /** The key `key` of a Secret, e.g. the `ca.crt` of a cert-manager certificate. */
  public static fromSecret(secret: kplus.ISecret, key = 'ca.crt'): CaCertificate {
    return new CaCertificate(key, (scope, id) => kplus.Volume.fromSecret(scope, id, secret, { name: 'output-ca', items: { [key]: { path: CA_FILE } } }));
  }
  /** The key `key` of a ConfigMap, e.g. a trust bundle distributed by trust-manager. */
  public static fromConfigMap(configMap: kplus.IConfigMap, key = 'ca.crt'): CaCertificate {
    return new CaCertificate(key, (scope, id) => kplus.Volume.fromConfigMap(scope, id, configMap, { name: 'output-ca', items: { [key]: { path: CA_FILE } } }));
  }
  private constructor(
    /** The key holding the PEM certificate. */
    public readonly key: string,
    private readonly volume: (scope: Construct, id: string) => kplus.Volume,
  ) {}

  /** @internal */
  public _volume(scope: Construct, id: string): kplus.Volume {
    return this.volume(scope, id);
  }
}

/** TLS towards the output. */
export interface LogOutputTls {
  /**
   * The CA that signed the server's certificate.
   * @default - the image's trusted CAs
   */
  readonly caCertificate?: CaCertificate;
  /**
   * Verify the server certificate. Turn off only for a self-signed test setup.
   * @default true
   */
  readonly verify?: boolean;
}

/** HTTP basic-auth credentials from a Secret: only ever referenced, passed as variables from secretKeyRef. */
export interface HttpBasicCredentials {
  readonly secret: kplus.ISecret;
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'password' */
  readonly passwordKey?: string;
}

/** The variables the collector reads Logstash's basic-auth credentials from (internal). */
export const LOGSTASH_USER_ENV = 'LOGSTASH_USERNAME';
export const LOGSTASH_PASSWORD_ENV = 'LOGSTASH_PASSWORD';

/** Logstash's http input as the collector's output. */
export interface LogstashHttpOutputOptions {
  /** Host name only, e.g. `logstash.logs.svc.cluster.local`. */
  readonly host: string;
  /** @default 8080 (LogstashInput.http's default) */
  readonly port?: number;
  /**
   * Basic auth, for an http input with `credentials` (use it with `tls`).
   * @default - no authentication
   */
  readonly credentials?: HttpBasicCredentials;
  /**
   * HTTPS with these options.
   * @default - plain HTTP
   */
  readonly tls?: LogOutputTls;
}

/** Elasticsearch as the collector's output, with an optional CA. */
export interface ElasticsearchLogOutputOptions extends ElasticsearchOutput {
  /**
   * The CA that signed Elasticsearch's certificate (HTTPS).
   * @default - the image's trusted CAs
   */
  readonly caCertificate?: CaCertificate;
}

/** The destinations a collector ships to. */
export enum LogOutputKind {
  ELASTICSEARCH = 'elasticsearch',
  LOGSTASH = 'logstash',
}

/** An output with every default filled in (internal). */
export interface ResolvedLogOutput {
  readonly kind: LogOutputKind;
  readonly elasticsearch?: ResolvedElasticsearch;
  readonly logstash?: {
    readonly host: string; readonly port: number; readonly tls: boolean; readonly tlsVerify: boolean;
    readonly credentials?: { readonly secret: kplus.ISecret; readonly usernameKey: string; readonly passwordKey: string };
  };
  /** Where the CA file is in the container, when one is mounted. */
  readonly caFile?: string;
  readonly caCertificate?: CaCertificate;
}

const HOST = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/;
const ES_KEYS: PropKeys<ElasticsearchLogOutputOptions> = { host: true, port: true, scheme: true, index: true, credentials: true, tlsVerify: true, caCertificate: true };
const LOGSTASH_KEYS: PropKeys<LogstashHttpOutputOptions> = { host: true, port: true, tls: true, credentials: true };
const CREDENTIAL_KEYS: PropKeys<HttpBasicCredentials> = { secret: true, usernameKey: true, passwordKey: true };
const TLS_KEYS: PropKeys<LogOutputTls> = { caCertificate: true, verify: true };

function checkCa(scope: IConstruct | string, prop: string, ca: CaCertificate | undefined): void {
  if (ca === undefined) return;
  if (!(ca instanceof CaCertificate)) throw new ConfigurationError(scope, prop, 'must be a CaCertificate', ca, 'Use CaCertificate.fromSecret(secret) or CaCertificate.fromConfigMap(configMap).');
  const problem = secretKeyProblem(ca.key);
  if (problem) throw new ConfigurationError(scope, `${prop}.key`, problem, ca.key, 'Use the key as it is in the Secret or ConfigMap, e.g. "ca.crt".');
}

function resolveCredentials(scope: IConstruct | string, c: HttpBasicCredentials | undefined): NonNullable<ResolvedLogOutput['logstash']>['credentials'] {
  if (c === undefined) return undefined;
  rejectUnknownProps(typeof scope === 'string' ? scope : `${scope.node.path} output.credentials`, c, CREDENTIAL_KEYS, 'HttpBasicCredentials');
  if (!c.secret) throw new ConfigurationError(scope, 'logstash.credentials.secret', 'is required', c.secret, 'Pass the Secret holding the user name and password.');
  const keys = { usernameKey: c.usernameKey ?? 'username', passwordKey: c.passwordKey ?? 'password' };
  for (const [field, key] of Object.entries(keys)) {
    const problem = secretKeyProblem(key);
    if (problem) throw new ConfigurationError(scope, `logstash.credentials.${field}`, problem, key, 'Use the key as it is in the Secret, e.g. "password".');
  }
  return { secret: c.secret, ...keys };
}

/** The credentials of the Logstash output as variables from secretKeyRef (never literal values). */
export function logstashCredentialEnv(output: ResolvedLogOutput): Record<string, kplus.EnvValue> {
  const c = output.logstash?.credentials;
  if (!c) return {};
  return {
    [LOGSTASH_USER_ENV]: kplus.EnvValue.fromSecretValue({ secret: c.secret, key: c.usernameKey }),
    [LOGSTASH_PASSWORD_ENV]: kplus.EnvValue.fromSecretValue({ secret: c.secret, key: c.passwordKey }),
  };
}

/** Where a LogCollectorDaemon ships logs. */
export class LogOutput {
  /** Elasticsearch's bulk API, directly. */
  public static elasticsearch(options: ElasticsearchLogOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.ELASTICSEARCH, (scope) => {
      rejectUnknownProps(typeof scope === 'string' ? scope : `${scope.node.path} output`, options, ES_KEYS, 'ElasticsearchLogOutputOptions');
      if (typeof options !== 'object' || options === null) throw new ConfigurationError(scope, 'output', 'needs the Elasticsearch options', options, 'Pass e.g. LogOutput.elasticsearch({ host: "elasticsearch.search.svc.cluster.local" }).');
      const { caCertificate, ...output } = options;
      const elasticsearch = resolveElasticsearch(scope, output);
      checkCa(scope, 'elasticsearch.caCertificate', caCertificate);
      if (caCertificate && elasticsearch.scheme !== ElasticsearchScheme.HTTPS) {
        throw new ConfigurationError(scope, 'elasticsearch.caCertificate', 'applies to HTTPS only', elasticsearch.scheme, 'Use scheme ElasticsearchScheme.HTTPS or drop caCertificate.');
      }
      return { kind: LogOutputKind.ELASTICSEARCH, elasticsearch, caCertificate, caFile: caCertificate ? `${OUTPUT_CA_DIR}/${CA_FILE}` : undefined };
    });
  }
  /**
   * Logstash's http input (`LogstashInput.http()`), over an acknowledged protocol: Logstash
   * answers 200 only once the events are in its queue (429 while it is busy), and the collector
   * keeps and retries a chunk until it gets a 2xx, so nothing is lost between the two.
   */
  public static logstash(options: LogstashHttpOutputOptions): LogOutput {
    return new LogOutput(LogOutputKind.LOGSTASH, (scope) => {
      rejectUnknownProps(typeof scope === 'string' ? scope : `${scope.node.path} output`, options, LOGSTASH_KEYS, 'LogstashHttpOutputOptions');
      if (typeof options?.host !== 'string' || !HOST.test(options.host)) {
        throw new ConfigurationError(scope, 'logstash.host', 'must be a bare host name or IP (no scheme, port or path)', options?.host, 'Use e.g. "logstash.logs.svc.cluster.local" and put the port in `port`.');
      }
      const port = options.port ?? 8080;
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigurationError(scope, 'logstash.port', 'must be an integer in 1-65535', port, 'Use the http input\'s port, 8080 by default.');
      const tls = options.tls;
      if (tls !== undefined) rejectUnknownProps(typeof scope === 'string' ? scope : `${scope.node.path} output.tls`, tls, TLS_KEYS, 'LogOutputTls');
      checkCa(scope, 'logstash.tls.caCertificate', tls?.caCertificate);
      return {
        kind: LogOutputKind.LOGSTASH,
        logstash: { host: options.host, port, tls: tls !== undefined, tlsVerify: tls?.verify ?? true, credentials: resolveCredentials(scope, options.credentials) },
        caCertificate: tls?.caCertificate,
        caFile: tls?.caCertificate ? `${OUTPUT_CA_DIR}/${CA_FILE}` : undefined,
      };
    });
  }
  private constructor(
    /** The destination. */
    public readonly kind: LogOutputKind,
    private readonly resolver: (scope: IConstruct | string) => ResolvedLogOutput,
  ) {}

  /** @internal */
  public _resolve(scope: IConstruct | string): ResolvedLogOutput {
    return this.resolver(scope);
  }
}

/**
 * A typed Logstash pipeline: inputs, filters and outputs as value objects. Each renders to a
 * plugin block (pipeline-syntax.ts) and says what the pod needs for it: ports to open, Secret
 * files to mount, variables to take from Secrets. Credentials are only ever referenced:
 * Logstash substitutes `${VAR}` in the pipeline from the environment, which comes from the
 * Secret through secretKeyRef.
 */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { PropKeys, rejectUnknownProps } from '../../defaults/props';
import { ConfigurationError } from '../../errors';
import { secretKeyProblem } from '../../kube/names';
import { LogstashPlugin, LogstashValue, stringProblem } from './pipeline-syntax';

/** Where Secret files of inputs and outputs are mounted: `<dir>/<input|output>-<index>/`. */
export const LOGSTASH_CERTS_DIR = '/usr/share/logstash/certs';

/** A Secret mounted for one plugin: its files, under one directory. */
export interface PluginSecretMount {
  /** The volume name, unique in the pod. */
  readonly volumeName: string;
  readonly secret: kplus.ISecret;
  /** The directory the files appear in. */
  readonly directory: string;
  /** Secret key -> file name. */
  readonly files: Record<string, string>;
}

/** What one plugin needs from the pod, and its block. */
export interface PluginBinding {
  readonly plugin: LogstashPlugin;
  /** A TCP port the plugin listens on. */
  readonly port?: { readonly name: string; readonly number: number };
  readonly env: Record<string, kplus.EnvValue>;
  readonly mounts: PluginSecretMount[];
}

/** Where a plugin sits in the pipeline, for names, paths and errors. */
export interface PluginContext {
  readonly scope: IConstruct | string;
  /** e.g. `pipeline.inputs[0]`. */
  readonly prop: string;
  /** e.g. `input-0`: the volume name and directory of its files. */
  readonly slot: string;
  /** e.g. `OUTPUT_0`: the prefix of its variables. */
  readonly envPrefix: string;
}

function checkString(ctx: PluginContext, field: string, value: string): string {
  const problem = stringProblem(value);
  if (problem) throw new ConfigurationError(ctx.scope, `${ctx.prop}.${field}`, problem, value, 'Use plain text; refer to secrets through the credentials option.');
  return value;
}

function checkKey(ctx: PluginContext, field: string, key: string): string {
  const problem = secretKeyProblem(key);
  if (problem) throw new ConfigurationError(ctx.scope, `${ctx.prop}.${field}`, problem, key, 'Use the key as it is in the Secret, e.g. "ca.crt".');
  return key;
}

function checkPort(ctx: PluginContext, port: number): number {
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new ConfigurationError(ctx.scope, `${ctx.prop}.port`, 'must be an integer in 1024-65535 (Logstash runs unprivileged, without NET_BIND_SERVICE)', port, 'Use e.g. 5044 for beats or 8080 for http.');
  }
  return port;
}

/** TLS for an input: a `kubernetes.io/tls` Secret with `tls.crt` and a PKCS#8 `tls.key`. */
export interface LogstashInputTls {
  /** The Secret (cert-manager: set `privateKey.encoding: PKCS8`; the inputs reject PKCS#1 keys). */
  readonly secret: kplus.ISecret;
  /** @default 'tls.crt' */
  readonly certificateKey?: string;
  /** @default 'tls.key' */
  readonly privateKeyKey?: string;
}

/** Options of the beats input. */
export interface BeatsInputOptions {
  /** @default 5044 */
  readonly port?: number;
  /**
   * Serve TLS with this certificate.
   * @default - plain TCP
   */
  readonly tls?: LogstashInputTls;
}

/** Options of the http input. */
export interface HttpInputOptions {
  /** @default 8080 */
  readonly port?: number;
  /**
   * Require HTTP basic auth with these credentials (senders: `LogOutput.logstash({ credentials })`).
   * Use it with `tls`: basic auth over plain HTTP sends the password in clear.
   * @default - no authentication
   */
  readonly credentials?: LogstashCredentials;
  /**
   * Serve HTTPS with this certificate.
   * @default - plain HTTP
   */
  readonly tls?: LogstashInputTls;
}

const BEATS_KEYS: PropKeys<BeatsInputOptions> = { port: true, tls: true };
const HTTP_KEYS: PropKeys<HttpInputOptions> = { port: true, tls: true, credentials: true };
const TLS_KEYS: PropKeys<LogstashInputTls> = { secret: true, certificateKey: true, privateKeyKey: true };

function inputTls(ctx: PluginContext, tls: LogstashInputTls | undefined): { settings: Array<[string, LogstashValue]>; mounts: PluginSecretMount[] } {
  if (!tls) return { settings: [], mounts: [] };
  rejectUnknownProps(`${typeof ctx.scope === 'string' ? ctx.scope : ctx.scope.node.path} ${ctx.prop}.tls`, tls, TLS_KEYS, 'LogstashInputTls');
  if (!tls.secret) throw new ConfigurationError(ctx.scope, `${ctx.prop}.tls.secret`, 'is required', tls.secret, 'Pass the certificate Secret, e.g. kplus.Secret.fromSecretName(this, "tls", "logstash-tls").');
  const directory = `${LOGSTASH_CERTS_DIR}/${ctx.slot}`;
  const files = { [checkKey(ctx, 'tls.certificateKey', tls.certificateKey ?? 'tls.crt')]: 'tls.crt', [checkKey(ctx, 'tls.privateKeyKey', tls.privateKeyKey ?? 'tls.key')]: 'tls.key' };
  return {
    settings: [['ssl_enabled', true], ['ssl_certificate', `${directory}/tls.crt`], ['ssl_key', `${directory}/tls.key`]],
    mounts: [{ volumeName: ctx.slot, secret: tls.secret, directory, files }],
  };
}

/**
 * `user` and `password` settings that refer to variables from the Secret: Logstash substitutes
 * `${VAR}` from the environment when it loads the pipeline, so the values never reach a file.
 */
function basicAuth(ctx: PluginContext, c: LogstashCredentials | undefined): { settings: Array<[string, LogstashValue]>; env: Record<string, kplus.EnvValue> } {
  if (!c) return { settings: [], env: {} };
  if (!c.secret) throw new ConfigurationError(ctx.scope, `${ctx.prop}.credentials.secret`, 'is required', c.secret, 'Pass the Secret holding the user name and password.');
  const user = `${ctx.envPrefix}_USERNAME`;
  const password = `${ctx.envPrefix}_PASSWORD`;
  return {
    settings: [['user', `\${${user}}`], ['password', `\${${password}}`]],
    env: {
      [user]: kplus.EnvValue.fromSecretValue({ secret: c.secret, key: checkKey(ctx, 'credentials.usernameKey', c.usernameKey ?? 'username') }),
      [password]: kplus.EnvValue.fromSecretValue({ secret: c.secret, key: checkKey(ctx, 'credentials.passwordKey', c.passwordKey ?? 'password') }),
    },
  };
}

/** Where events come from. Both inputs acknowledge: a sender learns its events were queued. */
export class LogstashInput {
  /**
   * The beats (Lumberjack) input, for Filebeat and friends: the protocol acknowledges every
   * batch once it is in the queue, so with a persisted queue nothing is lost on a restart.
   */
  public static beats(options: BeatsInputOptions = {}): LogstashInput {
    return new LogstashInput('beats', (ctx) => {
      rejectUnknownProps(typeof ctx.scope === 'string' ? ctx.scope : ctx.scope.node.path, options, BEATS_KEYS, 'BeatsInputOptions');
      const port = checkPort(ctx, options.port ?? 5044);
      const tls = inputTls(ctx, options.tls);
      return { plugin: { name: 'beats', settings: [['port', port], ...tls.settings] }, port: { name: 'beats', number: port }, env: {}, mounts: tls.mounts };
    });
  }
  /**
   * The http input (JSON bodies become events; a JSON array, one event per element). It
   * answers 200 only after the events are in the queue, and 429 while its threads are busy (a
   * full queue blocks them), so a sender that retries (Fluent Bit's http output) loses nothing.
   */
  public static http(options: HttpInputOptions = {}): LogstashInput {
    return new LogstashInput('http', (ctx) => {
      rejectUnknownProps(typeof ctx.scope === 'string' ? ctx.scope : ctx.scope.node.path, options, HTTP_KEYS, 'HttpInputOptions');
      const port = checkPort(ctx, options.port ?? 8080);
      const tls = inputTls(ctx, options.tls);
      const auth = basicAuth(ctx, options.credentials);
      return { plugin: { name: 'http', settings: [['port', port], ...auth.settings, ...tls.settings] }, port: { name: 'http-input', number: port }, env: auth.env, mounts: tls.mounts };
    });
  }
  private constructor(
    /** The plugin name, e.g. `beats`. */
    public readonly plugin: string,
    private readonly binder: (ctx: PluginContext) => PluginBinding,
  ) {}

  /** @internal */
  public _bind(ctx: PluginContext): PluginBinding {
    return this.binder(ctx);
  }
}

/** Options of the json filter. */
export interface JsonFilterOptions {
  /**
   * The field holding the JSON text.
   * @default 'message'
   */
  readonly source?: string;
  /**
   * The field to put the parsed object under.
   * @default - the event's top level
   */
  readonly target?: string;
  /**
   * Remove the source field once it parsed (kept when it does not parse).
   * @default false
   */
  readonly removeSource?: boolean;
}

const JSON_KEYS: PropKeys<JsonFilterOptions> = { source: true, target: true, removeSource: true };

/**
 * How events are transformed, in order. A pipeline without filters passes events through
 * unchanged (the `filter` section is left out).
 */
export class LogstashFilter {
  /**
   * Parses a JSON field. Text that is not JSON passes through unchanged (no `_jsonparsefailure`
   * noise in the logs: container logs mix JSON and plain lines).
   */
  public static json(options: JsonFilterOptions = {}): LogstashFilter {
    return new LogstashFilter('json', (ctx) => {
      rejectUnknownProps(typeof ctx.scope === 'string' ? ctx.scope : ctx.scope.node.path, options, JSON_KEYS, 'JsonFilterOptions');
      const source = checkString(ctx, 'source', options.source ?? 'message');
      const settings: Array<[string, LogstashValue]> = [['source', source]];
      if (options.target !== undefined) settings.push(['target', checkString(ctx, 'target', options.target)]);
      settings.push(['skip_on_invalid_json', true]);
      // remove_field runs only when the filter succeeded, so unparsable lines keep their text.
      if (options.removeSource) settings.push(['remove_field', [source]]);
      return { plugin: { name: 'json', settings }, env: {}, mounts: [] };
    });
  }
  private constructor(
    /** The plugin name, e.g. `json`. */
    public readonly plugin: string,
    private readonly binder: (ctx: PluginContext) => PluginBinding,
  ) {}

  /** @internal */
  public _bind(ctx: PluginContext): PluginBinding {
    return this.binder(ctx);
  }
}

/** Basic-auth credentials from a Secret, passed as variables from secretKeyRef. */
export interface LogstashCredentials {
  readonly secret: kplus.ISecret;
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'password' */
  readonly passwordKey?: string;
}

/** The CA that signed the Elasticsearch certificate, from a Secret (mounted as a file). */
export interface LogstashCaCertificate {
  readonly secret: kplus.ISecret;
  /** @default 'ca.crt' */
  readonly key?: string;
}

/** Options of the elasticsearch output. */
export interface LogstashElasticsearchOptions {
  /** URLs with scheme and port, e.g. `['https://elasticsearch.search.svc.cluster.local:9200']`. */
  readonly hosts: string[];
  /**
   * The index; `%{+YYYY.MM.dd}` makes daily indices.
   * @default 'logs-%{+YYYY.MM.dd}'
   */
  readonly index?: string;
  /**
   * Basic-auth credentials.
   * @default - no authentication
   */
  readonly credentials?: LogstashCredentials;
  /**
   * The CA to verify the server with (https hosts).
   * @default - the JVM's trusted CAs
   */
  readonly caCertificate?: LogstashCaCertificate;
  /**
   * Verify the server certificate and host name. Turn off only for a self-signed test cluster.
   * @default true
   */
  readonly tlsVerify?: boolean;
}

const ES_KEYS: PropKeys<LogstashElasticsearchOptions> = { hosts: true, index: true, credentials: true, caCertificate: true, tlsVerify: true };
const HOST_URL = /^(https?):\/\/[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?\/?$/;

/** Where events go. */
export class LogstashOutput {
  /** Elasticsearch (or OpenSearch's compatible API), with credentials and CA by reference. */
  public static elasticsearch(options: LogstashElasticsearchOptions): LogstashOutput {
    return new LogstashOutput('elasticsearch', (ctx) => elasticsearchBinding(ctx, options));
  }
  private constructor(
    /** The plugin name, e.g. `elasticsearch`. */
    public readonly plugin: string,
    private readonly binder: (ctx: PluginContext) => PluginBinding,
  ) {}

  /** @internal */
  public _bind(ctx: PluginContext): PluginBinding {
    return this.binder(ctx);
  }
}

function elasticsearchBinding(ctx: PluginContext, options: LogstashElasticsearchOptions): PluginBinding {
  rejectUnknownProps(typeof ctx.scope === 'string' ? ctx.scope : ctx.scope.node.path, options, ES_KEYS, 'LogstashElasticsearchOptions');
  const hosts = options?.hosts;
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw new ConfigurationError(ctx.scope, `${ctx.prop}.hosts`, 'must list at least one URL', hosts, 'Pass e.g. [\'https://elasticsearch.search.svc.cluster.local:9200\'].');
  }
  hosts.forEach((host, i) => {
    if (typeof host !== 'string' || !HOST_URL.test(host)) {
      throw new ConfigurationError(ctx.scope, `${ctx.prop}.hosts[${i}]`, 'must be a URL with scheme http or https, a host and an optional port, no path', host, 'Use e.g. "https://elasticsearch.search.svc.cluster.local:9200".');
    }
  });
  const https = hosts.map((h) => h.startsWith('https://'));
  if (https.some((s) => s !== https[0])) throw new ConfigurationError(ctx.scope, `${ctx.prop}.hosts`, 'mix http and https', hosts, 'Use one scheme for every host.');
  const settings: Array<[string, LogstashValue]> = [['hosts', [...hosts]], ['index', checkString(ctx, 'index', options.index ?? 'logs-%{+YYYY.MM.dd}')]];
  // An explicit index: classic indices, not the data stream Logstash 8 would pick by default.
  settings.push(['data_stream', 'false']);
  const auth = basicAuth(ctx, options.credentials);
  const env = auth.env;
  settings.push(...auth.settings);
  const mounts: PluginSecretMount[] = [];
  const tlsVerify = options.tlsVerify ?? true;
  if (https[0]) {
    settings.push(['ssl_enabled', true]);
    if (options.caCertificate) {
      const directory = `${LOGSTASH_CERTS_DIR}/${ctx.slot}`;
      if (!options.caCertificate.secret) throw new ConfigurationError(ctx.scope, `${ctx.prop}.caCertificate.secret`, 'is required', options.caCertificate.secret, 'Pass the Secret holding the CA certificate.');
      mounts.push({ volumeName: ctx.slot, secret: options.caCertificate.secret, directory, files: { [checkKey(ctx, 'caCertificate.key', options.caCertificate.key ?? 'ca.crt')]: 'ca.crt' } });
      settings.push(['ssl_certificate_authorities', [`${directory}/ca.crt`]]);
    }
    settings.push(['ssl_verification_mode', tlsVerify ? 'full' : 'none']);
  } else if (options.caCertificate || options.tlsVerify !== undefined) {
    throw new ConfigurationError(ctx.scope, `${ctx.prop}.${options.caCertificate ? 'caCertificate' : 'tlsVerify'}`, 'applies to https hosts only', hosts, 'Use https:// hosts or drop the TLS options.');
  }
  return { plugin: { name: 'elasticsearch', settings }, env, mounts };
}

/** Props of a LogstashPipeline. */
export interface LogstashPipelineProps {
  /** At least one input. */
  readonly inputs: LogstashInput[];
  /**
   * Filters, in order.
   * @default - none: events pass through unchanged
   */
  readonly filters?: LogstashFilter[];
  /** At least one output. */
  readonly outputs: LogstashOutput[];
}

/** A pipeline: inputs, filters and outputs. */
export class LogstashPipeline {
  /** The conventional log pipeline: beats and http in, JSON messages parsed, Elasticsearch out. */
  public static logs(elasticsearch: LogstashElasticsearchOptions): LogstashPipeline {
    return new LogstashPipeline({
      inputs: [LogstashInput.beats(), LogstashInput.http()],
      filters: [LogstashFilter.json()],
      outputs: [LogstashOutput.elasticsearch(elasticsearch)],
    });
  }

  public readonly inputs: LogstashInput[];
  public readonly filters: LogstashFilter[];
  public readonly outputs: LogstashOutput[];

  constructor(props: LogstashPipelineProps) {
    this.inputs = [...(props?.inputs ?? [])];
    this.filters = [...(props?.filters ?? [])];
    this.outputs = [...(props?.outputs ?? [])];
  }
}

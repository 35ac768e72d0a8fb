/**
 * The log shipper a LogCollectorDaemon runs: Fluent Bit (default) or Fluentd. Each knows its
 * image, user, ports, host paths and how it is configured (a generated ConfigMap for Fluent Bit,
 * environment variables of the fluentd-kubernetes-daemonset image for Fluentd).
 */
import * as kplus from 'cdk8s-plus-27';
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { credentialEnv } from './elasticsearch';
import { logstashCredentialEnv, LogOutputKind, ResolvedLogOutput } from './log-output';
import { ContainerLogFormat, FLUENT_BIT, FluentBitSection, fluentBitSections, renderFluentBitConfig } from './fluent-bit-config';
import { HostPathMount } from './host';

/** Fluent Bit options. */
export interface FluentBitOptions {
  /**
   * The pinned image.
   * @default 'cr.fluentbit.io/fluent/fluent-bit:3.2.2'
   */
  readonly image?: string;
  /**
   * Memory the tail input buffers before pausing the files (back-pressure, not an OOM kill).
   * @default Size.mebibytes(10)
   */
  readonly memBufLimit?: Size;
  /**
   * Disk (on the node, under /var/lib/fluent-bit) for chunks not yet delivered while
   * Elasticsearch is unreachable.
   * @default Size.gibibytes(1)
   */
  readonly storageLimit?: Size;
  /**
   * Seconds between flushes.
   * @default 1
   */
  readonly flushSeconds?: number;
}

/** Fluentd options. */
export interface FluentdOptions {
  /**
   * The pinned fluentd-kubernetes-daemonset image with the Elasticsearch plugin.
   * @default 'fluent/fluentd-kubernetes-daemonset:v1.16.2-debian-elasticsearch8-1.1'
   */
  readonly image?: string;
}

/** Fluent Bit's generated configuration and where it is mounted. */
export interface LogAgentConfig {
  readonly sections: FluentBitSection[];
  readonly text: string;
  readonly fileName: string;
  readonly mountPath: string;
}

/** What a LogCollectorDaemon needs from its shipper (internal: not exported from the package). */
export interface LogAgentSetup {
  readonly app: string;
  readonly port: number;
  readonly healthPath: string;
  readonly livenessPath: string;
  readonly metricsPath: string;
  readonly args?: string[];
  readonly env: Record<string, kplus.EnvValue>;
  readonly hostPaths: HostPathMount[];
  /** Fluent Bit only. */
  readonly config?: LogAgentConfig;
}

const DEFAULT_FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:3.2.2';
const DEFAULT_FLUENTD_IMAGE = 'fluent/fluentd-kubernetes-daemonset:v1.16.2-debian-elasticsearch8-1.1';

/** Container logs and, on Docker nodes, the json files the /var/log/containers symlinks point to. */
function containerLogPaths(varLogWritable: boolean): HostPathMount[] {
  return [
    { volumeName: 'varlog', hostPath: '/var/log', writable: varLogWritable, hostPathType: kplus.HostPathVolumeType.DIRECTORY },
    // Exists on Docker nodes only; DirectoryOrCreate leaves an empty directory elsewhere so the pod still starts.
    { volumeName: 'dockercontainers', hostPath: '/var/lib/docker/containers', hostPathType: kplus.HostPathVolumeType.DIRECTORY_OR_CREATE },
  ];
}

/** The log shipper. */
export class LogAgent {
  /** Fluent Bit, configured by a generated classic-format ConfigMap. */
  public static fluentBit(options: FluentBitOptions = {}): LogAgent {
    return new LogAgent('fluent-bit', options.image ?? DEFAULT_FLUENT_BIT_IMAGE, (scope, output, format) => fluentBitSetup(scope, options, output, format), options.image !== undefined);
  }
  /** Fluentd (fluentd-kubernetes-daemonset image), configured through its environment variables. */
  public static fluentd(options: FluentdOptions = {}): LogAgent {
    return new LogAgent('fluentd', options.image ?? DEFAULT_FLUENTD_IMAGE, (scope, output, format) => fluentdSetup(scope, output, format), options.image !== undefined);
  }
  private constructor(
    /** `fluent-bit` or `fluentd`. */
    public readonly kind: string,
    /** The image unless the daemon's `image` prop overrides it. */
    public readonly image: string,
    private readonly setup: (scope: IConstruct | string, output: ResolvedLogOutput, format: ContainerLogFormat) => LogAgentSetup,
    private readonly imageGiven: boolean,
  ) {}

  /**
   * Whether the agent's options named an image (it conflicts with the daemon's `image` prop).
   * @internal
   */
  public get _imageGiven(): boolean {
    return this.imageGiven;
  }

  /** @internal */
  public _setup(scope: IConstruct | string, output: ResolvedLogOutput, format: ContainerLogFormat): LogAgentSetup {
    return this.setup(scope, output, format);
  }
}

function fluentBitSetup(scope: IConstruct | string, options: FluentBitOptions, output: ResolvedLogOutput, logFormat: ContainerLogFormat): LogAgentSetup {
  const memBufLimit = options.memBufLimit ?? Size.mebibytes(10);
  const storageLimit = options.storageLimit ?? Size.gibibytes(1);
  for (const [prop, size] of [['fluentBit.memBufLimit', memBufLimit], ['fluentBit.storageLimit', storageLimit]] as const) {
    const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(mib) || mib < 1) throw new ConfigurationError(scope, prop, 'must be a whole number of MiB, at least 1', `${size.toKibibytes()}Ki`, 'Use Size.mebibytes() or Size.gibibytes().');
  }
  const flushSeconds = options.flushSeconds ?? 1;
  if (!Number.isInteger(flushSeconds) || flushSeconds < 1) throw new ConfigurationError(scope, 'fluentBit.flushSeconds', 'must be a whole number >= 1', flushSeconds, 'Use e.g. 1 or 5.');
  const sections = fluentBitSections({ output, logFormat, memBufLimit, storageLimit, flushSeconds });
  return {
    app: 'fluent-bit',
    port: FLUENT_BIT.httpPort,
    healthPath: FLUENT_BIT.healthPath,
    // Liveness only asks "is the process serving?": /api/v1/health fails while Elasticsearch is
    // down, and restarting the shipper would not bring Elasticsearch back (it would drop memory buffers).
    livenessPath: '/',
    metricsPath: FLUENT_BIT.metricsPath,
    args: [`--workdir=/fluent-bit/etc`, `--config=${FLUENT_BIT.configDir}/${FLUENT_BIT.configFile}`],
    env: output.elasticsearch ? credentialEnv(output.elasticsearch) : logstashCredentialEnv(output),
    hostPaths: [
      ...containerLogPaths(false),
      // The only path Fluent Bit writes: tail offset DB (with its -wal/-shm files) and filesystem buffers.
      { volumeName: 'state', hostPath: FLUENT_BIT.stateDir, writable: true },
    ],
    config: { sections, text: renderFluentBitConfig(sections), fileName: FLUENT_BIT.configFile, mountPath: FLUENT_BIT.configDir },
  };
}

/** Fluentd's Prometheus plugin (enabled in the daemonset image) serves metrics here. */
const FLUENTD_METRICS_PORT = 24231;

function fluentdSetup(scope: IConstruct | string, output: ResolvedLogOutput, logFormat: ContainerLogFormat): LogAgentSetup {
  // The image configures only its Elasticsearch output, and only from these variables.
  if (output.kind !== LogOutputKind.ELASTICSEARCH || !output.elasticsearch) {
    throw new ConfigurationError(scope, 'output', 'is not supported by LogAgent.fluentd(): the fluentd-kubernetes-daemonset image configures only its Elasticsearch output (from environment variables)', output.kind,
      'Use LogAgent.fluentBit() (the default) to ship to Logstash, or LogOutput.elasticsearch(...) with Fluentd.');
  }
  if (output.caCertificate) {
    throw new ConfigurationError(scope, 'elasticsearch.caCertificate', 'is not supported by LogAgent.fluentd(): this library does not configure the image\'s CA file', output.caCertificate.key,
      'Use LogAgent.fluentBit() (the default), or drop caCertificate and use a certificate the image trusts.');
  }
  const es = output.elasticsearch;
  const value = kplus.EnvValue.fromValue;
  const parser: Record<string, kplus.EnvValue> = logFormat === ContainerLogFormat.CRI
    ? { FLUENT_CONTAINER_TAIL_PARSER_TYPE: value('cri'), FLUENT_CONTAINER_TAIL_PARSER_TIME_FORMAT: value('%Y-%m-%dT%H:%M:%S.%N%:z') }
    : { FLUENT_CONTAINER_TAIL_PARSER_TYPE: value('json') };
  return {
    app: 'fluentd',
    port: FLUENTD_METRICS_PORT,
    healthPath: '/metrics',
    livenessPath: '/metrics',
    metricsPath: '/metrics',
    env: {
      FLUENT_ELASTICSEARCH_HOST: value(es.host),
      FLUENT_ELASTICSEARCH_PORT: value(String(es.port)),
      FLUENT_ELASTICSEARCH_SCHEME: value(es.scheme),
      FLUENT_ELASTICSEARCH_SSL_VERIFY: value(String(es.tlsVerify)),
      FLUENT_ELASTICSEARCH_LOGSTASH_FORMAT: value(String(es.index.logstashFormat)),
      ...(es.index.logstashFormat ? { FLUENT_ELASTICSEARCH_LOGSTASH_PREFIX: value(es.index.name) } : { FLUENT_ELASTICSEARCH_INDEX_NAME: value(es.index.name) }),
      ...credentialEnv(es, 'FLUENT_ELASTICSEARCH_USER', 'FLUENT_ELASTICSEARCH_PASSWORD'),
      ...parser,
      // The journal is not mounted; without this the systemd source logs errors forever.
      FLUENTD_SYSTEMD_CONF: value('disable'),
      K8S_NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME),
      TMPDIR: value('/tmp'),
    },
    hostPaths: [
      // Fluentd keeps its tail position files in /var/log, so it needs it writable.
      ...containerLogPaths(true),
      // Ruby refuses a world-writable TMPDIR without the sticky bit (an emptyDir is 0777); a
      // DirectoryOrCreate hostPath is 0755 and owned by root, which Fluentd runs as.
      { volumeName: 'tmp', hostPath: '/var/lib/fluentd/tmp', mountPath: '/tmp', writable: true },
    ],
  };
}

import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError, ConflictingPropsError } from '../errors';
import { wholeSeconds } from '../defaults/checks';
import { validateImage } from '../defaults/container';
import { JOB_DEFAULTS, JobLifecycleDefaults } from '../defaults/jobs';
import { checkType, PropKeys, PropType } from '../defaults/props';
import { BatchJob, JobRunOptions } from './batch-job';
import { JobPattern } from './job-pattern';
import { WAIT_FOR_TCP_SCRIPT, waitForTcpEnv } from './wait-for-tcp';

/**
 * Where a database accepts connections. Structural on purpose: the database constructs expose
 * `primaryHost` and `port`, so they satisfy it without this family importing them.
 */
export interface IDatabaseEndpoint {
  /** The DNS name (or IP) of the primary, e.g. the client Service `orders-db`. */
  readonly primaryHost: string;
  /** The TCP port, e.g. 5432. */
  readonly port: number;
  /**
   * Labels a client pod needs to pass the database's NetworkPolicy; the migration's pods get them.
   * @default - none
   */
  readonly clientLabels?: Record<string, string>;
}

/** A migration Job: a single run that starts once the database accepts connections. */
export interface MigrationJobProps extends JobRunOptions {
  /**
   * The database to wait for (a database construct of this library, or any `{ primaryHost, port }`).
   * Pass either this or `host` and `port`.
   * @default - `host` and `port`
   */
  readonly database?: IDatabaseEndpoint;
  /**
   * The host to wait for, with `port`, when there is no database object.
   * @default - `database.primaryHost`
   */
  readonly host?: string;
  /**
   * The port to wait for, with `host`.
   * @default - `database.port`
   */
  readonly port?: number;
  /**
   * How long the init container waits before it fails the pod (then backoffLimit retries).
   * @default Duration.minutes(5)
   */
  readonly waitTimeout?: Duration;
  /**
   * The image of the wait container: it needs `sh`, `nc` (with -z and -w), `date` and `sleep`.
   * @default 'busybox:1.36'
   */
  readonly waitImage?: string;
}

/** The name of the init container that waits for the database. */
const WAIT_CONTAINER_NAME = 'wait-for-database';

const HOST = /^([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$|^[0-9a-fA-F:]+$/;

/** The props a MigrationJob adds to a BatchJob's; the compiler keeps the list complete. */
const MIGRATION_PROP_KEYS: PropKeys<Omit<MigrationJobProps, keyof JobRunOptions>> = { database: true, host: true, port: true, waitTimeout: true, waitImage: true };

/**
 * Runs a database migration once: an init container (`busybox:1.36`, `nc -z` in a loop with a
 * timeout) waits until host:port accepts connections, then the migration container runs.
 * Defaults differ from a BatchJob where a migration needs it: backoffLimit 2 (a migration that
 * failed twice needs a human), activeDeadline 30 minutes, component `migration`.
 */
export class MigrationJob extends BatchJob {
  /** The host waited for. */
  public readonly host: string;
  /** The port waited for. */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    const path = `${scope.node.path}/${id}`;
    checkType(path, 'waitTimeout', props.waitTimeout, PropType.DURATION);
    checkType(path, 'activeDeadline', props.activeDeadline, PropType.DURATION);
    checkType(path, 'waitImage', props.waitImage, PropType.STRING);
    checkType(path, 'host', props.host, PropType.STRING);
    checkType(path, 'port', props.port, PropType.NUMBER);
    const [host, port] = endpoint(path, props);
    const waitSeconds = wholeSeconds(path, 'waitTimeout', props.waitTimeout ?? JOB_DEFAULTS.migrationWaitTimeout, 1, 'Use e.g. Duration.minutes(5).');
    const deadline = props.activeDeadline ?? JOB_DEFAULTS.migration.activeDeadline;
    if (waitSeconds >= wholeSeconds(path, 'activeDeadline', deadline, 1, 'Give the migration time to run, e.g. Duration.minutes(30).')) {
      throw new ConfigurationError(path, 'waitTimeout', `must be shorter than activeDeadline (${deadline.toSeconds()}s)`, `${waitSeconds}s`,
        'Leave the migration time to run after the wait: lower waitTimeout or raise activeDeadline.');
    }
    const waitImage = props.waitImage ?? JOB_DEFAULTS.waitImage;
    validateImage(path, 'waitImage', waitImage);
    const env = waitForTcpEnv(host, port, waitSeconds);
    super(scope, id, {
      ...props,
      component: props.component ?? 'migration',
      podLabels: { ...props.database?.clientLabels, ...props.podLabels },
      pattern: JobPattern.singleRun(),
      containerName: props.containerName ?? 'migrate',
      initContainers: [
        {
          name: WAIT_CONTAINER_NAME,
          image: waitImage,
          command: ['sh', '-c', WAIT_FOR_TCP_SCRIPT],
          env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        },
        ...(props.initContainers ?? []),
      ],
    });
    this.host = host;
    this.port = port;
  }

  /** @internal */
  protected _extraPropKeys(): Record<string, true> {
    return MIGRATION_PROP_KEYS;
  }

  /** @internal */
  protected _lifecycleDefaults(): JobLifecycleDefaults {
    return JOB_DEFAULTS.migration;
  }
}

function endpoint(path: string, props: MigrationJobProps): [string, number] {
  const explicit = props.host !== undefined || props.port !== undefined;
  if (props.database && explicit) {
    throw new ConflictingPropsError(path, [
      `database is set (${props.database.primaryHost}:${props.database.port})`,
      `host/port are set (${props.host ?? 'nothing'}:${props.port ?? 'nothing'}); pass either database or host and port, not both`,
    ]);
  }
  if (!props.database && (props.host === undefined || props.port === undefined)) {
    throw new ConfigurationError(path, props.host === undefined ? 'host' : 'port', 'is required without a database', props.host ?? props.port,
      'Pass database (e.g. a PostgresCluster) or both host and port.');
  }
  const host = props.database?.primaryHost ?? props.host!;
  const port = props.database?.port ?? props.port!;
  const prop = props.database ? 'database' : 'host';
  if (!HOST.test(host) || host.length > 253) throw new ConfigurationError(path, `${prop}${props.database ? '.primaryHost' : ''}`, 'is not a DNS name or IP address', host, 'Use a Service name such as "orders-db" or "orders-db.prod.svc".');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigurationError(path, props.database ? 'database.port' : 'port', 'must be an integer 1-65535', port, 'Use the database\'s TCP port, e.g. 5432.');
  }
  return [host, port];
}

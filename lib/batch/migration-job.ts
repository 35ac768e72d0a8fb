import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError, ConflictingPropsError } from '../errors';
import { validateImage } from '../defaults/container';
import { BatchJob, JobRunOptions } from './batch-job';
import { JobPattern } from './job-pattern';
import { wholeSeconds } from './job-settings';
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
export const WAIT_CONTAINER_NAME = 'wait-for-database';
/** The default wait image: small, pinned, with a busybox nc that supports -z and -w. */
export const DEFAULT_WAIT_IMAGE = 'busybox:1.36';

const HOST = /^([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$|^[0-9a-fA-F:]+$/;

/**
 * Runs a database migration once: an init container (`busybox:1.36`, `nc -z` in a loop with a
 * timeout) waits until host:port accepts connections, then the migration container runs.
 * Defaults differ from a BatchJob where a migration needs it: backoffLimit 2 (a migration that
 * failed twice needs a human), activeDeadline 30 minutes, component `migration`.
 */
export class MigrationJob extends Construct {
  /** The cdk8s-plus Job. */
  public readonly job: kplus.Job;
  /** The BatchJob that builds it. */
  public readonly batchJob: BatchJob;
  /** The host waited for. */
  public readonly host: string;
  /** The port waited for. */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    [this.host, this.port] = this.endpoint(props);
    const waitSeconds = wholeSeconds(this, 'waitTimeout', props.waitTimeout ?? Duration.minutes(5), 1);
    const deadline = props.activeDeadline ?? Duration.minutes(30);
    if (waitSeconds >= wholeSeconds(this, 'activeDeadline', deadline, 1)) {
      throw new ConfigurationError(this, 'waitTimeout', `must be shorter than activeDeadline (${deadline.toSeconds()}s)`, `${waitSeconds}s`,
        'Leave the migration time to run after the wait: lower waitTimeout or raise activeDeadline.');
    }
    const waitImage = props.waitImage ?? DEFAULT_WAIT_IMAGE;
    validateImage(this, 'waitImage', waitImage);
    const env = waitForTcpEnv(this.host, this.port, waitSeconds);

    const { database: _database, host: _host, port: _port, waitTimeout: _waitTimeout, waitImage: _waitImage, ...runOptions } = props;
    this.batchJob = new BatchJob(this, 'Default', {
      ...runOptions,
      backoffLimit: props.backoffLimit ?? 2,
      component: props.component ?? 'migration',
      podLabels: { ...props.database?.clientLabels, ...props.podLabels },
      activeDeadline: deadline,
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
    this.job = this.batchJob.job;
  }

  private endpoint(props: MigrationJobProps): [string, number] {
    const explicit = props.host !== undefined || props.port !== undefined;
    if (props.database && explicit) {
      throw new ConflictingPropsError(this, [
        `database is set (${props.database.primaryHost}:${props.database.port})`,
        `host/port are set (${props.host ?? 'nothing'}:${props.port ?? 'nothing'}); pass either database or host and port, not both`,
      ]);
    }
    if (!props.database && (props.host === undefined || props.port === undefined)) {
      throw new ConfigurationError(this, props.host === undefined ? 'host' : 'port', 'is required without a database', props.host ?? props.port,
        'Pass database (e.g. a PostgresCluster) or both host and port.');
    }
    const host = props.database?.primaryHost ?? props.host!;
    const port = props.database?.port ?? props.port!;
    const prop = props.database ? 'database' : 'host';
    if (!HOST.test(host) || host.length > 253) throw new ConfigurationError(this, `${prop}${props.database ? '.primaryHost' : ''}`, 'is not a DNS name or IP address', host, 'Use a Service name such as "orders-db" or "orders-db.prod.svc".');
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigurationError(this, props.database ? 'database.port' : 'port', 'must be an integer 1-65535', port, 'Use the database\'s TCP port, e.g. 5432.');
    }
    return [host, port];
  }
}

import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { ConfigurationError } from '../../../errors';
import { validateImage } from '../../../defaults/container';
import { checkType, PropKeys, PropType, rejectUnknownProps } from '../../../defaults/props';

/** The image a Patroni member runs: PostgreSQL and Patroni, and where they are in it. */
export interface PatroniImageOptions {
  /** The image, pinned (a tag other than `latest`, or a digest). */
  readonly image: string;
  /** The numeric user PostgreSQL runs as in the image (never 0). */
  readonly uid: number;
  /** The numeric group of that user (also the pod's fsGroup). */
  readonly gid: number;
  /**
   * The directory of the PostgreSQL server binaries in the image (Patroni's `postgresql.bin_dir`).
   * @default '/usr/lib/postgresql/15/bin' (Debian and Ubuntu packages, the official image, Spilo)
   */
  readonly postgresBinDir?: string;
}

const IMAGE_KEYS: PropKeys<PatroniImageOptions> = { image: true, uid: true, gid: true, postgresBinDir: true };
const DEBIAN_BIN_DIR = '/usr/lib/postgresql/15/bin';

/**
 * Which image carries Patroni. The member runs `patroni <config>` directly (through a short
 * start script), so any image with Patroni 3.0+ (and its `kubernetes` extra: urllib3, PyYAML),
 * psycopg2 and the PostgreSQL server binaries works; the image's own entrypoint is not used.
 */
export class PatroniImage {
  /**
   * Zalando's Spilo for PostgreSQL 15, tag `3.0-p1` (the image the Zalando operator v1.10 ran):
   * Patroni 3.0, PostgreSQL 15 from apt.postgresql.org in /usr/lib/postgresql/15/bin, user
   * `postgres` uid 101 / gid 103. Spilo is large (every major version from 10 up and many
   * extensions, over 1 GB) and its entrypoint generates its own Patroni configuration from
   * environment variables; the generated manifests bypass that entrypoint and run Patroni with
   * this library's configuration.
   */
  public static spilo15(): PatroniImage {
    return new PatroniImage('ghcr.io/zalando/spilo-15:3.0-p1', 101, 103, DEBIAN_BIN_DIR);
  }

  /** Your own image (e.g. `postgres:15` plus `pip install patroni[kubernetes] psycopg2-binary`). */
  public static custom(options: PatroniImageOptions): PatroniImage {
    const where = 'PatroniImage.custom';
    rejectUnknownProps(where, options, IMAGE_KEYS, 'PatroniImageOptions');
    validateImage(where, 'image', options.image);
    for (const prop of ['uid', 'gid'] as const) {
      const value = options[prop];
      if (!Number.isInteger(value) || value < 1) {
        throw new ConfigurationError(where, prop, 'must be a positive integer (PostgreSQL refuses to run as root)', value, 'Use the numeric id of the image\'s postgres user, e.g. 999 in the official postgres image.');
      }
    }
    const binDir = options.postgresBinDir ?? DEBIAN_BIN_DIR;
    checkType(where, 'postgresBinDir', binDir, PropType.STRING);
    if (!binDir.startsWith('/')) {
      throw new ConfigurationError(where, 'postgresBinDir', 'must be an absolute path', binDir, `Use the directory holding pg_ctl in the image, e.g. "${DEBIAN_BIN_DIR}".`);
    }
    return new PatroniImage(options.image, options.uid, options.gid, binDir);
  }

  private constructor(
    /** The image reference. */
    public readonly image: string,
    /** The user PostgreSQL runs as. */
    public readonly uid: number,
    /** Its group. */
    public readonly gid: number,
    /** Where the server binaries are. */
    public readonly postgresBinDir: string,
  ) {}
}

/** Patroni's timing and replication choices. */
export interface PatroniOptions {
  /**
   * Synchronous mode: a commit is acknowledged only once a synchronous standby has flushed it,
   * and Patroni fails over only to that standby, so no acknowledged commit is lost. It costs
   * commit latency (a round trip to the standby; see README for the measured throughput). When
   * no standby is healthy, Patroni turns synchronous replication off rather than block writes
   * (`synchronous_mode_strict: false`).
   * @default false
   */
  readonly synchronous?: boolean;
  /**
   * How long the leader key lives without being renewed: after a leader dies, a new one is
   * elected within about `ttl + loopWait`. Whole seconds, at least 20.
   * @default Duration.seconds(30)
   */
  readonly ttl?: Duration;
  /**
   * How often each member runs Patroni's loop. Whole seconds, at least 1.
   * @default Duration.seconds(10)
   */
  readonly loopWait?: Duration;
  /**
   * How long Patroni retries the Kubernetes API and PostgreSQL before giving up (a leader that
   * cannot renew its key for this long demotes itself). Whole seconds, at least 3; Patroni's
   * rule: `loopWait + 2 * retryTimeout <= ttl`.
   * @default Duration.seconds(10)
   */
  readonly retryTimeout?: Duration;
  /**
   * A replica further behind the leader than this (in WAL bytes) does not take part in a
   * failover (asynchronous mode: the most commits a failover may lose).
   * @default Size.mebibytes(1)
   */
  readonly maximumLagOnFailover?: Size;
  /**
   * The image with Patroni and PostgreSQL. Set it here, not with the cluster's `image` prop: the
   * generated configuration depends on the image's user and binary paths.
   * @default PatroniImage.spilo15()
   */
  readonly image?: PatroniImage;
  /**
   * The Kubernetes API server's address range, for the NetworkPolicy's egress (Patroni talks to
   * the API server). Without it, egress on ports 443 and 6443 is allowed to any address: a
   * NetworkPolicy sees the API server's real endpoint address, which differs between clusters.
   * @default - any address, ports 443 and 6443
   */
  readonly apiServerCidr?: string;
}

const OPTION_KEYS: PropKeys<PatroniOptions> = {
  synchronous: true, ttl: true, loopWait: true, retryTimeout: true, maximumLagOnFailover: true, image: true, apiServerCidr: true,
};

/**
 * High availability for a PostgresCluster: which member is the primary is decided by an election
 * instead of being pod 0. Pass it as `highAvailability`.
 */
export class HighAvailability {
  /**
   * Patroni with the Kubernetes API as its store (ConfigMaps mode, no operator): the members
   * elect a leader through a ConfigMap lock, and Patroni labels the leader pod `role=master`,
   * which the read-write Service selects. The store mode is chosen once, at creation: switching
   * a running cluster between ConfigMaps and Endpoints risks two leaders.
   */
  public static patroni(options: PatroniOptions = {}): HighAvailability {
    const where = 'HighAvailability.patroni';
    rejectUnknownProps(where, options, OPTION_KEYS, 'PatroniOptions');
    checkType(where, 'synchronous', options.synchronous, PropType.BOOLEAN);
    for (const prop of ['ttl', 'loopWait', 'retryTimeout'] as const) checkType(where, prop, options[prop], PropType.DURATION);
    checkType(where, 'maximumLagOnFailover', options.maximumLagOnFailover, PropType.SIZE);
    checkType(where, 'apiServerCidr', options.apiServerCidr, PropType.STRING);
    if (options.image !== undefined && !(options.image instanceof PatroniImage)) {
      throw new ConfigurationError(where, 'image', 'must be a PatroniImage', options.image, 'Use PatroniImage.spilo15() or PatroniImage.custom({ image, uid, gid }).');
    }
    const ttl = wholeSeconds(where, 'ttl', options.ttl ?? Duration.seconds(30), 20);
    const loopWait = wholeSeconds(where, 'loopWait', options.loopWait ?? Duration.seconds(10), 1);
    const retryTimeout = wholeSeconds(where, 'retryTimeout', options.retryTimeout ?? Duration.seconds(10), 3);
    if (loopWait + 2 * retryTimeout > ttl) {
      throw new ConfigurationError(where, 'ttl', `must be at least loopWait + 2 * retryTimeout (${loopWait} + 2 * ${retryTimeout} = ${loopWait + 2 * retryTimeout}s), or a leader may lose its key while still retrying`,
        `${ttl}s`, `Raise ttl to ${loopWait + 2 * retryTimeout}s or lower loopWait / retryTimeout (the defaults are 30 / 10 / 10).`);
    }
    const lag = (options.maximumLagOnFailover ?? Size.mebibytes(1)).toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
    if (!Number.isInteger(lag) || lag < 0) {
      throw new ConfigurationError(where, 'maximumLagOnFailover', 'must be a whole number of bytes >= 0', lag, 'Use e.g. Size.mebibytes(1).');
    }
    if (options.apiServerCidr !== undefined && !/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(options.apiServerCidr)) {
      throw new ConfigurationError(where, 'apiServerCidr', 'must be a CIDR', options.apiServerCidr, 'Use the API server\'s address range, e.g. "10.0.0.0/24" (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes).');
    }
    return new HighAvailability(options.synchronous ?? false, ttl, loopWait, retryTimeout, lag, options.image ?? PatroniImage.spilo15(), options.apiServerCidr);
  }

  private constructor(
    /** Synchronous mode. */
    public readonly synchronous: boolean,
    /** The leader key's TTL, in seconds. */
    public readonly ttlSeconds: number,
    /** Patroni's loop period, in seconds. */
    public readonly loopWaitSeconds: number,
    /** Patroni's retry timeout, in seconds. */
    public readonly retryTimeoutSeconds: number,
    /** The most WAL bytes a failover candidate may lag. */
    public readonly maximumLagOnFailoverBytes: number,
    /** The image with Patroni. */
    public readonly image: PatroniImage,
    /** The API server's address range, when given. */
    public readonly apiServerCidr?: string,
  ) {}
}

function wholeSeconds(where: string, prop: string, value: Duration, minimum: number): number {
  const seconds = value.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < minimum) {
    throw new ConfigurationError(where, prop, `must be a whole number of seconds >= ${minimum}`, `${value.toMilliseconds()}ms`, `Use e.g. Duration.seconds(${Math.max(minimum, Math.ceil(seconds))}).`);
  }
  return seconds;
}

import * as kplus from 'cdk8s-plus-27';
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { cidrProblem, secretKeyProblem } from '../kube/names';
import { dnsSubdomainProblem } from '../kube/names';

/** Where dumps are kept. */
export enum BackupTargetKind {
  /** A PersistentVolumeClaim the BackupCronJob creates. */
  PERSISTENT_VOLUME = 'persistent-volume',
  /** A PersistentVolumeClaim that exists already. */
  EXISTING_CLAIM = 'existing-claim',
  /** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, GCS interoperability, ...). */
  S3 = 's3',
}

/** A volume for the dumps, created with the BackupCronJob. */
export interface PersistentVolumeTargetOptions {
  /** The claim's size: a whole number of GiB. Leave room for `retention` dumps plus one. */
  readonly size: Size;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * The claim name. A RestoreJob without `backup` needs it to find the volume.
   * @default - `<backup job name>-dumps`
   */
  readonly claimName?: string;
  /** @default [ReadWriteOnce] */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
}

/** The Secret keys of S3 credentials. */
export const S3_SECRET_KEYS = {
  /** The access key id. */
  accessKeyId: 'access-key-id',
  /** The secret access key. */
  secretAccessKey: 'secret-access-key',
};

/** The pinned AWS CLI image that uploads and downloads dumps. */
export const DEFAULT_AWS_CLI_IMAGE = 'amazon/aws-cli:2.17.0';

/** An S3-compatible bucket for the dumps. */
export interface S3TargetOptions {
  /** The bucket (3-63 characters: lowercase letters, digits, "." and "-"). */
  readonly bucket: string;
  /**
   * The endpoint URL (http or https), e.g. `https://minio.storage.svc:9000`.
   * @default - AWS S3 for the region
   */
  readonly endpoint?: string;
  /**
   * The key prefix (a "folder"), e.g. `postgres/orders`; leading and trailing "/" are ignored.
   * @default - the bucket root
   */
  readonly prefix?: string;
  /**
   * The region the requests are signed for: for AWS, the bucket's region; MinIO and Ceph accept any.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * The Secret with the credentials; its keys are `access-key-id` and `secret-access-key` unless
   * `accessKeyIdKey` / `secretAccessKeyKey` say otherwise. Never created here. It is mounted
   * read-only into the upload/download containers as files (never passed as env).
   */
  readonly credentialsSecret: kplus.ISecret;
  /** @default 'access-key-id' */
  readonly accessKeyIdKey?: string;
  /** @default 'secret-access-key' */
  readonly secretAccessKeyKey?: string;
  /**
   * Path-style requests (`https://host/bucket/key`), which MinIO and most non-AWS stores need.
   * @default - true with a custom endpoint, false for AWS
   */
  readonly pathStyle?: boolean;
  /**
   * The networks the pods may reach the endpoint in (CIDRs). The endpoint port (443 unless the
   * URL says otherwise) is open to these only.
   * @default - any address: object storage endpoints rarely have stable IPs
   */
  readonly allowedCidrs?: string[];
  /** The image of the upload and download containers, pinned. @default DEFAULT_AWS_CLI_IMAGE */
  readonly image?: string;
}

/** S3 settings after validation and defaults. */
export interface ResolvedS3Target {
  readonly bucket: string;
  readonly endpoint?: string;
  readonly prefix: string;
  readonly region: string;
  readonly credentialsSecret: kplus.ISecret;
  readonly accessKeyIdKey: string;
  readonly secretAccessKeyKey: string;
  readonly pathStyle: boolean;
  readonly allowedCidrs: string[];
  readonly image: string;
  /** The TCP port of the endpoint. */
  readonly port: number;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Where a BackupCronJob writes dumps and a RestoreJob reads them.
 *
 * ```ts
 * BackupTarget.persistentVolume({ size: Size.gibibytes(50), storageClassName: 'standard-rwo' })
 * BackupTarget.existingClaim('orders-dumps')
 * BackupTarget.s3({ bucket: 'backups', prefix: 'orders', endpoint: 'https://minio.storage.svc:9000', credentialsSecret })
 * ```
 *
 * Options are checked when a job uses the target, so errors name the job.
 */
export class BackupTarget {
  /** A new PersistentVolumeClaim, created by the BackupCronJob. */
  public static persistentVolume(options: PersistentVolumeTargetOptions): BackupTarget {
    return new BackupTarget(BackupTargetKind.PERSISTENT_VOLUME, options, undefined, undefined);
  }

  /** A PersistentVolumeClaim that already exists in the namespace. */
  public static existingClaim(claimName: string): BackupTarget {
    return new BackupTarget(BackupTargetKind.EXISTING_CLAIM, undefined, claimName, undefined);
  }

  /** An S3-compatible bucket; keep old dumps in check with a bucket lifecycle rule. */
  public static s3(options: S3TargetOptions): BackupTarget {
    return new BackupTarget(BackupTargetKind.S3, undefined, undefined, options);
  }

  private constructor(
    public readonly kind: BackupTargetKind,
    /** The options of a persistentVolume target. */
    public readonly volumeOptions?: PersistentVolumeTargetOptions,
    /** The claim of an existingClaim target. */
    public readonly existingClaimName?: string,
    /** The options of an s3 target. */
    public readonly s3Options?: S3TargetOptions,
  ) {}

  /** Whether dumps live on a volume (retention applies) rather than in a bucket. */
  public get isVolume(): boolean {
    return this.kind !== BackupTargetKind.S3;
  }

  /**
   * Throws a ConfigurationError naming `scope` and `prop` when the target is incomplete or invalid.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.kind === BackupTargetKind.PERSISTENT_VOLUME) validateVolume(scope, prop, this.volumeOptions!);
    else if (this.kind === BackupTargetKind.EXISTING_CLAIM) validateClaimName(scope, `${prop}.claimName`, this.existingClaimName);
    else this._resolveS3(scope, prop);
  }

  /**
   * The S3 settings with defaults applied; throws like _validate().
   * @internal
   */
  public _resolveS3(scope: IConstruct, prop: string): ResolvedS3Target {
    const o = this.s3Options;
    if (!o) throw new Error(`${scope.node.path}: ${prop} is not an S3 target`);
    if (!o.bucket) throw new ConfigurationError(scope, `${prop}.bucket`, 'is required', o.bucket, 'Name the bucket, e.g. BackupTarget.s3({ bucket: \'backups\', ... }).');
    if (!BUCKET.test(o.bucket) || o.bucket.includes('..')) {
      throw new ConfigurationError(scope, `${prop}.bucket`, 'is not a valid bucket name (3-63 characters: lowercase letters, digits, "." and "-", starting and ending with a letter or digit)', o.bucket, 'Use the bucket\'s exact name.');
    }
    if (!o.credentialsSecret) {
      throw new ConfigurationError(scope, `${prop}.credentialsSecret`, 'is required', undefined, `Pass the Secret with the keys "${S3_SECRET_KEYS.accessKeyId}" and "${S3_SECRET_KEYS.secretAccessKey}", e.g. kplus.Secret.fromSecretName(this, 's3', 'backup-s3').`);
    }
    let port = 443;
    if (o.endpoint !== undefined) {
      const explicitPort = /^[a-z]+:\/\/[^/:]+:(\d+)/i.exec(o.endpoint)?.[1];
      if (explicitPort !== undefined && (Number(explicitPort) < 1 || Number(explicitPort) > 65535)) {
        throw new ConfigurationError(scope, `${prop}.endpoint`, `has port ${Number(explicitPort)}; ports are 1-65535`, o.endpoint, 'Pass the port the object store listens on, e.g. "https://minio.storage.svc:9000".');
      }
      let url: URL | undefined;
      try {
        url = new URL(o.endpoint);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
        throw new ConfigurationError(scope, `${prop}.endpoint`, 'must be an http:// or https:// URL', o.endpoint, 'Pass e.g. "https://minio.storage.svc:9000", or omit it for AWS S3.');
      }
      if (url.pathname !== '/' || url.search || url.username) {
        throw new ConfigurationError(scope, `${prop}.endpoint`, 'must be scheme, host and port only (the bucket and prefix have their own props)', o.endpoint, `Pass "${url.protocol}//${url.host}".`);
      }
      port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
    }
    for (const cidr of o.allowedCidrs ?? []) {
      const problem = cidrProblem(cidr);
      if (problem) throw new ConfigurationError(scope, `${prop}.allowedCidrs`, `has an entry that is not a CIDR: it ${problem}`, cidr, 'Use e.g. "10.20.0.0/16" or "52.216.0.0/15".');
    }
    const keys = { accessKeyIdKey: o.accessKeyIdKey ?? S3_SECRET_KEYS.accessKeyId, secretAccessKeyKey: o.secretAccessKeyKey ?? S3_SECRET_KEYS.secretAccessKey };
    for (const [field, key] of Object.entries(keys)) {
      const problem = secretKeyProblem(key);
      if (problem) throw new ConfigurationError(scope, `${prop}.${field}`, problem, key, 'Use the key as `kubectl get secret -o yaml` shows it, e.g. "access-key-id".');
    }
    if (keys.accessKeyIdKey === keys.secretAccessKeyKey) {
      throw new ConfigurationError(scope, `${prop}.secretAccessKeyKey`, 'is the same key as accessKeyIdKey', keys.secretAccessKeyKey, 'The access key id and the secret access key are two keys of the Secret; name both.');
    }
    const region = o.region ?? 'us-east-1';
    if (!/^[a-z0-9-]+$/.test(region)) throw new ConfigurationError(scope, `${prop}.region`, 'is not a region name', region, 'Use e.g. "eu-central-1" (any value for MinIO).');
    return {
      bucket: o.bucket,
      endpoint: o.endpoint?.replace(/\/$/, ''),
      prefix: (o.prefix ?? '').replace(/^\/+|\/+$/g, ''),
      region,
      credentialsSecret: o.credentialsSecret,
      ...keys,
      pathStyle: o.pathStyle ?? o.endpoint !== undefined,
      allowedCidrs: o.allowedCidrs ?? [],
      image: o.image ?? DEFAULT_AWS_CLI_IMAGE,
      port,
    };
  }
}

function validateVolume(scope: IConstruct, prop: string, options: PersistentVolumeTargetOptions): void {
  if (!options.size) throw new ConfigurationError(scope, `${prop}.size`, 'is required', undefined, 'Pass e.g. Size.gibibytes(50): room for the retained dumps plus one.');
  wholeGibibytes(scope, `${prop}.size`, options.size, 'Use Size.gibibytes(n).');
  if (options.claimName !== undefined) validateClaimName(scope, `${prop}.claimName`, options.claimName);
}

/** A size as a whole number of GiB, at least 1, or a ConfigurationError. */
export function wholeGibibytes(scope: IConstruct, prop: string, size: Size, fix: string): number {
  const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(gib) || gib < 1) {
    throw new ConfigurationError(scope, prop, 'must be a whole number of GiB, at least 1', `${size.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`, fix);
  }
  return gib;
}

function validateClaimName(scope: IConstruct, prop: string, name: string | undefined): void {
  const problem = name ? dnsSubdomainProblem(name) : 'is required';
  if (problem) throw new ConfigurationError(scope, prop, problem, name, 'Pass the PersistentVolumeClaim name, e.g. "orders-dumps".');
}

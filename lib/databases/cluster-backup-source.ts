import * as kplus from 'cdk8s-plus-27';
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { ImageUser, WritablePath } from '../defaults/security';
import { dnsLabelProblem } from '../kube/names';
import { BackupScripts, IBackupable, IBackupSource } from './backup-contract';
import type { ReplicatedDatabase } from './replicated-database';

/**
 * What every backup source of a database cluster of this library shares: the dump runs in the
 * server's own image as the server's uid (matching tool versions), connects to the primary
 * Service, and carries the cluster's client labels so its NetworkPolicy admits the job.
 * Engines add the connection env, the dump env and their scripts.
 */
export abstract class ClusterBackupSource extends Construct implements IBackupSource, IBackupable {
  public readonly database: IConstruct;
  public abstract readonly engine: string;
  public readonly dumpPrefix: string;
  public abstract readonly dumpExtension: string;
  public readonly image: string;
  public readonly user: ImageUser;
  public readonly host: string;
  public readonly port: number;
  public readonly serverSelectorLabels: { [key: string]: string };
  public readonly clientLabels: { [key: string]: string };
  public readonly databaseNamespace?: string;
  public readonly writablePaths: WritablePath[] = [{ path: '/tmp', volumeName: 'tmp' }];

  protected constructor(cluster: ReplicatedDatabase, dumpPrefix: string) {
    // A child of the cluster (it creates no Kubernetes objects): several sources may coexist.
    super(cluster, nextSourceId(cluster));
    this.database = cluster;
    this.dumpPrefix = dumpPrefix;
    const prefixProblem = dnsLabelProblem(this.dumpPrefix, 40);
    if (prefixProblem) throw new ConfigurationError(cluster, 'backup dumpPrefix', prefixProblem, this.dumpPrefix, 'Pass dumpPrefix with lowercase letters, digits and "-", at most 40 characters.');
    this.image = cluster.container.image;
    this.user = cluster.engine.user;
    this.host = cluster.primaryHost;
    this.port = cluster.port;
    this.serverSelectorLabels = { ...cluster.selectorLabels };
    this.clientLabels = { ...cluster.clientLabels };
    this.databaseNamespace = Chart.of(cluster).namespace;
  }

  /** A source is its own backup source: pass it as a job's `database` to choose the dump. */
  public backupSource(): IBackupSource {
    return this;
  }

  public abstract connectionEnv(): { [name: string]: kplus.EnvValue };
  public abstract dumpEnv(): { [name: string]: kplus.EnvValue };
  public abstract scripts(): BackupScripts;
}

function nextSourceId(cluster: IConstruct): string {
  let i = 0;
  while (cluster.node.tryFindChild(`BackupSource${i}`)) i++;
  return `BackupSource${i}`;
}

/** A gzip level 1-9 (default 6), or a ConfigurationError naming the cluster. */
export function compressionLevel(cluster: IConstruct, level: number | undefined): number {
  const value = level ?? 6;
  if (!Number.isInteger(value) || value < 1 || value > 9) {
    throw new ConfigurationError(cluster, 'backup compressionLevel', 'must be an integer 1-9', value, 'Use 6 (the gzip default) unless CPU or size matters more.');
  }
  return value;
}

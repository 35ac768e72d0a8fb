import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ImageUser, ProbeHandler, WritablePath } from '../../defaults';
import { DatabaseEngine, EngineContext, EngineInitContainer, EnginePort, EngineProbes, EngineScript } from '../engine';
import { engineScript } from '../scripts';
import { DatabaseTopology } from '../topology';
import { ElasticsearchFlavor } from './flavor';
import { renderSettings } from './settings';

/** Where the init container sees the writable config directory the server mounts at `<home>/config`. */
export const CONFIG_COPY_PATH = '/mnt/config';
/** Where the password file (the credentials Secret) is mounted in the server container. */
export const CREDENTIALS_PATH = '/etc/cdk8s-workloads/credentials';

/** What the engine needs to know about its cluster (resolved and validated by ElasticsearchCluster). */
export interface ElasticsearchEngineOptions {
  readonly flavor: ElasticsearchFlavor;
  readonly name: string;
  readonly clusterDomain: string;
  /** The ordinals 0..bootstrapNodes-1 name cluster.initial_master_nodes while bootstrapping. */
  readonly bootstrapNodes: number;
  readonly readinessStatus: string;
  readonly allowMmap: boolean;
  readonly nodesDn: string[];
  readonly settings: Record<string, string>;
  /** Explicit heap; undefined: the flavor's sizing. */
  readonly heap?: Size;
}

/**
 * Elasticsearch or OpenSearch peers on the official images (uid 1000): every pod is master-
 * eligible and holds data. Writable under the read-only root: the data volume, `<home>/config`
 * (an emptyDir filled by the prepare-config init container: the keystore and the security
 * plugin's files are written there), `<home>/logs` (GC logs) and `/tmp` (the JVM's temp dir).
 */
export class ElasticsearchEngine extends DatabaseEngine {
  public static readonly HTTP_PORT = 9200;
  public static readonly TRANSPORT_PORT = 9300;

  public readonly appName: string;
  public readonly defaultImage: string;
  public readonly user: ImageUser = { uid: 1000, gid: 1000 };
  public readonly port = ElasticsearchEngine.HTTP_PORT;
  public readonly portName = 'http';
  public readonly containerName: string;
  public readonly dataMountPath: string;
  public readonly configMountPath: string;
  public readonly writablePaths: WritablePath[];
  public readonly topology = DatabaseTopology.peers();

  constructor(private readonly options: ElasticsearchEngineOptions) {
    super();
    const flavor = options.flavor;
    this.appName = flavor.family;
    this.defaultImage = flavor.image;
    this.containerName = flavor.family;
    this.dataMountPath = `${flavor.home}/data`;
    this.configMountPath = `/etc/cdk8s-workloads/${flavor.family}`;
    this.writablePaths = [{ path: `${flavor.home}/logs`, volumeName: 'logs' }, { path: '/tmp', volumeName: 'tmp' }];
  }

  public peerPorts(): EnginePort[] {
    return [{ name: 'transport', number: ElasticsearchEngine.TRANSPORT_PORT }];
  }

  /** The headless Service's DNS name; refers to `$(POD_NAMESPACE)`. */
  public headlessHost(): string {
    return `${this.options.name}-hl.$(POD_NAMESPACE).svc.${this.options.clusterDomain}`;
  }

  public configFiles(_scope: IConstruct, _ctx: EngineContext): { [fileName: string]: string } {
    const o = this.options;
    return {
      [o.flavor.settingsFile]: renderSettings(o.flavor, {
        clusterName: o.name, headlessService: `${o.name}-hl`, httpPort: this.port, transportPort: ElasticsearchEngine.TRANSPORT_PORT,
        allowMmap: o.allowMmap, nodesDn: o.nodesDn, extra: o.settings,
      }),
    };
  }

  public scripts(): EngineScript[] {
    return ['es-common.sh', 'start.sh', 'readiness.sh', 'liveness.sh', 'prepare-config.sh'].map((f) => engineScript(__dirname, f));
  }

  public serverCommand(): string[] {
    return [...this.runScript('start.sh'), ...this.options.flavor.entrypoint];
  }

  public serverEnv(ctx: EngineContext): { [name: string]: kplus.EnvValue } {
    const o = this.options;
    const flavor = o.flavor;
    const value = kplus.EnvValue.fromValue;
    const podHost = `$(POD_NAME).${this.headlessHost()}`;
    const env: { [name: string]: kplus.EnvValue } = {
      ES_FLAVOR: value(flavor.family),
      ES_HOME: value(flavor.home),
      ES_DATA_DIR: value(this.dataMountPath),
      ES_USER: value(flavor.superuser),
      ES_PASSWORD_FILE: value(`${CREDENTIALS_PATH}/password`),
      ES_CA_FILE: value(`${flavor.home}/config/certs/ca.crt`),
      // The probes name the pod as its certificate does and reach it on 127.0.0.1.
      ES_URL: value(`https://${podHost}:${this.port}`),
      ES_RESOLVE: value(`${podHost}:${this.port}:127.0.0.1`),
      ES_CURL_TIMEOUT: value('2'),
      ES_READY_STATUS: value(o.readinessStatus),
      BOOTSTRAP_NODES: value(String(o.bootstrapNodes)),
      HEADLESS_HOST: value(this.headlessHost()),
    };
    const heapMiB = this.heapMiB(ctx);
    if (heapMiB !== undefined) env[flavor.javaOptionsEnv] = value(`-Xms${heapMiB}m -Xmx${heapMiB}m`);
    if (flavor.family === 'opensearch') {
      // The image refuses to start without it (2.12+); start.sh hashes it into internal_users.yml.
      env.OPENSEARCH_INITIAL_ADMIN_PASSWORD = kplus.EnvValue.fromSecretValue({ secret: ctx.credentialsSecret, key: flavor.passwordKey });
      // Our certificates and users replace the demo configuration; the analyzer agent writes outside the writable paths.
      env.DISABLE_INSTALL_DEMO_CONFIG = value('true');
      env.DISABLE_PERFORMANCE_ANALYZER_AGENT_CLI = value('true');
    } else {
      // The entrypoint reads the file and puts the password in the keystore as bootstrap.password.
      env.ELASTIC_PASSWORD_FILE = value(`${CREDENTIALS_PATH}/password`);
    }
    return env;
  }

  /** Xms = Xmx in MiB: the explicit heap, or half the memory limit when the flavor does not size it itself. */
  public heapMiB(ctx: EngineContext): number | undefined {
    if (this.options.heap) return this.options.heap.toMebibytes();
    if (this.options.flavor.autoHeap) return undefined;
    const limit = ctx.resources.memory?.limit;
    return limit ? Math.floor(limit.toMebibytes() / 2) : undefined;
  }

  public initContainers(_ctx: EngineContext): EngineInitContainer[] {
    const flavor = this.options.flavor;
    return [{
      name: 'prepare-config',
      command: this.runScript('prepare-config.sh'),
      env: {
        ES_HOME: kplus.EnvValue.fromValue(flavor.home),
        CONFIG_TARGET: kplus.EnvValue.fromValue(CONFIG_COPY_PATH),
        SETTINGS_DIR: kplus.EnvValue.fromValue(this.configMountPath),
        SETTINGS_FILE: kplus.EnvValue.fromValue(flavor.settingsFile),
      },
    }];
  }

  public probeHandlers(): EngineProbes {
    return {
      readiness: ProbeHandler.exec(this.runScript('readiness.sh')),
      liveness: ProbeHandler.exec(this.runScript('liveness.sh')),
    };
  }
}

import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkPeer, TrafficRule } from '../../defaults';
import { DATABASE_DEFAULTS } from '../../defaults/database';
import { PropKeys } from '../../defaults/props';
import { setNodeSelector } from '../../kube/pod';
import { ReplicatedDatabase, ReplicatedDatabaseProps } from '../replicated-database';
import { CONFIG_COPY_PATH, CREDENTIALS_PATH, ElasticsearchEngine } from './elasticsearch-engine';
import { ElasticsearchFlavor } from './flavor';
import { ClusterHealthStatus } from './health';
import { MmapMode } from './mmap';
import { resolveElasticsearchProps } from './validation';

export interface ElasticsearchClusterProps extends ReplicatedDatabaseProps {
  /**
   * Elasticsearch or OpenSearch.
   * @default ElasticsearchFlavor.elasticsearch()
   */
  readonly flavor?: ElasticsearchFlavor;
  /**
   * How `vm.max_map_count` is dealt with: mmap off (restricted Pod Security) or tuned nodes.
   * @default MmapMode.disabled()
   */
  readonly mmap?: MmapMode;
  /**
   * The Secret with the node certificate: `ca.crt`, `tls.crt`, `tls.key` (cert-manager's
   * layout; OpenSearch needs the key in PKCS#8). Used for transport and HTTP TLS. SANs:
   * `*.<name>-hl.<namespace>.svc.<domain>` (the pods: the probes verify it) and
   * `<name>.<namespace>.svc` (clients). Never created here.
   * @default - a Secret named `<name>-certs`, which you create
   */
  readonly certificatesSecret?: kplus.ISecret;
  /**
   * OpenSearch only: `plugins.security.nodes_dn`, the subjects of the node certificates.
   * @default ['CN=<name>']
   */
  readonly nodesDn?: string[];
  /**
   * The cluster health a new or restarted pod waits for before it is ready; afterwards it stays
   * ready while the node answers (see README: rolling restarts).
   * @default ClusterHealthStatus.GREEN, or YELLOW for a single node
   */
  readonly readinessStatus?: ClusterHealthStatus;
  /**
   * An explicit heap (Xms = Xmx): at most half the memory limit and below 26Gi.
   * @default - Elasticsearch sizes it from the memory limit; OpenSearch gets half the memory limit
   */
  readonly heap?: Size;
  /**
   * More settings for elasticsearch.yml / opensearch.yml (not the ones this construct sets).
   * @default - none
   */
  readonly settings?: { [key: string]: string };
}

/** The props ElasticsearchClusterProps adds; the compiler keeps the list complete. */
const OWN_PROPS: PropKeys<Omit<ElasticsearchClusterProps, keyof ReplicatedDatabaseProps>> = {
  flavor: true, mmap: true, certificatesSecret: true, nodesDn: true, readinessStatus: true, heap: true, settings: true,
};

/**
 * An Elasticsearch (or OpenSearch) cluster of equal peers on a StatefulSet: every node is
 * master-eligible and holds data. Headless Service `<name>-hl` (9200 http, 9300 transport,
 * publishNotReadyAddresses) for discovery, client Service `<name>` on 9200, Parallel pod
 * management, a PodDisruptionBudget of one, TLS and security on, 30Gi per node.
 *
 * Secrets, created by you and only referenced: `<name>-credentials` (or `credentialsSecret`)
 * with `elastic-password` (Elasticsearch) or `admin-password` (OpenSearch), and `<name>-certs`
 * (or `certificatesSecret`) with `ca.crt`, `tls.crt`, `tls.key`.
 *
 * Not IBackupable: a dump of a search cluster is a snapshot into a repository the cluster
 * itself writes (the snapshot API with an S3 or shared-filesystem repository), which a
 * BackupCronJob does not make; BackupCronJob refuses this construct with an error.
 */
export class ElasticsearchCluster extends ReplicatedDatabase {
  /** The engine (flavor, ports, scripts). */
  public readonly elasticsearch: ElasticsearchEngine;
  /** Elasticsearch or OpenSearch. */
  public readonly flavor: ElasticsearchFlavor;
  /** `<name>`: the client Service on 9200 (every ready node); the same object as primaryService and readService. */
  public readonly clientService: kplus.Service;
  /** The client Service's DNS name (fully qualified when the chart has a namespace). */
  public readonly clientHost: string;
  /** The Secret with the node certificate and CA (referenced, never created here). */
  public readonly certificatesSecret: kplus.ISecret;
  /** The Secret key of the superuser's password (`elastic-password` or `admin-password`). */
  public readonly passwordKey: string;
  /** The superuser (`elastic` or `admin`). */
  public readonly superuser: string;

  constructor(scope: Construct, id: string, props: ElasticsearchClusterProps = {}) {
    const where = scope.node.path ? `${scope.node.path}/${id}` : id;
    const own = resolveElasticsearchProps(where, id, props);
    const engine = new ElasticsearchEngine({
      flavor: own.flavor, name: id, clusterDomain: props.clusterDomain ?? DATABASE_DEFAULTS.clusterDomain,
      // Three master-eligible nodes elect the first master; later nodes join through discovery.
      bootstrapNodes: Math.min(own.replicas, 3), readinessStatus: own.readinessStatus, allowMmap: own.mmap.allowMmap,
      nodesDn: own.nodesDn, settings: own.settings, heap: own.heap,
    });
    const { flavor: _f, mmap: _m, certificatesSecret: _c, nodesDn: _n, readinessStatus: _r, heap: _h, settings: _s, ...base } = props;
    super(scope, id, engine, {
      ...base,
      storage: base.storage ?? Size.gibibytes(30),
      podManagementPolicy: base.podManagementPolicy ?? kplus.PodManagementPolicy.PARALLEL,
    }, Object.keys(OWN_PROPS));
    this.elasticsearch = engine;
    this.flavor = own.flavor;
    this.clientService = this.primaryService;
    this.clientHost = this.primaryHost;
    this.passwordKey = own.flavor.passwordKey;
    this.superuser = own.flavor.superuser;
    this.certificatesSecret = props.certificatesSecret ?? kplus.Secret.fromSecretName(this, 'certs', `${id}-certs`);
    this.mountConfigAndSecrets();
    if (Object.keys(own.mmap.nodeSelector).length > 0) setNodeSelector(this.statefulSet, own.mmap.nodeSelector);
  }

  /** Clients reach HTTP only; the nodes reach each other on HTTP and transport. */
  protected ingressRules(): TrafficRule[] {
    return [
      { peers: [NetworkPeer.pods(this.clientLabels)], ports: [ElasticsearchEngine.HTTP_PORT] },
      { peers: [NetworkPeer.pods(this.selectorLabels)], ports: [ElasticsearchEngine.HTTP_PORT, ElasticsearchEngine.TRANSPORT_PORT] },
    ];
  }

  /**
   * The config directory is an emptyDir (the image writes its keystore and security files
   * there): prepare-config fills it at CONFIG_COPY_PATH, the server mounts it over <home>/config,
   * with the certificates inside it and the password file beside it.
   */
  private mountConfigAndSecrets(): void {
    const home = this.flavor.home;
    const config = kplus.Volume.fromEmptyDir(this, 'config-local', 'config-local');
    for (const init of this.statefulSet.initContainers) init.mount(CONFIG_COPY_PATH, config);
    this.container.mount(`${home}/config`, config);
    const certs = kplus.Volume.fromSecret(this, 'certs-volume', this.certificatesSecret, {
      name: 'certs', defaultMode: 0o440,
      items: { 'ca.crt': { path: 'ca.crt' }, 'tls.crt': { path: 'tls.crt' }, 'tls.key': { path: 'tls.key' } },
    });
    this.container.mount(`${home}/config/certs`, certs, { readOnly: true });
    const credentials = kplus.Volume.fromSecret(this, 'credentials-volume', this.credentialsSecret, {
      name: 'credentials', defaultMode: 0o440, items: { [this.flavor.passwordKey]: { path: 'password' } },
    });
    this.container.mount(CREDENTIALS_PATH, credentials, { readOnly: true });
  }
}

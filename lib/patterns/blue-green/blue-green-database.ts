import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError } from '../../errors';
import { BLUE_GREEN_DEFAULTS } from '../../defaults/blue-green';
import { checkConstructId, checkEnum, checkType, PropKeys, PropType, rejectUnknownProps } from '../../defaults/props';
import { labelAllObjects, recommendedLabels, validateLabels } from '../../defaults/labels';
import { createNetworkPolicy, NetworkPeer } from '../../defaults/network';
import { serviceNameProblem } from '../../kube/names';
import { engineScript } from '../../databases/scripts';
import { IBackupSource, isBackupable } from '../../databases/backup-contract';
import { ReplicatedDatabase } from '../../databases/replicated-database';
import { PostgresCluster } from '../../databases/postgres/postgres-cluster';
import { MySqlCluster } from '../../databases/mysql/mysql-cluster';
import { RedisCluster } from '../../databases/redis/redis-cluster';
import { readScript } from '../../scheduled/scripts';
import { BlueGreenColor, otherColor } from './color';
import { MigrationStepJob, MigrationStepOptions, StepContainer, StepDatabase, StepPasswordFile } from './migration-job';
import { checkUserStep, UserMigrationStep, userStepEnv } from './user-step';
import { helmHookAnnotations, HelmHookOptions } from './helm-hook';
import { MigrationStrategy, MigrationStrategyKind } from './migration-strategy';

const script = (fileName: string): string => engineScript(__dirname, fileName).body;

const PROP_KEYS: PropKeys<BlueGreenDatabaseProps> = {
  blue: true, green: true, active: true, serviceName: true, name: true, strategy: true, clientLabels: true, waitTimeout: true,
  activeDeadline: true, ttlAfterFinished: true, suspend: true, partOf: true, argoCdSyncWave: true, userStep: true, helmHook: true,
};

export interface BlueGreenDatabaseProps {
  /** The blue cluster (e.g. PostgreSQL 15). Same engine as `green`. */
  readonly blue: ReplicatedDatabase;
  /** The green cluster (e.g. PostgreSQL 16). */
  readonly green: ReplicatedDatabase;
  /**
   * The color the client Service sends the application to, and the source of the migration
   * Jobs (they copy the active color into the other one). Flip it after a successful cutover.
   */
  readonly active: BlueGreenColor;
  /**
   * The client Service, the name the application keeps connecting to (e.g. `postgres`).
   * @default - the construct id
   */
  readonly serviceName?: string;
  /**
   * The prefix of the migration Jobs' names: `<name>-blue-to-green-cutover`, `<name>-unfreeze-blue`.
   * @default - the service name
   */
  readonly name?: string;
  /** @default MigrationStrategy.dumpRestore() */
  readonly strategy?: MigrationStrategy;
  /**
   * The labels the application's pods carry: both colors admit them (an extra NetworkPolicy is
   * added to a cluster whose own clientLabels differ), before and after the flip.
   * @default - the blue cluster's clientLabels
   */
  readonly clientLabels?: { [key: string]: string };
  /** How long each Job's init containers wait for each database. @default Duration.minutes(10) */
  readonly waitTimeout?: Duration;
  /** @default Duration.hours(6) */
  readonly activeDeadline?: Duration;
  /** How long finished migration Jobs and their logs are kept. @default Duration.days(7) */
  readonly ttlAfterFinished?: Duration;
  /**
   * Create the migration Jobs suspended: nothing migrates until
   * `kubectl patch job <name> -p '{"spec":{"suspend":false}}'`. The unfreeze Jobs are always
   * suspended (a rollback is started by hand).
   * @default true
   */
  readonly suspend?: boolean;
  /** `app.kubernetes.io/part-of`. @default - the service name */
  readonly partOf?: string;
  /**
   * ArgoCD: the `argocd.argoproj.io/sync-wave` of the migration Jobs, e.g. 1 to apply them after
   * the clusters (wave 0). Not a hook: the Jobs stay suspended until started by hand.
   * @default - no annotation
   */
  readonly argoCdSyncWave?: number;
  /**
   * Your own migration step (e.g. `flyway migrate` on the new color, a data fix-up, a check): a
   * suspended Job `<name>-<from>-to-<to>-<stepName>` that waits for both databases and runs your
   * image and command with SOURCE_HOST/PORT/USER/PASSWORD_FILE and TARGET_* (superuser or root,
   * password as a mounted Secret file). It runs last, on the finished copy, before the flip.
   * @default - no user step
   */
  readonly userStep?: UserMigrationStep;
  /**
   * Helm: make the migration Jobs (not the unfreeze Jobs) hooks, with consecutive weights in
   * the order they run. Needs `suspend: false`: Helm waits for a hook Job to complete, which a
   * suspended Job never does (the release fails at Helm's --timeout). A hook runs at every
   * listed event: remove it in the same change that flips `active`, or the next upgrade runs the
   * migration back to the old color.
   * @default - no hook annotations
   */
  readonly helmHook?: HelmHookOptions;
}

/**
 * The blue-green database migration: two clusters of one engine, one client Service (a stable
 * name) that selects only the active color's primary pod, client labels both colors admit, and
 * the migration from the active color to the other as suspended Jobs:
 *
 * - logical replication (PostgreSQL): `<name>-<from>-to-<to>-replicate` (schema copy,
 *   publication, subscription, initial copy), then `<name>-<from>-to-<to>-cutover` (bounded
 *   freeze, catch-up to the freeze LSN, sequence sync, verification, detach);
 * - dump/restore: `<name>-<from>-to-<to>-migrate`;
 * - with a freeze: `<name>-unfreeze-blue` and `<name>-unfreeze-green`, the rollback.
 *
 * After a successful cutover set `active` to the other color and apply: the Service's selector
 * moves to that primary. Roll back by setting it back and running the unfreeze Job of the old color.
 */
export class BlueGreenDatabase extends Construct {
  public readonly blue: ReplicatedDatabase;
  public readonly green: ReplicatedDatabase;
  public readonly active: BlueGreenColor;
  /** The active cluster (the Service's target, the migration's source). */
  public readonly activeCluster: ReplicatedDatabase;
  /** The other cluster (the migration's target). */
  public readonly inactiveCluster: ReplicatedDatabase;
  /** The client Service: selects the active primary pod only. */
  public readonly service: k8s.KubeService;
  public readonly serviceName: string;
  /** The DNS name the application connects to (the Service name). */
  public readonly host: string;
  public readonly port: number;
  /** The labels the application's pods carry to reach either color. */
  public readonly clientLabels: { [key: string]: string };
  public readonly strategy: MigrationStrategy;
  /** Every script of the migration Jobs. */
  public readonly scriptsConfigMap: kplus.ConfigMap;
  /** The migration Jobs in the order they run (without the unfreeze Jobs). */
  public readonly migrationJobs: kplus.Job[];
  /** The user's migration step Job (also the last of `migrationJobs`), when `userStep` is set. */
  public readonly userStepJob?: kplus.Job;
  /** The unfreeze (rollback) Job of each color, when the strategy freezes. */
  public readonly unfreezeBlueJob?: kplus.Job;
  public readonly unfreezeGreenJob?: kplus.Job;
  /** NetworkPolicies added to the clusters (shared client labels, replication between colors). */
  public readonly networkPolicies: k8s.KubeNetworkPolicy[] = [];

  constructor(scope: Construct, id: string, props: BlueGreenDatabaseProps) {
    checkConstructId(scope, id);
    super(scope, id);
    rejectUnknownProps(this, props, PROP_KEYS, 'BlueGreenDatabaseProps');
    this.checkTypes(props);
    this.blue = props.blue;
    this.green = props.green;
    this.active = props.active;
    this.activeCluster = this.cluster(props.active);
    this.inactiveCluster = this.cluster(otherColor(props.active));
    this.serviceName = props.serviceName ?? id;
    const nameProblem = serviceNameProblem(this.serviceName);
    if (nameProblem) throw new ConfigurationError(this, 'serviceName', nameProblem, this.serviceName, 'Pass a DNS-1035 label, e.g. "postgres".');
    this.host = this.serviceName;
    this.port = this.activeCluster.port;
    this.strategy = props.strategy ?? MigrationStrategy.dumpRestore();
    const sources = this.checkClusters(props);
    this.clientLabels = { ...(props.clientLabels ?? this.blue.clientLabels) };
    validateLabels(this, 'clientLabels', this.clientLabels);
    const reserved = Object.keys(this.clientLabels).find((k) => ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component'].includes(k));
    if (reserved) {
      throw new ConfigurationError(this, 'clientLabels', `uses ${reserved}, which every workload sets to its own identity (the migration Jobs' pods would lose the label)`, this.clientLabels,
        "Use a dedicated key on both clusters and the application, e.g. { 'orders-db-client': 'true' }.");
    }
    const labels = recommendedLabels({ name: `${sources.blue.engine}-blue-green`, instance: this.serviceName, component: 'database', partOf: props.partOf });

    this.service = this.createService();
    this.admitClients();
    this.scriptsConfigMap = this.createScripts(props, sources.blue);
    const jobs = this.createJobs(props, sources);
    this.migrationJobs = jobs.migration;
    this.userStepJob = jobs.userStep;
    this.unfreezeBlueJob = jobs.unfreeze[BlueGreenColor.BLUE];
    this.unfreezeGreenJob = jobs.unfreeze[BlueGreenColor.GREEN];
    labelAllObjects(this, labels);
  }

  /** The cluster of a color. */
  public cluster(color: BlueGreenColor): ReplicatedDatabase {
    return color === BlueGreenColor.BLUE ? this.blue : this.green;
  }

  private checkTypes(props: BlueGreenDatabaseProps): void {
    checkEnum(this, 'active', props.active, BlueGreenColor, 'BlueGreenColor');
    if (props.active === undefined) throw new ConfigurationError(this, 'active', 'is required', undefined, 'Pass active: BlueGreenColor.BLUE (the color serving now).');
    for (const prop of ['blue', 'green'] as const) {
      if (!(props[prop] instanceof ReplicatedDatabase)) {
        throw new ConfigurationError(this, prop, 'must be a database cluster of this library', props[prop] && (props[prop] as Construct).node ? (props[prop] as Construct).node.path : props[prop],
          'Pass a PostgresCluster, MySqlCluster or RedisCluster.');
      }
    }
    if (props.strategy !== undefined && !(props.strategy instanceof MigrationStrategy)) {
      throw new ConfigurationError(this, 'strategy', 'must be a MigrationStrategy', props.strategy, 'Use MigrationStrategy.dumpRestore() or MigrationStrategy.logicalReplication({ ... }).');
    }
    for (const prop of ['serviceName', 'name', 'partOf'] as const) checkType(this, prop, props[prop], PropType.STRING);
    checkType(this, 'suspend', props.suspend, PropType.BOOLEAN);
    checkType(this, 'argoCdSyncWave', props.argoCdSyncWave, PropType.NUMBER);
    if (props.argoCdSyncWave !== undefined && !Number.isInteger(props.argoCdSyncWave)) {
      throw new ConfigurationError(this, 'argoCdSyncWave', 'must be an integer', props.argoCdSyncWave, 'Use e.g. 1.');
    }
    for (const prop of ['waitTimeout', 'activeDeadline', 'ttlAfterFinished'] as const) checkType(this, prop, props[prop], PropType.DURATION);
    if (props.userStep !== undefined) checkUserStep(this, props.userStep);
    if (props.helmHook !== undefined) {
      helmHookAnnotations(this, props.helmHook, 0);
      if (props.suspend ?? true) {
        throw new ConfigurationError(this, 'helmHook', 'needs suspend: false: Helm waits for a hook Job to complete, and a suspended Job never does (the release fails at --timeout)',
          props.suspend ?? 'suspend defaulting to true', 'Pass suspend: false with helmHook, or drop helmHook and start the suspended Jobs by hand (README runbook).');
      }
    }
  }

  /** The clusters' backup sources, after checking they can take part in this migration. */
  private checkClusters(props: BlueGreenDatabaseProps): { blue: IBackupSource; green: IBackupSource } {
    if (props.blue === props.green || props.blue.name === props.green.name) {
      throw new ConfigurationError(this, 'green', 'is the same cluster as blue', props.green.name, 'Pass two clusters with different names, e.g. orders-db-v1 and orders-db-v2.');
    }
    if (!isBackupable(props.blue) || !isBackupable(props.green)) {
      throw new ConfigurationError(this, isBackupable(props.blue) ? 'green' : 'blue', 'cannot be dumped (it has no backupSource())', (isBackupable(props.blue) ? props.green : props.blue).node.path,
        'Pass a PostgresCluster, MySqlCluster or RedisCluster.');
    }
    const blue = props.blue.backupSource();
    const green = props.green.backupSource();
    if (blue.engine !== green.engine) {
      throw new ConfigurationError(this, 'green', `is a ${green.engine} cluster but blue is ${blue.engine}`, props.green.node.path, 'Pass two clusters of the same engine (a migration between engines is not a blue-green switch).');
    }
    if (props.blue.port !== props.green.port) {
      throw new ConfigurationError(this, 'green', `listens on port ${props.green.port} but blue on ${props.blue.port}`, props.green.port,
        'Use the same port for both: the client Service keeps one port across the flip.');
    }
    const namespaces = [props.blue, props.green, this].map((c) => Chart.of(c).namespace ?? '');
    if (new Set(namespaces).size > 1) {
      throw new ConfigurationError(this, 'green', `is in namespace "${namespaces[1]}" but blue is in "${namespaces[0]}" and this construct in "${namespaces[2]}"`, namespaces[1],
        'Put both clusters and the BlueGreenDatabase in one namespace: the Service selects pods and the Jobs read Secrets of its own namespace only.');
    }
    const logical = this.strategy.kind === MigrationStrategyKind.LOGICAL_REPLICATION;
    for (const prop of ['blue', 'green'] as const) {
      const pg = props[prop] instanceof PostgresCluster;
      if (logical && !pg) {
        throw new ConfigurationError(this, 'strategy', `logicalReplication needs PostgreSQL clusters, but ${prop} is ${blue.engine}`,
          this.strategy.kind, 'Use MigrationStrategy.dumpRestore() for this engine (with appRole for a freeze on MySQL / MariaDB).');
      }
      if (this.strategy.freezes && !pg && !(props[prop] instanceof MySqlCluster)) {
        throw new ConfigurationError(this, 'strategy', `dumpRestore with appRole (a freeze) needs PostgreSQL or MySQL / MariaDB clusters, but ${prop} is ${blue.engine}`,
          this.strategy.kind, 'Use MigrationStrategy.dumpRestore() without appRole for this engine, and stop the application\'s writes before migrating.');
      }
    }
    if (this.strategy.freezes && !logical) {
      const pg = props.blue instanceof PostgresCluster;
      if (pg && this.strategy.database === undefined) {
        throw new ConfigurationError(this, 'strategy', 'dumpRestore with appRole on PostgreSQL needs database (the freeze revokes write privileges per database)', this.strategy.appRole,
          "Pass MigrationStrategy.dumpRestore({ appRole: 'orders_app', database: 'orders' }).");
      }
      if (!pg && this.strategy.database !== undefined) {
        throw new ConfigurationError(this, 'strategy', 'dumpRestore database is for PostgreSQL: the MySQL / MariaDB freeze is server-wide', this.strategy.database,
          'Leave database out; appRole names the user whose accounts are locked.');
      }
    }
    return { blue, green };
  }

  /** The client Service: the active color's selector labels plus its primary pod's name (ordinal 0). */
  private createService(): k8s.KubeService {
    const cluster = this.activeCluster;
    return new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName },
      spec: {
        type: 'ClusterIP',
        selector: { ...cluster.selectorLabels, 'statefulset.kubernetes.io/pod-name': `${cluster.name}-0` },
        ports: [{ name: 'db', port: this.port, targetPort: k8s.IntOrString.fromNumber(cluster.port), protocol: 'TCP' }],
      },
    });
  }

  /** A cluster whose own client labels differ from the shared ones gets a policy admitting the shared ones. */
  private admitClients(): void {
    for (const color of [BlueGreenColor.BLUE, BlueGreenColor.GREEN]) {
      const cluster = this.cluster(color);
      if (sameLabels(cluster.clientLabels, this.clientLabels)) continue;
      this.networkPolicies.push(createNetworkPolicy(this, `${color}-clients`, {
        name: `${cluster.name}-blue-green-clients`,
        selectorLabels: cluster.selectorLabels,
        ingress: [{ peers: [NetworkPeer.pods(this.clientLabels)], ports: [cluster.port] }],
      }));
    }
  }

  private createScripts(props: BlueGreenDatabaseProps, source: IBackupSource): kplus.ConfigMap {
    const engine = source.scripts();
    const files = this.blue instanceof PostgresCluster ? ['pg-common.sh', 'pg-replicate.sh', 'pg-cutover.sh', 'pg-freeze.sh', 'pg-unfreeze.sh']
      : this.blue instanceof MySqlCluster ? ['mysql-common.sh', 'mysql-freeze.sh', 'mysql-unfreeze.sh'] : [];
    const pg = Object.fromEntries([...files, ...(files.length ? ['freeze-start.sh', 'frozen-step.sh'] : [])].map((f) => [f, script(f)]));
    return new kplus.ConfigMap(this, 'scripts', {
      metadata: { name: `${props.name ?? this.serviceName}-migration-scripts` },
      data: {
        'wait-for-database.sh': readScript('wait-for-database.sh'),
        'database-ready.sh': engine.readinessCheck,
        'dump-database.sh': engine.dump,
        'restore-database.sh': engine.restore,
        ...pg,
      },
    });
  }

  private createJobs(props: BlueGreenDatabaseProps, sources: { blue: IBackupSource; green: IBackupSource }) {
    const from = this.active;
    const to = otherColor(from);
    const prefix = props.name ?? this.serviceName;
    const common = {
      instance: prefix, scripts: this.scriptsConfigMap, clientLabels: this.clientLabels, waitTimeout: props.waitTimeout,
      activeDeadline: props.activeDeadline, ttlAfterFinished: props.ttlAfterFinished, suspend: props.suspend ?? true, partOf: props.partOf,
      annotations: (props.argoCdSyncWave === undefined ? {} : { 'argocd.argoproj.io/sync-wave': String(props.argoCdSyncWave) }) as Record<string, string>,
    };
    const databases: StepDatabase[] = [{ role: 'source', source: sources[from] }, { role: 'target', source: sources[to] }];
    const migration: kplus.Job[] = [];
    // The next migration Job's annotations: the sync wave, and the hook with its weight in run order.
    const annotations = () => ({ ...common.annotations, ...(props.helmHook ? helmHookAnnotations(this, props.helmHook, migration.length) : {}) });
    const step = (name: string, containers: StepContainer[]) =>
      new MigrationStepJob(this, name, { ...common, annotations: annotations(), name: `${prefix}-${from}-to-${to}-${name}`, step: name, databases, containers }).job;
    const unfreeze: Partial<Record<BlueGreenColor, kplus.Job>> = {};
    const source = this.activeCluster;
    const target = this.inactiveCluster;
    if (this.strategy.kind === MigrationStrategyKind.LOGICAL_REPLICATION) {
      this.allowReplication(source, target, 'replication');
      // Reverse replication: the old color's server subscribes to the new one.
      if (this.strategy.reverseReplication) this.allowReplication(target, source, 'reverse-replication');
      const env = { ...this.pgEnv(source as PostgresCluster, target as PostgresCluster), ...this.replicationEnv(prefix, from, to) };
      migration.push(step('replicate', [{ name: 'replicate', image: target.container.image!, script: 'pg-replicate.sh', env }]));
      migration.push(step('cutover', [{ name: 'cutover', image: target.container.image!, script: 'pg-cutover.sh', env }]));
    } else {
      const dumpFile = kplus.EnvValue.fromValue(`${BLUE_GREEN_DEFAULTS.workDir}/dump${sources[from].dumpExtension}`);
      const containers: StepContainer[] = [];
      const freezes = this.strategy.freezes;
      const thaw = freezes && source instanceof PostgresCluster;
      const freezeStarted = kplus.EnvValue.fromValue(`${BLUE_GREEN_DEFAULTS.workDir}/freeze-started`);
      // While frozen, the dump and the restore run through frozen-step.sh: a failure or the freeze timeout unfreezes the source.
      const frozenStep = (stepScript: string): Record<string, kplus.EnvValue> => (freezes ? {
        ...this.freezeEnv(source), STEP_SCRIPT: kplus.EnvValue.fromValue(stepScript), UNFREEZE_SCRIPT: kplus.EnvValue.fromValue(freezeScripts(source).unfreeze),
        FREEZE_TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(this.strategy.freezeTimeoutSeconds ?? 0)), FREEZE_STARTED_FILE: freezeStarted,
      } : {});
      if (freezes) {
        containers.push({ name: 'freeze', image: source.container.image!, script: freezeScripts(source).freeze, env: { ...this.freezeEnv(source), FREEZE_STARTED_FILE: freezeStarted }, init: true, workDir: true });
      }
      containers.push(
        { name: 'dump', image: source.container.image!, script: freezes ? 'frozen-step.sh' : 'dump-database.sh', init: true, workDir: true,
          env: { ...sources[from].connectionEnv(), ...sources[from].dumpEnv(), DUMP_FILE: dumpFile, ...frozenStep('dump-database.sh') } },
        // The target's image: newer clients read older dumps (the supported upgrade path).
        { name: 'restore', image: target.container.image!, script: freezes ? 'frozen-step.sh' : 'restore-database.sh', workDir: true, init: thaw,
          env: { ...sources[to].connectionEnv(), ...sources[from].dumpEnv(), DUMP_FILE: dumpFile, ...frozenStep('restore-database.sh') } },
      );
      // The PostgreSQL dump carries the freeze (NOLOGIN, revoked grants, the saved state): thaw the copy.
      // A MySQL dump has no accounts (the mysql schema is not dumped) and read_only is the server's.
      if (thaw) containers.push({ name: 'thaw-target', image: target.container.image!, script: 'pg-unfreeze.sh', env: this.pgEnv(target as PostgresCluster) });
      migration.push(step('migrate', containers));
    }
    let userStep: kplus.Job | undefined;
    if (props.userStep) {
      userStep = this.createUserStep(props.userStep, { ...common, annotations: annotations() }, databases, `${prefix}-${from}-to-${to}`);
      migration.push(userStep);
    }
    if (this.strategy.freezes) {
      for (const color of [BlueGreenColor.BLUE, BlueGreenColor.GREEN]) {
        const cluster = this.cluster(color);
        // The rollback: always suspended (never run by an apply or a hook), started by hand.
        unfreeze[color] = new MigrationStepJob(this, `unfreeze-${color}`, {
          ...common, suspend: true, name: `${prefix}-unfreeze-${color}`, step: 'unfreeze', databases: [{ role: color, source: sources[color] }],
          containers: [{ name: 'unfreeze', image: cluster.container.image!, script: freezeScripts(cluster).unfreeze, env: this.freezeEnv(cluster) }],
        }).job;
      }
    }
    return { migration, unfreeze, userStep };
  }

  /** The user's step: its own Job, connection env per side, passwords as mounted Secret files. */
  private createUserStep(step: UserMigrationStep, common: Omit<MigrationStepOptions, 'name' | 'step' | 'databases' | 'containers'>, databases: StepDatabase[], jobPrefix: string): kplus.Job {
    const stepName = checkUserStep(this, step);
    const sides = [['SOURCE', this.activeCluster], ['TARGET', this.inactiveCluster]] as const;
    const passwordFiles: StepPasswordFile[] = [];
    let env: Record<string, kplus.EnvValue> = {};
    for (const [prefix, cluster] of sides) {
      const admin = adminCredentials(cluster);
      const dir = `${BLUE_GREEN_DEFAULTS.secretsDir}/${prefix.toLowerCase()}`;
      passwordFiles.push({ role: prefix.toLowerCase(), secret: cluster.credentialsSecret, key: admin.passwordKey, dir });
      env = { ...env, ...userStepEnv(prefix, { host: cluster.primaryHost, port: cluster.port, user: admin.user }, `${dir}/password`) };
    }
    if (this.strategy.database) env.MIGRATE_DATABASE = kplus.EnvValue.fromValue(this.strategy.database);
    const literal = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)]));
    return new MigrationStepJob(this, stepName, {
      ...common, name: `${jobPrefix}-${stepName}`, step: stepName, databases, passwordFiles,
      containers: [{
        name: stepName, image: step.image, command: step.command, args: step.args, env: { ...literal, ...env },
        resources: step.resources, user: step.user, passwordFiles: true, prop: 'userStep',
      }],
    }).job;
  }

  /** The env of the freeze and unfreeze scripts of `cluster` (as SOURCE_*). */
  private freezeEnv(cluster: ReplicatedDatabase): Record<string, kplus.EnvValue> {
    if (cluster instanceof PostgresCluster) return this.pgEnv(cluster);
    const mysql = cluster as MySqlCluster;
    return {
      SOURCE_HOST: kplus.EnvValue.fromValue(mysql.primaryHost),
      SOURCE_PORT: kplus.EnvValue.fromValue(String(mysql.port)),
      SOURCE_USER: kplus.EnvValue.fromValue('root'),
      SOURCE_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: mysql.credentialsSecret, key: mysql.rootPasswordKey }),
      APP_ROLE: kplus.EnvValue.fromValue(this.strategy.appRole!),
      MYSQL_FAMILY: kplus.EnvValue.fromValue(mysql.mysql.flavor.family),
      MYSQL_CLIENT: kplus.EnvValue.fromValue(mysql.mysql.flavor.client),
    };
  }

  /** SOURCE_* (and TARGET_*) connection env of the PostgreSQL scripts: superuser, password by reference. */
  private pgEnv(source: PostgresCluster, target?: PostgresCluster): Record<string, kplus.EnvValue> {
    const side = (prefix: string, db: PostgresCluster) => ({
      [`${prefix}_HOST`]: kplus.EnvValue.fromValue(db.primaryHost),
      [`${prefix}_PORT`]: kplus.EnvValue.fromValue(String(db.port)),
      [`${prefix}_USER`]: kplus.EnvValue.fromValue(db.superuser),
      [`${prefix}_PASSWORD`]: kplus.EnvValue.fromSecretValue({ secret: db.credentialsSecret, key: db.superuserPasswordKey }),
    });
    return {
      ...side('SOURCE', source),
      ...(target ? side('TARGET', target) : {}),
      MIGRATE_DATABASE: kplus.EnvValue.fromValue(this.strategy.database!),
      APP_ROLE: kplus.EnvValue.fromValue(this.strategy.appRole!),
      KEEP_ROLES: kplus.EnvValue.fromValue(`${source.superuser} ${source.postgres.replicationUser}`),
      PGCONNECT_TIMEOUT: kplus.EnvValue.fromValue('10'),
    };
  }

  private replicationEnv(prefix: string, from: BlueGreenColor, to: BlueGreenColor): Record<string, kplus.EnvValue> {
    // One name for the publication, the subscription and v1's slot: lowercase identifier, at most 63 bytes.
    // The reverse name is the one the reverse cutover Job (after the flip) uses as its forward name.
    const slotName = (a: BlueGreenColor, b: BlueGreenColor) => `bg_${prefix.replace(/[^a-z0-9]+/g, '_')}_${a}_to_${b}`.slice(0, 63);
    const name = slotName(from, to);
    const reverse: Record<string, kplus.EnvValue> = this.strategy.reverseReplication ? {
      REVERSE_REPLICATION: kplus.EnvValue.fromValue('true'),
      REVERSE_PUBLICATION_NAME: kplus.EnvValue.fromValue(slotName(to, from)),
      REVERSE_SUBSCRIPTION_NAME: kplus.EnvValue.fromValue(slotName(to, from)),
    } : {};
    return {
      ...reverse,
      PUBLICATION_NAME: kplus.EnvValue.fromValue(name),
      SUBSCRIPTION_NAME: kplus.EnvValue.fromValue(name),
      FREEZE_TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(this.strategy.freezeTimeoutSeconds)),
      SYNC_TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(this.strategy.syncTimeoutSeconds)),
    };
  }

  /** The target's server subscribes to the source: egress from the target's pods, ingress on the source's. */
  private allowReplication(source: ReplicatedDatabase, target: ReplicatedDatabase, id: string): void {
    this.networkPolicies.push(createNetworkPolicy(this, `${id}-ingress`, {
      name: `${source.name}-from-${target.name}`,
      selectorLabels: source.selectorLabels,
      ingress: [{ peers: [NetworkPeer.pods(target.selectorLabels)], ports: [source.port] }],
    }));
    this.networkPolicies.push(createNetworkPolicy(this, `${id}-egress`, {
      name: `${target.name}-to-${source.name}`,
      selectorLabels: target.selectorLabels,
      ingress: [],
      egress: [{ peers: [NetworkPeer.pods(source.selectorLabels)], ports: [source.port] }],
    }));
  }
}

/** The freeze and unfreeze scripts of an engine (PostgreSQL or MySQL / MariaDB, checked before). */
function freezeScripts(cluster: ReplicatedDatabase): { freeze: string; unfreeze: string } {
  const engine = cluster instanceof PostgresCluster ? 'pg' : 'mysql';
  return { freeze: `${engine}-freeze.sh`, unfreeze: `${engine}-unfreeze.sh` };
}

/** The account the migration steps connect as, per engine, and the Secret key of its password. */
function adminCredentials(cluster: ReplicatedDatabase): { user: string; passwordKey: string } {
  if (cluster instanceof PostgresCluster) return { user: cluster.superuser, passwordKey: cluster.superuserPasswordKey };
  if (cluster instanceof MySqlCluster) return { user: 'root', passwordKey: cluster.rootPasswordKey };
  if (cluster instanceof RedisCluster) return { user: 'default', passwordKey: cluster.passwordKey };
  throw new ConfigurationError(cluster, 'engine', 'has no known admin account for a user migration step', cluster.engine.appName, 'Use a PostgresCluster, MySqlCluster or RedisCluster.');
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

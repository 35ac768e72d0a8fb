import * as kplus from 'cdk8s-plus-27';
import { ApiObject, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { BlueGreenColor, BlueGreenDatabase, HelmHookDeletePolicy, HelmHookEvent, MigrationStrategy, MySqlCluster, PostgresCluster, RedisCluster } from '../../lib';
import { findManifest, Manifest } from '../../lib/testing/validate';
import { admits as admitsPod } from '../support/network-policy';
import { blueGreenChart, CLIENT_LABELS, literalEnv, mainContainer, synthBlueGreen } from './support';

const kinds = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind);
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The labels of each primary pod as the StatefulSet controller sets them (template labels plus the pod name). */
function primaryPodLabels(ms: Manifest[], sts: string): Record<string, string> {
  return { ...findManifest(ms, 'StatefulSet', sts).spec.template.metadata.labels, 'statefulset.kubernetes.io/pod-name': `${sts}-0` };
}
function replicaPodLabels(ms: Manifest[], sts: string): Record<string, string> {
  return { ...findManifest(ms, 'StatefulSet', sts).spec.template.metadata.labels, 'statefulset.kubernetes.io/pod-name': `${sts}-1` };
}

/** Whether the NetworkPolicies selecting `server` admit a pod with `client` labels on `port`, both in the policies' namespace. */
function admits(ms: Manifest[], server: Record<string, string>, client: Record<string, string>, port: number): boolean {
  const namespace = kinds(ms, 'NetworkPolicy')[0]?.metadata.namespace;
  return admitsPod(ms, { namespace, labels: server }, { namespace, labels: client }, port);
}

describe('BlueGreenDatabase', () => {
  test('snapshot of the defaults (logical replication, blue active)', () => {
    expect(synthBlueGreen(blueGreenChart().chart)).toMatchSnapshot();
  });

  test.each([[BlueGreenColor.BLUE, 'orders-db-v1', 'orders-db-v2'], [BlueGreenColor.GREEN, 'orders-db-v2', 'orders-db-v1']])(
    'active %s: the client Service selects exactly that primary pod', (active, primary, other) => {
      const ms = synthBlueGreen(blueGreenChart({ active }).chart);
      const service = findManifest(ms, 'Service', 'postgres');
      expect(service.spec.ports).toEqual([{ name: 'db', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
      expect(matches(service.spec.selector, primaryPodLabels(ms, primary))).toBe(true);
      expect(matches(service.spec.selector, replicaPodLabels(ms, primary))).toBe(false);
      expect(matches(service.spec.selector, primaryPodLabels(ms, other))).toBe(false);
      expect(matches(service.spec.selector, replicaPodLabels(ms, other))).toBe(false);
    });

  test.each([[true], [false]])('a pod with the shared client labels passes both clusters\' NetworkPolicies (clusters share labels: %s)', (shareLabels) => {
    const ms = synthBlueGreen(blueGreenChart({ shareLabels }).chart);
    for (const sts of ['orders-db-v1', 'orders-db-v2']) {
      expect(admits(ms, primaryPodLabels(ms, sts), CLIENT_LABELS, 5432)).toBe(true);
      expect(admits(ms, primaryPodLabels(ms, sts), { 'intruder': 'true' }, 5432)).toBe(false);
    }
    expect(kinds(ms, 'NetworkPolicy').some((p) => p.metadata.name === 'orders-db-v1-blue-green-clients')).toBe(!shareLabels);
  });

  test('logical replication: the target server may reach the source (egress), and the source admits it (ingress)', () => {
    const ms = synthBlueGreen(blueGreenChart().chart);
    const v2 = primaryPodLabels(ms, 'orders-db-v2');
    expect(admits(ms, primaryPodLabels(ms, 'orders-db-v1'), v2, 5432)).toBe(true);
    const egress = findManifest(ms, 'NetworkPolicy', 'orders-db-v2-to-orders-db-v1');
    expect(egress.spec.egress[0].to[0].podSelector.matchLabels).toEqual(findManifest(ms, 'StatefulSet', 'orders-db-v1').spec.selector.matchLabels);
  });

  test('every migration Job is suspended, built restricted, and its pods carry the shared client labels', () => {
    const ms = synthBlueGreen(blueGreenChart().chart);
    const jobs = kinds(ms, 'Job');
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(['orders-blue-to-green-cutover', 'orders-blue-to-green-replicate', 'orders-unfreeze-blue', 'orders-unfreeze-green']);
    for (const job of jobs) {
      expect(job.spec.suspend).toBe(true);
      expect(job.spec.backoffLimit).toBe(0);
      expect(matches(CLIENT_LABELS, job.spec.template.metadata.labels)).toBe(true);
      expect(job.spec.template.spec.initContainers[0].name).toMatch(/^wait-for-/);
    }
  });

  test('the cutover runs in the target image with SOURCE_*/TARGET_* connections, passwords by reference only', () => {
    const ms = synthBlueGreen(blueGreenChart().chart);
    const cutover = mainContainer(findManifest(ms, 'Job', 'orders-blue-to-green-cutover'), 'cutover');
    expect(cutover.image).toBe('postgres:16.4');
    const env = Object.fromEntries(cutover.env.map((e: Manifest) => [e.name, e]));
    expect(env.SOURCE_HOST.value).toBe('orders-db-v1-primary.shop.svc.cluster.local');
    expect(env.TARGET_HOST.value).toBe('orders-db-v2-primary.shop.svc.cluster.local');
    expect(env.SOURCE_PASSWORD).toEqual({ name: 'SOURCE_PASSWORD', valueFrom: { secretKeyRef: { name: expect.any(String), key: 'postgres-password' } } });
    expect(env.TARGET_PASSWORD.valueFrom.secretKeyRef.key).toBe('postgres-password');
    expect(env.FREEZE_TIMEOUT_SECONDS.value).toBe('300');
    expect(env.MIGRATE_DATABASE.value).toBe('orders');
    expect(env.APP_ROLE.value).toBe('orders_app');
    expect(JSON.stringify(ms)).not.toMatch(/password"\s*,\s*"value"/i);
  });

  test('reverse replication: the cutover gets the reverse names (the flipped synth\'s forward names), and blue may reach green', () => {
    const strategy = MigrationStrategy.logicalReplication({ database: 'orders', appRole: 'orders_app', reverseReplication: true });
    const ms = synthBlueGreen(blueGreenChart({ strategy }).chart);
    const env = literalEnv(mainContainer(findManifest(ms, 'Job', 'orders-blue-to-green-cutover'), 'cutover'));
    expect(env).toMatchObject({ REVERSE_REPLICATION: 'true', REVERSE_PUBLICATION_NAME: 'bg_orders_green_to_blue', REVERSE_SUBSCRIPTION_NAME: 'bg_orders_green_to_blue', SUBSCRIPTION_NAME: 'bg_orders_blue_to_green' });
    const flipped = literalEnv(mainContainer(findManifest(synthBlueGreen(blueGreenChart({ strategy, active: BlueGreenColor.GREEN }).chart), 'Job', 'orders-green-to-blue-cutover'), 'cutover'));
    expect(flipped.SUBSCRIPTION_NAME).toBe(env.REVERSE_SUBSCRIPTION_NAME);
    expect(admits(ms, primaryPodLabels(ms, 'orders-db-v2'), primaryPodLabels(ms, 'orders-db-v1'), 5432)).toBe(true);
    expect(findManifest(ms, 'NetworkPolicy', 'orders-db-v1-to-orders-db-v2').spec.egress[0].to[0].podSelector.matchLabels).toEqual(findManifest(ms, 'StatefulSet', 'orders-db-v2').spec.selector.matchLabels);
    const plain = synthBlueGreen(blueGreenChart().chart);
    expect(literalEnv(mainContainer(findManifest(plain, 'Job', 'orders-blue-to-green-cutover'), 'cutover')).REVERSE_REPLICATION).toBeUndefined();
    expect(kinds(plain, 'NetworkPolicy').some((p) => p.metadata.name === 'orders-db-v1-to-orders-db-v2')).toBe(false);
    expect(() => MigrationStrategy.logicalReplication({ database: 'd', appRole: 'a', reverseReplication: 'yes' as any })).toThrow(/logicalReplication: reverseReplication must be true or false/);
  });

  test('flipping active renames the migration Jobs (a Job template is immutable) and keeps the unfreeze Jobs', () => {
    const ms = synthBlueGreen(blueGreenChart({ active: BlueGreenColor.GREEN }).chart);
    expect(kinds(ms, 'Job').map((j) => j.metadata.name).sort()).toEqual(['orders-green-to-blue-cutover', 'orders-green-to-blue-replicate', 'orders-unfreeze-blue', 'orders-unfreeze-green']);
  });

  test('dump/restore: dump in the source image, restore in the target image, through an emptyDir; every engine', () => {
    const chart = new Chart(Testing.app(), 'test');
    const clientLabels = { 'shop-client': 'true' };
    const blue = new MySqlCluster(chart, 'shop-v1', { replicas: 1, image: 'mysql:8.0.39', clientLabels });
    const green = new MySqlCluster(chart, 'shop-v2', { replicas: 1, image: 'mysql:8.4.2', clientLabels });
    new BlueGreenDatabase(chart, 'mysql', { blue, green, active: BlueGreenColor.BLUE });
    const ms = synthBlueGreen(chart);
    const job = findManifest(ms, 'Job', 'mysql-blue-to-green-migrate');
    expect(job.spec.template.spec.initContainers.map((c: Manifest) => `${c.name} ${c.image}`)).toEqual(['wait-for-source mysql:8.0.39', 'wait-for-target mysql:8.4.2', 'dump mysql:8.0.39']);
    expect(mainContainer(job, 'restore').image).toBe('mysql:8.4.2');
    expect(job.spec.template.spec.volumes.find((v: Manifest) => v.name === 'migration')).toEqual({ name: 'migration', emptyDir: {} });
    expect(kinds(ms, 'Job')).toHaveLength(1);
  });

  test('dump/restore on PostgreSQL with a freeze: freeze, dump, restore, then the copy is thawed', () => {
    const ms = synthBlueGreen(blueGreenChart({ strategy: MigrationStrategy.dumpRestore({ appRole: 'orders_app', database: 'orders' }) }).chart);
    const job = findManifest(ms, 'Job', 'orders-blue-to-green-migrate');
    expect([...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers].map((c: Manifest) => c.name))
      .toEqual(['wait-for-source', 'wait-for-target', 'freeze', 'dump', 'restore', 'thaw-target']);
  });

  test('dump/restore on MySQL with a freeze: freeze, then dump and restore through frozen-step.sh (unfreeze on failure or timeout); no thaw', () => {
    const chart = new Chart(Testing.app(), 'test');
    const clientLabels = { 'shop-client': 'true' };
    const blue = new MySqlCluster(chart, 'shop-v1', { replicas: 1, clientLabels });
    const green = new MySqlCluster(chart, 'shop-v2', { replicas: 1, clientLabels });
    const bg = new BlueGreenDatabase(chart, 'mysql', { blue, green, active: BlueGreenColor.BLUE, strategy: MigrationStrategy.dumpRestore({ appRole: 'shop', freezeTimeout: Duration.minutes(20) }) });
    const ms = synthBlueGreen(chart);
    const job = findManifest(ms, 'Job', 'mysql-blue-to-green-migrate');
    expect([...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers].map((c: Manifest) => c.name)).toEqual(['wait-for-source', 'wait-for-target', 'freeze', 'dump', 'restore']);
    const env = (name: string) => Object.fromEntries(mainContainer(job, name).env.map((e: Manifest) => [e.name, e.value ?? e.valueFrom]));
    expect(env('freeze')).toMatchObject({ SOURCE_HOST: 'shop-v1-primary', SOURCE_USER: 'root', APP_ROLE: 'shop', MYSQL_FAMILY: 'mysql', FREEZE_STARTED_FILE: '/migration/freeze-started',
      SOURCE_PASSWORD: { secretKeyRef: { name: 'shop-v1-credentials', key: 'root-password' } } });
    expect(mainContainer(job, 'freeze').command[1]).toMatch(/mysql-freeze.sh$/);
    for (const [step, script] of [['dump', 'dump-database.sh'], ['restore', 'restore-database.sh']]) {
      expect(mainContainer(job, step).command[1]).toMatch(/frozen-step.sh$/);
      expect(env(step)).toMatchObject({ STEP_SCRIPT: script, UNFREEZE_SCRIPT: 'mysql-unfreeze.sh', FREEZE_TIMEOUT_SECONDS: '1200', SOURCE_HOST: 'shop-v1-primary', FREEZE_STARTED_FILE: '/migration/freeze-started' });
    }
    expect(env('restore').MYSQL_HOST).toBe('shop-v2-primary');
    expect(bg.unfreezeBlueJob?.name).toBe('mysql-unfreeze-blue');
    expect(mainContainer(findManifest(ms, 'Job', 'mysql-unfreeze-green'), 'unfreeze').command[1]).toMatch(/mysql-unfreeze.sh$/);
    expect(Object.keys(findManifest(ms, 'ConfigMap', 'mysql-migration-scripts').data)).toEqual(expect.arrayContaining(['mysql-common.sh', 'mysql-freeze.sh', 'mysql-unfreeze.sh', 'freeze-start.sh', 'frozen-step.sh']));
  });

  test('ArgoCD sync wave and suspend: false', () => {
    const { chart, blue, green } = blueGreenChart({});
    new BlueGreenDatabase(chart, 'pg2', { blue, green, active: BlueGreenColor.BLUE, argoCdSyncWave: 2, suspend: false, name: 'other' });
    const ms = synthBlueGreen(chart);
    const job = findManifest(ms, 'Job', 'other-blue-to-green-migrate');
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2' });
    expect(job.spec.suspend).toBeUndefined();
  });

  describe('user migration step', () => {
    const userStep = { image: 'flyway/flyway:10.17.0', command: ['flyway', 'migrate'], args: ['-connectRetries=3'], env: { FLYWAY_LOCATIONS: 'filesystem:/flyway/sql' } };
    test('its own suspended Job after the strategy\'s: waits for both databases, SOURCE_*/TARGET_* env, passwords as mounted files only', () => {
      const { chart, bg } = blueGreenChart({ extra: { userStep } });
      const ms = synthBlueGreen(chart);
      const job = findManifest(ms, 'Job', 'orders-blue-to-green-user-step');
      expect(bg.migrationJobs.map((j) => j.name)).toEqual(['orders-blue-to-green-replicate', 'orders-blue-to-green-cutover', 'orders-blue-to-green-user-step']);
      expect(bg.userStepJob?.name).toBe('orders-blue-to-green-user-step');
      expect(job.spec.suspend).toBe(true);
      const pod = job.spec.template.spec;
      expect(pod.initContainers.map((c: Manifest) => c.name)).toEqual(['wait-for-source', 'wait-for-target']);
      const step = mainContainer(job, 'user-step');
      expect(step.image).toBe('flyway/flyway:10.17.0');
      expect(step.command).toEqual(['flyway', 'migrate']);
      expect(step.args).toEqual(['-connectRetries=3']);
      const env = Object.fromEntries(step.env.map((e: Manifest) => [e.name, e.value]));
      expect(env).toMatchObject({
        SOURCE_HOST: 'orders-db-v1-primary.shop.svc.cluster.local', SOURCE_PORT: '5432', SOURCE_USER: 'postgres', SOURCE_PASSWORD_FILE: '/var/run/secrets/cdk8s-workloads/source/password',
        TARGET_HOST: 'orders-db-v2-primary.shop.svc.cluster.local', TARGET_PORT: '5432', TARGET_USER: 'postgres', TARGET_PASSWORD_FILE: '/var/run/secrets/cdk8s-workloads/target/password',
        MIGRATE_DATABASE: 'orders', FLYWAY_LOCATIONS: 'filesystem:/flyway/sql',
      });
      expect(step.env.some((e: Manifest) => e.valueFrom)).toBe(false);
      for (const [role, cluster] of [['source', 'orders-db-v1'], ['target', 'orders-db-v2']]) {
        expect(pod.volumes.find((v: Manifest) => v.name === `${role}-password`)).toEqual({
          name: `${role}-password`, secret: { secretName: `${cluster}-credentials`, defaultMode: 0o440, items: [{ key: 'postgres-password', path: 'password' }] },
        });
        expect(step.volumeMounts).toContainEqual({ name: `${role}-password`, mountPath: `/var/run/secrets/cdk8s-workloads/${role}`, readOnly: true });
      }
      // The wait containers get no password files.
      for (const wait of pod.initContainers) expect((wait.volumeMounts ?? []).some((m: Manifest) => m.name.endsWith('-password'))).toBe(false);
      expect(step.securityContext).toMatchObject({ runAsUser: 999, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    });
    test('MySQL: root and the root-password key; stepName, user and resources', () => {
      const chart = new Chart(Testing.app(), 'test');
      const clientLabels = { 'shop-client': 'true' };
      const blue = new MySqlCluster(chart, 'shop-v1', { replicas: 1, clientLabels });
      const green = new MySqlCluster(chart, 'shop-v2', { replicas: 1, clientLabels });
      new BlueGreenDatabase(chart, 'mysql', {
        blue, green, active: BlueGreenColor.GREEN,
        userStep: { image: 'ghcr.io/shop/migrate:1.2.3', command: ['/migrate'], stepName: 'fixup', user: { uid: 10001, gid: 10001 }, resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } } },
      });
      const job = findManifest(synthBlueGreen(chart), 'Job', 'mysql-green-to-blue-fixup');
      const step = mainContainer(job, 'fixup');
      const env = Object.fromEntries(step.env.map((e: Manifest) => [e.name, e.value]));
      expect(env).toMatchObject({ SOURCE_HOST: 'shop-v2-primary', SOURCE_USER: 'root', SOURCE_PORT: '3306', TARGET_HOST: 'shop-v1-primary' });
      expect(env.MIGRATE_DATABASE).toBeUndefined();
      expect(job.spec.template.spec.volumes.find((v: Manifest) => v.name === 'source-password').secret).toMatchObject({ secretName: 'shop-v2-credentials', items: [{ key: 'root-password', path: 'password' }] });
      expect(step.securityContext.runAsUser).toBe(10001);
      expect(step.resources.limits.memory).toBe('128Mi');
    });
    test.each([
      [{ image: 'flyway/flyway', command: ['flyway'] }, /bg: userStep.image has no tag \(got "flyway\/flyway"\)/],
      [{ image: 'flyway/flyway:10', command: [] }, /bg: userStep.command must be a non-empty list of strings \(got \[\]\)/],
      [{ image: 'flyway/flyway:10', command: ['x'], env: { SOURCE_HOST: 'elsewhere' } }, /bg: userStep.env sets SOURCE_HOST, which the step's connection sets/],
      [{ image: 'flyway/flyway:10', command: ['x'], stepName: 'Flyway' }, /bg: userStep.stepName/],
      [{ image: 'flyway/flyway:10', command: ['x'], stepName: 'cutover' }, /bg: userStep.stepName is the name of a built-in migration Job \(got "cutover"\)/],
      [{ image: 'flyway/flyway:10', command: ['x'], imag: 'y' }, /bg: imag is not a prop of UserMigrationStep.*Did you mean `image`/],
      [{ image: 'flyway/flyway:10', command: ['x'], user: { uid: 0, gid: 0 } }, /bg: userStep.user.uid must be a non-root integer >= 1 \(got 0\)/],
    ])('bad userStep %j', (userStep, message) => {
      const chart = new Chart(Testing.app(), 'test');
      const blue = new PostgresCluster(chart, 'v1', { replicas: 1 });
      const green = new PostgresCluster(chart, 'v2', { replicas: 1 });
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, userStep: userStep as any })).toThrow(message);
    });
  });

  describe('Helm hooks', () => {
    test('the migration Jobs become hooks with consecutive weights in run order; the unfreeze Jobs stay suspended and are no hooks', () => {
      const { chart } = blueGreenChart({ extra: {
        suspend: false, argoCdSyncWave: 1, userStep: { image: 'flyway/flyway:10.17.0', command: ['flyway', 'migrate'] },
        helmHook: { events: [HelmHookEvent.POST_INSTALL, HelmHookEvent.POST_UPGRADE], weight: 5, deletePolicies: [HelmHookDeletePolicy.BEFORE_HOOK_CREATION, HelmHookDeletePolicy.HOOK_SUCCEEDED] },
      } });
      const ms = synthBlueGreen(chart);
      const annotations = (name: string) => findManifest(ms, 'Job', name).metadata.annotations;
      ['replicate', 'cutover', 'user-step'].forEach((step, i) => {
        expect(annotations(`orders-blue-to-green-${step}`)).toEqual({
          'argocd.argoproj.io/sync-wave': '1', 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-weight': String(5 + i), 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
        });
        expect(findManifest(ms, 'Job', `orders-blue-to-green-${step}`).spec.suspend).toBeUndefined();
      });
      for (const color of ['blue', 'green']) {
        expect(annotations(`orders-unfreeze-${color}`)).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
        expect(findManifest(ms, 'Job', `orders-unfreeze-${color}`).spec.suspend).toBe(true);
      }
    });
    test('defaults: weight 0, delete policy before-hook-creation', () => {
      const { chart } = blueGreenChart({ strategy: MigrationStrategy.dumpRestore(), extra: { suspend: false, helmHook: { events: [HelmHookEvent.PRE_UPGRADE] } } });
      expect(findManifest(synthBlueGreen(chart), 'Job', 'orders-blue-to-green-migrate').metadata.annotations)
        .toEqual({ 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-weight': '0', 'helm.sh/hook-delete-policy': 'before-hook-creation' });
    });
    const bad = (helmHook: unknown, suspend: boolean | undefined = false) => () => {
      const chart = new Chart(Testing.app(), 'test');
      const blue = new PostgresCluster(chart, 'v1', { replicas: 1 });
      const green = new PostgresCluster(chart, 'v2', { replicas: 1 });
      new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, suspend, helmHook: helmHook as any });
    };
    test('a hook on suspended Jobs', () => {
      expect(bad({ events: [HelmHookEvent.POST_UPGRADE] }, true)).toThrow(/bg: helmHook needs suspend: false: Helm waits for a hook Job to complete.*\(got true\)/);
      const { chart, blue, green } = blueGreenChart();
      expect(() => new BlueGreenDatabase(chart, 'bg2', { blue, green, active: BlueGreenColor.BLUE, name: 'x', helmHook: { events: [HelmHookEvent.POST_UPGRADE] } })).toThrow(/\(got "suspend defaulting to true"\)/);
    });
    test('no events', () => expect(bad({ events: [] })).toThrow(/bg: helmHook.events must name at least one event/));
    test('an event that is not a HelmHookEvent', () => expect(bad({ events: ['post-upgrade', 'upgrade'] })).toThrow(/bg: helmHook.events\[1\] must be one of HelmHookEvent.PRE_INSTALL/));
    test('a duplicate event', () => expect(bad({ events: ['post-upgrade', 'post-upgrade'] })).toThrow(/bg: helmHook.events lists post-upgrade twice/));
    test('a weight that is not an integer', () => expect(bad({ events: ['post-upgrade'], weight: 1.5 })).toThrow(/bg: helmHook.weight must be an integer \(got 1.5\)/));
    test('a delete policy that is not one', () => expect(bad({ events: ['post-upgrade'], deletePolicies: ['always'] })).toThrow(/bg: helmHook.deletePolicies\[0\] must be one of HelmHookDeletePolicy/));
    test('an unknown key', () => expect(bad({ event: ['post-upgrade'] })).toThrow(/bg: event is not a prop of HelmHookOptions.*Did you mean `events`/));
  });

  test('escape hatch: the Service is reachable and patchable', () => {
    const { chart, bg } = blueGreenChart();
    ApiObject.of(bg.service).addJsonPatch(JsonPatch.add('/metadata/annotations', { team: 'orders' }));
    expect(findManifest(synthBlueGreen(chart), 'Service', 'postgres').metadata.annotations).toEqual({ team: 'orders' });
    expect(bg.host).toBe('postgres');
    expect(bg.migrationJobs.map((j) => j.name)).toEqual(['orders-blue-to-green-replicate', 'orders-blue-to-green-cutover']);
    expect(bg.activeCluster).toBe(bg.blue);
  });

  describe('errors', () => {
    const pg = () => {
      const chart = new Chart(Testing.app(), 'test');
      return { chart, blue: new PostgresCluster(chart, 'v1', { replicas: 1 }), green: new PostgresCluster(chart, 'v2', { replicas: 1 }) };
    };
    test('unknown prop', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, activ: 1 } as any)).toThrow(/bg: activ is not a prop of BlueGreenDatabaseProps.*Did you mean `active`/);
    });
    test('active is required', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green } as any)).toThrow(/bg: active is required/);
    });
    test('active is not a color', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: 'BLUE' as any })).toThrow(/active must be one of BlueGreenColor.BLUE, BlueGreenColor.GREEN/);
    });
    test('blue is not a cluster', () => {
      const { chart, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue: { name: 'x' } as any, green, active: BlueGreenColor.BLUE })).toThrow(/bg: blue must be a database cluster of this library/);
    });
    test('the same cluster twice', () => {
      const { chart, blue } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green: blue, active: BlueGreenColor.BLUE })).toThrow(/green is the same cluster as blue/);
    });
    test('engines differ', () => {
      const { chart, blue } = pg();
      const green = new RedisCluster(chart, 'cache', { replicas: 1 });
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE })).toThrow(/green is a redis cluster but blue is postgresql/);
    });
    test('ports differ', () => {
      const { chart, blue } = pg();
      const green = new PostgresCluster(chart, 'v3', { replicas: 1 });
      (green as any).port = 5433;
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE })).toThrow(/green listens on port 5433 but blue on 5432/);
    });
    test('namespaces differ', () => {
      const app = Testing.app();
      const a = new Chart(app, 'a', { namespace: 'one' });
      const b = new Chart(app, 'b', { namespace: 'two' });
      const blue = new PostgresCluster(a, 'v1', { replicas: 1 });
      const green = new PostgresCluster(b, 'v2', { replicas: 1 });
      expect(() => new BlueGreenDatabase(a, 'bg', { blue, green, active: BlueGreenColor.BLUE })).toThrow(/green is in namespace "two" but blue is in "one"/);
    });
    test('logical replication needs PostgreSQL', () => {
      const chart = new Chart(Testing.app(), 'test');
      const blue = new MySqlCluster(chart, 'm1', { replicas: 1 });
      const green = new MySqlCluster(chart, 'm2', { replicas: 1 });
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, strategy: MigrationStrategy.logicalReplication({ database: 'shop', appRole: 'shop' }) }))
        .toThrow(/bg: strategy logicalReplication needs PostgreSQL clusters, but blue is mysql/);
    });
    test('strategy is not a MigrationStrategy', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, strategy: 'dump' as any })).toThrow(/strategy must be a MigrationStrategy/);
    });
    test('service name', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, serviceName: '1pg' })).toThrow(/bg: serviceName/);
    });
    test('job name too long', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, name: 'x'.repeat(40) })).toThrow(/gives the migrate Job the name/);
    });
    test('client labels that the Job pods\' own identity would overwrite', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, clientLabels: { 'app.kubernetes.io/name': 'orders' } }))
        .toThrow(/bg: clientLabels uses app.kubernetes.io\/name/);
    });
    test('sync wave not an integer', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, argoCdSyncWave: 1.5 })).toThrow(/argoCdSyncWave must be an integer/);
    });
    test('wrong type of a Duration prop', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, waitTimeout: 600 as any })).toThrow(/waitTimeout must be a cdk8s Duration/);
    });
    test('logicalReplication options', () => {
      expect(() => MigrationStrategy.logicalReplication({ database: '', appRole: 'a' })).toThrow(/MigrationStrategy.logicalReplication: database must be a PostgreSQL name of 1-63 bytes/);
      expect(() => MigrationStrategy.logicalReplication({ database: 'd', appRole: 'a', freezeTimeout: Duration.millis(10) })).toThrow(/freezeTimeout/);
      expect(() => MigrationStrategy.logicalReplication({ database: 'd', appRole: 'a', freezTimeout: Duration.seconds(1) } as any)).toThrow(/Did you mean `freezeTimeout`/);
    });
    test('dumpRestore: database and freezeTimeout need appRole', () => {
      expect(() => MigrationStrategy.dumpRestore({ database: 'orders' })).toThrow(/dumpRestore: database only applies to a freeze, which needs appRole \(got "orders"\)/);
      expect(() => MigrationStrategy.dumpRestore({ freezeTimeout: Duration.minutes(1) })).toThrow(/dumpRestore: freezeTimeout only applies to a freeze/);
    });
    test('dumpRestore freeze on PostgreSQL needs database', () => {
      const { chart, blue, green } = pg();
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, strategy: MigrationStrategy.dumpRestore({ appRole: 'orders_app' }) }))
        .toThrow(/bg: strategy dumpRestore with appRole on PostgreSQL needs database/);
    });
    test('dumpRestore freeze on MySQL takes no database', () => {
      const chart = new Chart(Testing.app(), 'test');
      const blue = new MySqlCluster(chart, 'm1', { replicas: 1 });
      const green = new MySqlCluster(chart, 'm2', { replicas: 1 });
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, strategy: MigrationStrategy.dumpRestore({ appRole: 'shop', database: 'shop' }) }))
        .toThrow(/bg: strategy dumpRestore database is for PostgreSQL: the MySQL \/ MariaDB freeze is server-wide/);
    });
    test('a freeze needs PostgreSQL', () => {
      const chart = new Chart(Testing.app(), 'test');
      const blue = new RedisCluster(chart, 'r1', { replicas: 1 });
      const green = new RedisCluster(chart, 'r2', { replicas: 1 });
      expect(() => new BlueGreenDatabase(chart, 'bg', { blue, green, active: BlueGreenColor.BLUE, strategy: MigrationStrategy.dumpRestore({ appRole: 'a', database: 'd' }) }))
        .toThrow(/dumpRestore with appRole \(a freeze\) needs PostgreSQL or MySQL \/ MariaDB clusters, but blue is redis/);
    });
  });
  void kplus;
});

test('PostgresSettings.logicalReplication renders wal_level = logical (the source of a logical-replication migration)', () => {
  const ms = synthBlueGreen(blueGreenChart().chart);
  const config = (name: string) => Object.values(findManifest(ms, 'ConfigMap', `${name}-config`).data as Record<string, string>).join('\n');
  expect(config('orders-db-v1')).toMatch(/^wal_level = logical$/m);
  const plain = new PostgresCluster(new Chart(Testing.app(), 'p'), 'plain', { replicas: 1 });
  expect(plain).toBeDefined();
  const other = synthBlueGreen(plain.node.scope as Chart);
  expect(Object.values(findManifest(other, 'ConfigMap', 'plain-config').data as Record<string, string>).join('\n')).toMatch(/^wal_level = replica$/m);
});

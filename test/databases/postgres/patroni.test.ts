import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Cron, Duration, JsonPatch, Size, Testing, Yaml } from 'cdk8s';
import { Alerts, BackupCronJob, BackupSchedule, BackupTarget, HighAvailability, PatroniImage, PostgresCluster, PostgresClusterProps, Runbook, testing } from '../../../lib';
import { describeWithBinaries, SHELLCHECK } from '../../support/binaries';

const PATRONI: [string, string][] = [['/usr/bin/patroni', 'patroni'], ['/usr/lib/postgresql/15/bin/postgres', 'postgresql-15']];
const SELECTOR = { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'orders-db', 'app.kubernetes.io/component': 'database' };

function synth(props: PostgresClusterProps = { highAvailability: HighAvailability.patroni() }, namespace = 'shop') {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  const db = new PostgresCluster(chart, 'orders-db', props);
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const find = (kind: string, name: string) => testing.Harness.findManifest(manifests, kind, name);
  const sts = find('StatefulSet', 'orders-db');
  const pod = sts.spec.template.spec;
  const server = pod.containers.find((c: { name: string }) => c.name === 'postgres');
  const patroniYml: string = find('ConfigMap', 'orders-db-config').data['patroni.yml'];
  const config = Yaml.load(writeTemp('patroni.yml', patroniYml))[0];
  return { chart, db, manifests, find, sts, pod, server, patroniYml, config };
}

function writeTemp(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-unit-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const ha = (options = {}) => ({ highAvailability: HighAvailability.patroni(options) });

test('snapshot of the defaults', () => {
  expect(synth().manifests).toMatchSnapshot();
});

describe('topology', () => {
  test('the read-write Service selects the pod Patroni labels role=master (Patroni 3.0), never pod 0; the pod template sets no role', () => {
    const { find, sts } = synth();
    expect(find('Service', 'orders-db-primary').spec.selector).toEqual({ ...SELECTOR, role: 'master' });
    expect(find('Service', 'orders-db-replicas').spec.selector).toEqual({ ...SELECTOR, role: 'replica' });
    expect(find('Service', 'orders-db-read').spec.selector).toEqual(SELECTOR);
    expect(sts.spec.template.metadata.labels.role).toBeUndefined();
    expect(sts.spec.template.metadata.labels['cluster-name']).toBe('orders-db-patroni');
  });
  test('without highAvailability the primary is still pod 0', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new PostgresCluster(chart, 'orders-db');
    const manifests = testing.Harness.synthValid(chart);
    expect(testing.Harness.findManifest(manifests, 'Service', 'orders-db-primary').spec.selector['statefulset.kubernetes.io/pod-name']).toBe('orders-db-0');
  });
  test('Patroni starts PostgreSQL: no init container, no entrypoint init script, no preStop; members start in parallel', () => {
    const { pod, server, sts } = synth();
    expect(pod.initContainers ?? []).toEqual([]);
    expect(server.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/patroni-start.sh']);
    expect(server.lifecycle).toBeUndefined();
    expect(server.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain('/docker-entrypoint-initdb.d');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
  });
  test('probes on the REST API: readiness /readiness, liveness and startup /liveness on 8008', () => {
    const { server } = synth();
    expect(server.readinessProbe.httpGet).toEqual({ path: '/readiness', port: 8008, scheme: 'HTTP' });
    expect(server.livenessProbe.httpGet).toEqual({ path: '/liveness', port: 8008, scheme: 'HTTP' });
    expect(server.startupProbe.httpGet).toEqual({ path: '/liveness', port: 8008, scheme: 'HTTP' });
    expect(server.ports).toContainEqual({ containerPort: 8008, name: 'patroni' });
  });
  test('termination grace outlasts ttl + loop_wait (60 s by default, more for a longer ttl)', () => {
    expect(synth().pod.terminationGracePeriodSeconds).toBe(60);
    expect(synth(ha({ ttl: Duration.seconds(60), loopWait: Duration.seconds(10), retryTimeout: Duration.seconds(10) })).pod.terminationGracePeriodSeconds).toBe(70);
  });
  test('the PDB and spread of the plain cluster', () => {
    const { find, pod } = synth();
    expect(find('PodDisruptionBudget', 'orders-db').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR } });
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });
});

describe('RBAC: exactly what Patroni\'s Kubernetes store needs in ConfigMaps mode, namespaced', () => {
  test('ServiceAccount with its token mounted only by the pod; Role on configmaps and pods; RoleBinding', () => {
    const { find, pod, manifests } = synth();
    expect(pod.serviceAccountName).toBe('orders-db-patroni');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(find('ServiceAccount', 'orders-db-patroni').automountServiceAccountToken).toBe(false);
    expect(find('Role', 'orders-db-patroni').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch', 'patch'] },
    ]);
    expect(find('RoleBinding', 'orders-db-patroni')).toMatchObject({
      roleRef: { kind: 'Role', name: 'orders-db-patroni' }, subjects: [{ kind: 'ServiceAccount', name: 'orders-db-patroni', namespace: 'shop' }],
    });
    expect(manifests.filter((m) => /^Cluster/.test(m.kind))).toEqual([]);
  });
});

describe('NetworkPolicy', () => {
  test('the plain cluster\'s rules plus the REST API between members and egress to the API server', () => {
    const { find } = synth();
    const np = find('NetworkPolicy', 'orders-db').spec;
    const members = [{ podSelector: { matchLabels: SELECTOR } }];
    expect(np.ingress).toContainEqual({ from: members, ports: [{ protocol: 'TCP', port: 8008 }] });
    expect(np.egress).toContainEqual({ to: members, ports: [{ protocol: 'TCP', port: 8008 }] });
    expect(np.egress).toContainEqual({ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
    expect(np.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });
  test('apiServerCidr narrows the API server egress', () => {
    const np = synth(ha({ apiServerCidr: '10.0.0.0/24' })).find('NetworkPolicy', 'orders-db').spec;
    expect(np.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
  });
});

describe('secrets and image', () => {
  test('the Secret is mounted as files (postgres, replication and rewind passwords), never in env', () => {
    const { pod, server } = synth();
    expect(pod.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'orders-db-credentials', defaultMode: 0o440 } });
    expect(server.volumeMounts).toContainEqual({ name: 'credentials', mountPath: '/etc/patroni-credentials', readOnly: true });
    expect(server.env.filter((e: any) => e.valueFrom?.secretKeyRef)).toEqual([]);
  });
  test('Spilo 15 (3.0-p1) by default, uid 101 / gid 103; a custom image with its user and bin dir', () => {
    const spilo = synth();
    expect(spilo.server.image).toBe('ghcr.io/zalando/spilo-15:3.0-p1');
    expect(spilo.pod.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 103, fsGroup: 103 });
    expect(spilo.config.postgresql.bin_dir).toBe('/usr/lib/postgresql/15/bin');
    const custom = synth(ha({ image: PatroniImage.custom({ image: 'registry.example/pg-patroni:15.8-3.0.2', uid: 999, gid: 999, postgresBinDir: '/usr/lib/postgresql/15/bin' }) }));
    expect(custom.server.image).toBe('registry.example/pg-patroni:15.8-3.0.2');
    expect(custom.server.securityContext.runAsUser).toBe(999);
  });
});

describe('generated Patroni configuration', () => {
  test('Kubernetes store in ConfigMaps mode with our labels, scope and role label; timings and sync mode from the options', () => {
    const { config } = synth(ha({ synchronous: true, ttl: Duration.seconds(40), loopWait: Duration.seconds(10), retryTimeout: Duration.seconds(15), maximumLagOnFailover: Size.mebibytes(16) }));
    expect(config.scope).toBe('orders-db-patroni');
    expect(config.kubernetes).toEqual({ use_endpoints: false, labels: SELECTOR, scope_label: 'cluster-name', role_label: 'role' });
    expect(config.bootstrap.dcs).toMatchObject({ ttl: 40, loop_wait: 10, retry_timeout: 15, maximum_lag_on_failover: 16 * 1024 * 1024, synchronous_mode: true });
    expect(config.bootstrap.dcs.postgresql).toMatchObject({ use_pg_rewind: true, use_slots: true });
    expect(config.postgresql.authentication).toEqual({ superuser: { username: 'postgres' }, replication: { username: 'replicator' }, rewind: { username: 'rewinder' } });
  });
  test('settings: cluster-wide parameters only in bootstrap.dcs, the others also locally; no password anywhere', () => {
    const { config, patroniYml } = synth({ ...ha(), settings: { maxConnections: 200, parameters: { work_mem: '8MB' } } });
    expect(config.bootstrap.dcs.postgresql.parameters).toMatchObject({ max_connections: '200', work_mem: '8MB', wal_log_hints: 'on' });
    expect(config.postgresql.parameters.max_connections).toBeUndefined();
    expect(config.postgresql.parameters.work_mem).toBe('8MB');
    expect(patroniYml).not.toMatch(/password/i);
  });

  describeWithBinaries('patroni --validate-config (Debian patroni 3.0.2)', PATRONI, () => {
    const validate = (yml: string, env: Record<string, string> = {}) => spawnSync('/usr/bin/patroni', ['--validate-config', writeTemp('patroni.yml', yml)], {
      encoding: 'utf8',
      // What the pod's manifest sets (the start script adds the passwords).
      env: {
        PATH: '/usr/bin:/bin', PATRONI_NAME: 'orders-db-0', PATRONI_KUBERNETES_NAMESPACE: 'shop', PATRONI_KUBERNETES_POD_IP: '10.1.2.3',
        PATRONI_POSTGRESQL_CONNECT_ADDRESS: '10.1.2.3:5432', PATRONI_RESTAPI_CONNECT_ADDRESS: '10.1.2.3:8008',
        PATRONI_SUPERUSER_PASSWORD: 'a', PATRONI_REPLICATION_PASSWORD: 'b', PATRONI_REWIND_PASSWORD: 'c', ...env,
      },
    });
    test.each([
      ['defaults', ha()],
      ['synchronous, custom timings and settings', { ...ha({ synchronous: true, ttl: Duration.seconds(20), loopWait: Duration.seconds(5), retryTimeout: Duration.seconds(5) }), settings: { maxConnections: 50, logicalReplication: true } }],
    ])('%s: valid', (_name, props) => {
      const r = validate(synth(props as PostgresClusterProps).patroniYml);
      expect(`${r.status} ${r.stdout}${r.stderr}`).toBe('0 ');
    });
    test('the validator is not vacuous: a wrong bin_dir or a missing pod address fails', () => {
      const yml = synth().patroniYml;
      expect(validate(yml.replace('/usr/lib/postgresql/15/bin', '/nonexistent/bin')).stdout + validate(yml.replace('/usr/lib/postgresql/15/bin', '/nonexistent/bin')).stderr).toMatch(/bin_dir/);
      const r = validate(yml, { PATRONI_POSTGRESQL_CONNECT_ADDRESS: '' });
      expect(r.status).not.toBe(0);
    });
  });
});

describeWithBinaries('patroni-start.sh', SHELLCHECK, () => {
  const script = path.resolve(__dirname, '../../../lib/databases/postgres/patroni/patroni-start.sh');
  test('passes shellcheck', () => {
    const r = spawnSync('shellcheck', [script], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  test('fails loudly when a Secret key is missing, before starting Patroni', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-start-'));
    fs.writeFileSync(path.join(dir, 'postgres-password'), 'x');
    fs.writeFileSync(path.join(dir, 'replication-password'), 'y');
    const r = spawnSync('/bin/sh', [script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', CREDENTIALS_DIR: dir, PATRONI_NAME: 'orders-db-0', PGDATA: path.join(dir, 'pgdata') } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the Secret needs the key rewind-password');
  });
  test('exports the three passwords from the files and execs patroni with the configuration', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroni-start-'));
    for (const [key, value] of [['postgres-password', 'p1\n'], ['replication-password', 'p2'], ['rewind-password', 'p3']]) fs.writeFileSync(path.join(dir, key), value);
    // A stand-in patroni on PATH that prints what it was given.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'patroni'), '#!/bin/sh\necho "args=$* su=$PATRONI_SUPERUSER_PASSWORD repl=$PATRONI_REPLICATION_PASSWORD rewind=$PATRONI_REWIND_PASSWORD"\n', { mode: 0o755 });
    fs.mkdirSync(path.join(dir, 'pgdata'), { mode: 0o770 });
    const r = spawnSync('/bin/sh', [script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, CREDENTIALS_DIR: dir, PATRONI_NAME: 'orders-db-0', PGDATA: path.join(dir, 'pgdata'), PATRONI_CONFIG: '/etc/patroni/patroni.yml' } });
    expect(r.stdout).toContain('args=/etc/patroni/patroni.yml su=p1 repl=p2 rewind=p3');
    expect(fs.statSync(path.join(dir, 'pgdata')).mode & 0o777).toBe(0o700);
  });
});

describe('errors', () => {
  const where = 'HighAvailability.patroni';
  test('ttl below loopWait + 2 * retryTimeout', () => {
    expect(() => HighAvailability.patroni({ ttl: Duration.seconds(20), loopWait: Duration.seconds(10), retryTimeout: Duration.seconds(10) }))
      .toThrow(`${where}: ttl must be at least loopWait + 2 * retryTimeout (10 + 2 * 10 = 30s), or a leader may lose its key while still retrying (got "20s")`);
  });
  test('ttl below 20 s', () => {
    expect(() => HighAvailability.patroni({ ttl: Duration.seconds(10) })).toThrow(/ttl must be a whole number of seconds >= 20 \(got "10000ms"\)/);
  });
  test('fractional loopWait', () => {
    expect(() => HighAvailability.patroni({ loopWait: Duration.millis(1500) })).toThrow(/loopWait must be a whole number of seconds >= 1 \(got "1500ms"\)/);
  });
  test('retryTimeout below 3 s', () => {
    expect(() => HighAvailability.patroni({ retryTimeout: Duration.seconds(2) })).toThrow(/retryTimeout must be a whole number of seconds >= 3/);
  });
  test('unknown option', () => {
    expect(() => HighAvailability.patroni({ tll: Duration.seconds(30) } as any)).toThrow(/tll/);
  });
  test('wrong option type', () => {
    expect(() => HighAvailability.patroni({ synchronous: 'yes' } as any)).toThrow(/synchronous/);
  });
  test('apiServerCidr that is not a CIDR', () => {
    expect(() => HighAvailability.patroni({ apiServerCidr: 'kubernetes.default' })).toThrow(/apiServerCidr must be a CIDR \(got "?kubernetes.default"?\)/);
  });
  test('image not a PatroniImage', () => {
    expect(() => HighAvailability.patroni({ image: 'postgres:15' as any })).toThrow(/image must be a PatroniImage/);
  });
  test('custom image running as root', () => {
    expect(() => PatroniImage.custom({ image: 'pg-patroni:1.0', uid: 0, gid: 0 })).toThrow(/PatroniImage.custom: uid must be a positive integer/);
  });
  test('custom image unpinned', () => {
    expect(() => PatroniImage.custom({ image: 'pg-patroni:latest', uid: 999, gid: 999 })).toThrow(/latest/);
  });
  test('custom image with a relative bin dir', () => {
    expect(() => PatroniImage.custom({ image: 'pg-patroni:1.0', uid: 999, gid: 999, postgresBinDir: 'bin' })).toThrow(/postgresBinDir must be an absolute path/);
  });
  test('the cluster image prop with highAvailability', () => {
    expect(() => synth({ ...ha(), image: 'postgres:16.4' })).toThrow(/test\/orders-db: image is not used with highAvailability/);
  });
  test('maxReplicaLag with highAvailability', () => {
    expect(() => synth({ ...ha(), maxReplicaLag: Duration.seconds(10) })).toThrow(/maxReplicaLag is not used with highAvailability/);
  });
  test('a chart without namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new PostgresCluster(chart, 'orders-db', ha())).toThrow(/highAvailability needs the chart's namespace/);
  });
  test('termination grace not longer than the ttl', () => {
    expect(() => synth({ ...ha(), terminationGracePeriod: Duration.seconds(30) })).toThrow(/terminationGracePeriod must be longer than the Patroni ttl \(30s\)/);
  });
  test('highAvailability not a HighAvailability', () => {
    expect(() => synth({ highAvailability: { synchronous: true } as any })).toThrow(/highAvailability must be a HighAvailability/);
  });
});

test('escape hatch: the Role and the replicas Service are reachable and patchable', () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const db = new PostgresCluster(chart, 'orders-db', ha());
  db.patroni!.role.addJsonPatch(JsonPatch.add('/rules/-', { apiGroups: [''], resources: ['configmaps'], verbs: ['deletecollection'] }));
  ApiObject.of(db.patroni!.replicasService).addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 'ClientIP'));
  const manifests = testing.Harness.synthValid(chart);
  expect(testing.Harness.findManifest(manifests, 'Role', 'orders-db-patroni').rules).toHaveLength(3);
  expect(testing.Harness.findManifest(manifests, 'Service', 'orders-db-replicas').spec.sessionAffinity).toBe('ClientIP');
});

describe('operations with an HA cluster', () => {
  test('a backup reads from the read-write Service, i.e. from whichever pod Patroni elected', () => {
    const { chart, db } = synth();
    new BackupCronJob(chart, 'orders-backup', { database: db, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(20) }) });
    const cron = testing.Harness.findManifest(testing.Harness.synthValid(chart), 'CronJob', 'orders-backup');
    const env = cron.spec.jobTemplate.spec.template.spec.containers.find((c: { name: string }) => c.name === 'backup').env;
    expect(env).toContainEqual({ name: 'PGHOST', value: 'orders-db-primary.shop.svc.cluster.local' });
  });
  test('alerts: Patroni leader rules instead of the pod-0 primary rules', () => {
    const { db } = synth({ ...ha(), metrics: true });
    const names = Alerts.forDatabase(db).rules.map((r) => r.alert);
    expect(names).toEqual(expect.arrayContaining(['PatroniNoLeader', 'PatroniTwoLeaders', 'PatroniReplicasMissing', 'PostgresReplicationLag']));
    expect(names).not.toContain('DatabasePrimaryNotReady');
    expect(names).not.toContain('PostgresReplicaNotStreaming');
    expect(Alerts.forDatabase(db).rules.find((r) => r.alert === 'PatroniNoLeader')!.expr).toContain('endpoint="orders-db-primary"');
  });
  test('the runbook documents switchover, failover and rejoin', () => {
    const { chart } = synth();
    const text = Runbook.render(chart);
    expect(text).toContain('patronictl -c /etc/patroni/patroni.yml switchover orders-db-patroni');
    expect(text).toContain('patronictl -c /etc/patroni/patroni.yml failover orders-db-patroni');
    expect(text).toContain('patronictl -c /etc/patroni/patroni.yml reinit orders-db-patroni');
    expect(text).toContain('Patroni elects the primary');
  });
});

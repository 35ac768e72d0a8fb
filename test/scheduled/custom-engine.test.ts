/**
 * The backup contract: an engine defined outside lib/ (here, a toy key-value server) gets
 * backups and restores from BackupCronJob and RestoreJob without any change to scheduled/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as kplus from 'cdk8s-plus-27';
import { Cron, Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BackupCronJob, BackupSchedule, BackupScripts, BackupTarget, ClusterBackupSource, DatabaseEngine, EngineContext, EngineInitContainer,
  EngineProbes, EngineScript, IBackupable, IBackupSource, ImageUser, ProbeHandler, ReplicatedDatabase, RestoreJob, WritablePath,
} from '../../lib';
import { findManifest } from '../../lib/testing/validate';
import { chartWithDatabase, containerOf, literalEnv, podOf, synth } from './support';

class KvEngine extends DatabaseEngine {
  public readonly appName = 'kv';
  public readonly defaultImage = 'example.com/kv:1.0.0';
  public readonly user: ImageUser = { uid: 1001, gid: 1001 };
  public readonly port = 7000;
  public readonly portName = 'kv';
  public readonly dataMountPath = '/data';
  public readonly configMountPath = '/etc/kv';
  public readonly writablePaths: WritablePath[] = [];
  public readonly containerName = 'kv';
  public configFiles(_scope: Construct, _ctx: EngineContext) { return { 'kv.conf': 'port 7000\n' }; }
  public scripts(): EngineScript[] { return []; }
  public serverEnv(_ctx: EngineContext): { [name: string]: kplus.EnvValue } { return {}; }
  public initContainers(_ctx: EngineContext): EngineInitContainer[] { return []; }
  public probeHandlers(): EngineProbes { return { readiness: ProbeHandler.tcp(7000), liveness: ProbeHandler.tcp(7000) }; }
}

class KvBackupSource extends ClusterBackupSource {
  public readonly engine = 'kv';
  public readonly dumpExtension = '.kvdump';
  constructor(cluster: KvCluster) { super(cluster, cluster.name); }
  public connectionEnv() { return { KV_HOST: kplus.EnvValue.fromValue(this.host), KV_PORT: kplus.EnvValue.fromValue(String(this.port)) }; }
  public dumpEnv() { return { KV_DUMP_MODE: kplus.EnvValue.fromValue('full') }; }
  public scripts(): BackupScripts {
    return {
      dump: '#!/bin/sh\nkv-cli -h "$KV_HOST" dump > "$DUMP_FILE"\n',
      restore: '#!/bin/sh\nkv-cli -h "$KV_HOST" load < "$DUMP_FILE"\n',
      // Succeeds once a marker file exists: the test creates it after a few attempts.
      readinessCheck: '#!/bin/sh\n[ -f "$KV_READY_FILE" ]\n',
    };
  }
}

class KvCluster extends ReplicatedDatabase implements IBackupable {
  private source?: KvBackupSource;
  constructor(scope: Construct, id: string) { super(scope, id, new KvEngine(), { replicas: 1 }); }
  public backupSource(): IBackupSource { return (this.source ??= new KvBackupSource(this)); }
}

function setup() {
  const { chart } = chartWithDatabase();
  const kv = new KvCluster(chart, 'sessions');
  const backup = new BackupCronJob(chart, 'sessions-backup', { database: kv, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(5) }) });
  const restore = new RestoreJob(chart, 'sessions-restore', { backup });
  return { chart, kv, backup, restore, manifests: synth(chart) };
}

describe('a user-written engine backs up through the contract', () => {
  test('the backup runs the engine\'s dump in the engine\'s image, as its user, with its env', () => {
    const { manifests } = setup();
    const cron = findManifest(manifests, 'CronJob', 'sessions-backup');
    const dump = containerOf(cron, 'backup');
    expect(dump.image).toBe('example.com/kv:1.0.0');
    expect(podOf(cron).securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001 });
    expect(literalEnv(dump)).toMatchObject({ KV_HOST: 'sessions-primary.shop.svc.cluster.local', KV_PORT: '7000', KV_DUMP_MODE: 'full', DUMP_PREFIX: 'sessions', DUMP_EXTENSION: '.kvdump' });
    const scripts = findManifest(manifests, 'ConfigMap', 'sessions-backup-scripts').data;
    expect(scripts['dump-database.sh']).toContain('kv-cli -h "$KV_HOST" dump');
    expect(scripts['database-ready.sh']).toContain('KV_READY_FILE');
    expect(cron.spec.jobTemplate.spec.template.metadata.labels['cdk8s-workloads.io/client-of']).toBe('sessions');
    const policy = findManifest(manifests, 'NetworkPolicy', 'sessions-backup');
    expect(policy.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 7000 }]);
  });

  test('the restore waits with the engine\'s readiness check and restores with its script', () => {
    const { manifests } = setup();
    const job = findManifest(manifests, 'Job', 'sessions-restore');
    expect(podOf(job).initContainers.map((c: { name: string }) => c.name)).toEqual(['wait-for-database']);
    expect(literalEnv(containerOf(job, 'wait-for-database'))).toMatchObject({ WAIT_TARGET: 'sessions-primary.shop.svc.cluster.local:7000', KV_HOST: 'sessions-primary.shop.svc.cluster.local' });
    expect(findManifest(manifests, 'ConfigMap', 'sessions-restore-scripts').data['restore-database.sh']).toContain('kv-cli -h "$KV_HOST" load');
  });

  test('the generic wait loop really retries the engine\'s readiness check until it passes', () => {
    const { manifests } = setup();
    const scripts = findManifest(manifests, 'ConfigMap', 'sessions-restore-scripts').data;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kv-wait-'));
    for (const [name, body] of Object.entries(scripts)) fs.writeFileSync(path.join(dir, name), body as string);
    const ready = path.join(dir, 'ready');
    // The check fails until the marker appears; a background shell creates it after about 2 s.
    const result = spawnSync('sh', ['-c', `(sleep 2; touch "${ready}") & sh "${dir}/wait-for-database.sh"`], {
      encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, SCRIPTS_DIR: dir, KV_READY_FILE: ready, WAIT_TARGET: 'sessions:7000', WAIT_TIMEOUT_SECONDS: '20', WAIT_INTERVAL_SECONDS: '1' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/wait: sessions:7000 not ready yet/);
    expect(result.stdout).toMatch(/wait: sessions:7000 accepts connections\n$/);
    const timeout = spawnSync('sh', [`${dir}/wait-for-database.sh`], {
      encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, SCRIPTS_DIR: dir, KV_READY_FILE: path.join(dir, 'never'), WAIT_TARGET: 'sessions:7000', WAIT_TIMEOUT_SECONDS: '2', WAIT_INTERVAL_SECONDS: '1' },
    });
    expect(timeout.status).toBe(1);
    expect(timeout.stderr).toBe('wait: sessions:7000 does not accept connections after 2s\n');
  });

});

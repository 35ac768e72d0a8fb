import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Alerts, DatabaseTopology, ElasticsearchCluster, HighAvailability, PatroniResources, PostgresCluster, PrimaryPlacement, RedisEngine, ReplicatedDatabase, Runbook, testing,
} from '../../lib';

const ELECTION = { electedBy: 'Sentinel', roleLabel: 'example.com/role', primaryRole: 'leader', replicaRole: 'follower' };

describe('DatabaseTopology: one description of where the primary is', () => {
  test('primaryReplicas: pod 0, <name>-primary and <name>-read, no replicas-only Service', () => {
    const t = DatabaseTopology.primaryReplicas();
    expect([t.kind, t.primary, t.primaryIsPodZero, t.hasPrimary, t.election]).toEqual(['primary-replicas', PrimaryPlacement.POD_ZERO, true, true, undefined]);
    expect([t.primaryServiceName('db'), t.readServiceName('db'), t.replicasServiceName('db')]).toEqual(['db-primary', 'db-read', undefined]);
    expect(t.primaryServiceSelector('db')).toEqual({ 'statefulset.kubernetes.io/pod-name': 'db-0' });
    expect(t.replicasServiceSelector()).toBeUndefined();
  });
  test('electedPrimary: the role label selects the leader and the replicas', () => {
    const t = DatabaseTopology.electedPrimary(ELECTION);
    expect([t.kind, t.primary, t.primaryIsPodZero, t.hasPrimary, t.election]).toEqual(['elected-primary', PrimaryPlacement.ELECTED, false, true, ELECTION]);
    expect([t.primaryServiceName('db'), t.readServiceName('db'), t.replicasServiceName('db')]).toEqual(['db-primary', 'db-read', 'db-replicas']);
    expect(t.primaryServiceSelector('db')).toEqual({ 'example.com/role': 'leader' });
    expect(t.replicasServiceSelector()).toEqual({ 'example.com/role': 'follower' });
  });
  test('peers: no primary, one client Service <name> selecting every pod', () => {
    const t = DatabaseTopology.peers();
    expect([t.kind, t.primary, t.primaryIsPodZero, t.hasPrimary]).toEqual(['peers', PrimaryPlacement.NONE, false, false]);
    expect([t.primaryServiceName('db'), t.readServiceName('db'), t.replicasServiceName('db')]).toEqual(['db', 'db', undefined]);
    expect(t.primaryServiceSelector('db')).toEqual({});
  });
  test('each engine picks its topology: PostgreSQL pod 0, with highAvailability Patroni\'s election, Elasticsearch peers', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    expect(new PostgresCluster(chart, 'plain').engine.topology.primary).toBe(PrimaryPlacement.POD_ZERO);
    expect(new PostgresCluster(chart, 'ha', { highAvailability: HighAvailability.patroni() }).engine.topology.election)
      .toEqual({ electedBy: 'Patroni', roleLabel: 'role', primaryRole: 'master', replicaRole: 'replica' });
    expect(new ElasticsearchCluster(chart, 'search').engine.topology.primary).toBe(PrimaryPlacement.NONE);
  });
});

describe('a custom engine with an elected primary', () => {
  class ElectedEngine extends RedisEngine { public readonly topology = DatabaseTopology.electedPrimary(ELECTION); }
  class ElectedRedis extends ReplicatedDatabase { constructor(scope: Construct, id: string) { super(scope, id, new ElectedEngine(), {}); } }

  test('the read-write Service selects the role label; alerts and runbook follow the topology, not the class', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new ElectedRedis(chart, 'kv');
    const primary = testing.Harness.findManifest(testing.Harness.synthValid(chart), 'Service', 'kv-primary');
    expect(primary.spec.selector['example.com/role']).toBe('leader');
    expect(primary.spec.selector['statefulset.kubernetes.io/pod-name']).toBeUndefined();
    const alerts = Alerts.of(chart).flatMap((a) => a.rules.map((r) => r.alert));
    expect(alerts).toEqual(expect.arrayContaining(['SentinelNoLeader', 'SentinelTwoLeaders']));
    expect(alerts).not.toContain('DatabasePrimaryNotReady');
    expect(Runbook.render(chart)).toContain('Sentinel elects the primary (the pod labelled `example.com/role=leader`)');
  });
});

describe('electedPrimary errors', () => {
  test('an unknown key', () => {
    expect(() => DatabaseTopology.electedPrimary({ ...ELECTION, leaderRole: 'x' } as any)).toThrow(/DatabaseTopology\.electedPrimary: .*leaderRole/);
  });
  test('a missing or non-string field', () => {
    expect(() => DatabaseTopology.electedPrimary({ ...ELECTION, roleLabel: undefined } as any)).toThrow(/DatabaseTopology\.electedPrimary: roleLabel must be a string \(got nothing\)/);
  });
  test('electedBy that cannot prefix an alert name', () => {
    expect(() => DatabaseTopology.electedPrimary({ ...ELECTION, electedBy: 'my elector' })).toThrow(/DatabaseTopology\.electedPrimary: electedBy must be a capitalized word of letters and digits .*\(got "my elector"\)/);
  });
  test('a role label that is not a label key', () => {
    expect(() => DatabaseTopology.electedPrimary({ ...ELECTION, roleLabel: 'a/b/c' })).toThrow(/DatabaseTopology\.electedPrimary: roleLabel has more than one "\/" \(got "a\/b\/c"\)/);
  });
  test('a role value that is not a label value', () => {
    expect(() => DatabaseTopology.electedPrimary({ ...ELECTION, primaryRole: 'lead er' })).toThrow(/DatabaseTopology\.electedPrimary: primaryRole must be alphanumeric/);
  });
  test('the same value for leader and replicas', () => {
    expect(() => DatabaseTopology.electedPrimary({ ...ELECTION, replicaRole: 'leader' })).toThrow(/DatabaseTopology\.electedPrimary: replicaRole must differ from primaryRole/);
  });
  test('Patroni resources on a cluster whose topology is not elected', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const db = new PostgresCluster(chart, 'plain');
    expect(() => new PatroniResources(db, 'patroni', db, HighAvailability.patroni(), 'shop'))
      .toThrow(/c\/plain: engine\.topology must be an elected-primary topology for Patroni's resources .*\(got "primary-replicas"\)/);
  });
});

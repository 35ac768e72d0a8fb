import { Chart, Testing } from 'cdk8s';
import {
  DatabaseTopology, ElasticsearchCluster, HighAvailability, PatroniResources, PostgresCluster, PrimaryPlacement,
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
  test('an elected primary (Patroni\'s, internal): the role label selects the leader and the replicas', () => {
    const t = DatabaseTopology._electedPrimary(ELECTION);
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

describe('errors', () => {
  test('Patroni resources on a cluster whose topology is not elected', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const db = new PostgresCluster(chart, 'plain');
    expect(() => new PatroniResources(db, 'patroni', db, HighAvailability.patroni(), 'shop'))
      .toThrow(/c\/plain: engine\.topology must be an elected-primary topology for Patroni's resources .*\(got "primary-replicas"\)/);
  });
});

/** Runbook entries of a PostgresCluster with highAvailability: switchover, failover, rejoin. */
import { PostgresCluster } from '../databases/postgres/postgres-cluster';
import { ReplicatedDatabase } from '../databases/replicated-database';

const fence = (lines: string[]) => ['```sh', ...lines, '```'];

/**
 * The HA part of a database's runbook section: Patroni's own commands and objects, so it is keyed
 * on Patroni's resources (scope, replicas Service); the role labels are the topology's.
 * Empty for a cluster without Patroni.
 */
export function patroniRunbook(db: ReplicatedDatabase, n: string): string[] {
  const election = db.engine.topology.election;
  if (!(db instanceof PostgresCluster) || !db.patroni || !election) return [];
  const ctl = `kubectl ${n}exec ${db.name}-0 -c ${db.container.name} -- patronictl -c /etc/patroni/patroni.yml`;
  const scope = db.patroni.scope;
  const role = election.roleLabel;
  return ['', `**High availability (Patroni, scope \`${scope}\`).** The primary is the pod Patroni labels \`${role}=${election.primaryRole}\`, not \`${db.name}-0\`; \`${db.primaryService.name}\` follows it, \`${db.patroni.replicasService.name}\` selects \`${role}=${election.replicaRole}\`. Run patronictl in any running member (replace \`${db.name}-0\` if that one is down). Patroni keeps its state in the ConfigMaps \`${scope}-config\`, \`-leader\`, \`-failover\`, \`-sync\`: never delete them on a running cluster.`, '',
    '*State*', '', ...fence([
      `${ctl} list`,
      `kubectl ${n}get pods -l app.kubernetes.io/instance=${db.name} -L ${role}`,
      `kubectl ${n}get configmap ${scope}-leader -o jsonpath='{.metadata.annotations.leader}'`,
    ]), '',
    '*Switchover* (planned: node maintenance, a rolling change). The leader hands over cleanly; in synchronous mode only the synchronous standby can be the candidate. Writes pause for a few seconds.', '', ...fence([
      `${ctl} switchover ${scope} --leader <current leader> --candidate <replica> --force`,
      `${ctl} list   # the candidate is Leader, the former leader a Replica in state running`,
    ]), '',
    '*Failover* (automatic). When the leader dies, its key expires after `ttl` and a replica within `maximum_lag_on_failover` (in synchronous mode: the synchronous standby) is promoted within about `ttl + loop_wait`. Check that it happened and that the old pod left the read-write Service (it does once the pod is not ready). Force one only when no member is leader and you accept losing what the best replica has not received:', '', ...fence([
      `${ctl} list`,
      `kubectl ${n}get endpointslices -l kubernetes.io/service-name=${db.primaryService.name}`,
      `${ctl} failover ${scope} --candidate <replica with the least lag> --force`,
    ]), '',
    '*Rejoin*. A former leader that comes back rewinds its divergent WAL with pg_rewind (`use_pg_rewind`) and follows the new leader as a replica, by itself. If it stays in "start failed" or cannot rewind, re-clone it from the leader (its data directory is replaced):', '', ...fence([
      `kubectl ${n}logs <member> -c ${db.container.name} --tail=200 | grep -i -e rewind -e basebackup -e error`,
      `${ctl} reinit ${scope} <member> --force`,
    ]), '',
    '*Pause* (maintenance on PostgreSQL itself without Patroni acting): `patronictl pause`, then `patronictl resume`. Changing cluster-wide settings after creation (`max_connections`, `wal_level`, ...): `patronictl edit-config`.',
  ];
}


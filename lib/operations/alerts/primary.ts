/**
 * The primary's alerts, chosen by the database's topology (`DatabaseTopology.primary`): pod 0's
 * readiness, the elected leader's, or none for peers. An elected leader is whichever pod the
 * election labels (Patroni: `role=master`), so "the primary" is the read-write Service's ready
 * endpoints, not pod 0: kube-state-metrics' `kube_endpoint_address` (v2.6+, labels `endpoint`, `ready`).
 */
import { ReplicatedDatabase } from '../../databases/replicated-database';
import { LeaderElectionOptions, PrimaryPlacement } from '../../databases/topology';
import { promSelector } from '../inspect';
import { primaryNotReady } from './statefulset';
import { AlertRule, AlertSeverity, rule } from './types';

/** The primary's rules: pod 0's readiness, the elected leader's rules, nothing for peers (the StatefulSet rules cover them). */
export function primaryRules(db: ReplicatedDatabase, ns: string | undefined): AlertRule[] {
  const topology = db.engine.topology;
  switch (topology.primary) {
    case PrimaryPlacement.POD_ZERO: return [primaryNotReady(db.statefulSet.name, ns)];
    case PrimaryPlacement.ELECTED: return electedLeaderRules(db, topology.election!, ns);
    case PrimaryPlacement.NONE: return [];
  }
}

/** Drops exporter rules that assume pod 0 is the primary, unless it is (for an elected leader, the ReplicasMissing rule covers them). */
export function withoutPodZeroPrimary(db: ReplicatedDatabase, rules: AlertRule[]): AlertRule[] {
  return db.engine.topology.primaryIsPodZero ? rules : rules.filter((r) => r.alert !== 'PostgresReplicaNotStreaming');
}

/**
 * Replace DatabasePrimaryNotReady (pod 0) and PostgresReplicaNotStreaming (streaming from pod 0)
 * for an elected leader. Alert names, labels and Services come from the topology; the first steps
 * and timings are Patroni's, the one elector the library ships.
 */
function electedLeaderRules(db: ReplicatedDatabase, election: LeaderElectionOptions, ns: string | undefined): AlertRule[] {
  const { name, replicas } = db;
  const topology = db.engine.topology;
  const by = election.electedBy;
  const primaryService = topology.primaryServiceName(name);
  const leader = `${election.roleLabel}=${election.primaryRole}`;
  const ready = (service: string) => `sum(kube_endpoint_address${promSelector({ namespace: ns, endpoint: service, ready: 'true' })})`;
  const primary = ready(primaryService);
  const rules = [
    rule({
      alert: `${by}NoLeader`,
      expr: `(${primary} or on() vector(0)) < 1`,
      forDuration: '2m',
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${name}: the read-write Service has no ready leader.`,
      description: `No pod labelled ${leader} is ready behind ${primaryService} for 2 minutes: writes fail. A failover takes about ttl + loop_wait; longer means no member can take over.`,
      firstSteps: [
        `\`kubectl exec <any ready member> -c postgres -- patronictl -c /etc/patroni/patroni.yml list\`: who leads, who lags, who is stopped.`,
        'Read the members\' logs: a member that refuses to promote says why (lag over maximum_lag_on_failover, not the synchronous standby, nofailover tag).',
        'If every member is down, see "Failover" in this runbook before forcing anything.',
      ],
    }),
    rule({
      alert: `${by}TwoLeaders`,
      expr: `${primary} > 1`,
      forDuration: '1m',
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${name}: more than one ready pod behind the read-write Service.`,
      description: `${primaryService} has more than one ready endpoint for a minute. ${by}'s leader lock allows one leader; a second pod with ${leader} is a stale label (a member that died and whose pod is still ready) and may take writes that will be lost.`,
      firstSteps: [
        `\`kubectl get pods -L ${election.roleLabel}\` and \`patronictl list\`: the member that is not the leader in patronictl is the stale one.`,
        `Delete that pod (its ${by} relabels it when it starts) and check the application's last writes.`,
      ],
    }),
  ];
  if (replicas < 2) return rules;
  return [...rules, rule({
    alert: `${by}ReplicasMissing`,
    expr: `(${ready(topology.replicasServiceName(name)!)} or on() vector(0)) < ${replicas - 1}`,
    forDuration: '10m',
    severity: AlertSeverity.WARNING,
    summary: `PostgreSQL ${name}: fewer than ${replicas - 1} ready replicas.`,
    description: `Fewer than ${replicas - 1} pods labelled ${election.roleLabel}=${election.replicaRole} are ready for 10 minutes: a failover has fewer candidates, and in synchronous mode commits wait for (or, with no standby left, stop waiting for) a standby.`,
    firstSteps: ['`patronictl list`: a member in state "stopped", "start failed" or with a large lag.', 'See "Rejoin" in this runbook.'],
  })];
}

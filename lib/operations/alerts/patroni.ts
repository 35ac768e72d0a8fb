/**
 * Alerts of a PostgresCluster with highAvailability (Patroni). The leader is whichever pod
 * Patroni labels `role=master`, so "the primary" is the read-write Service's ready endpoints, not
 * pod 0: kube-state-metrics' `kube_endpoint_address` (v2.6+, labels `endpoint`, `ready`).
 */
import { PostgresCluster } from '../../databases/postgres/postgres-cluster';
import { ReplicatedDatabase } from '../../databases/replicated-database';
import { promSelector } from '../inspect';
import { primaryNotReady } from './statefulset';
import { AlertRule, AlertSeverity, rule } from './types';

const isPatroni = (db: ReplicatedDatabase) => db instanceof PostgresCluster && db.patroni !== undefined;

/** The primary's rules: pod 0 for a plain cluster, the Patroni leader for an HA one. */
export function primaryRules(db: ReplicatedDatabase, ns: string | undefined): AlertRule[] {
  return isPatroni(db) ? patroniRules(db.name, db.replicas, ns) : [primaryNotReady(db.statefulSet.name, ns)];
}

/** Drops exporter rules that assume pod 0 is the primary, for an HA cluster (PatroniReplicasMissing covers them). */
export function withoutPodZeroPrimary(db: ReplicatedDatabase, rules: AlertRule[]): AlertRule[] {
  return isPatroni(db) ? rules.filter((r) => r.alert !== 'PostgresReplicaNotStreaming') : rules;
}

/** Replaces DatabasePrimaryNotReady (pod 0) and PostgresReplicaNotStreaming (streaming from pod 0) for an HA cluster. */
function patroniRules(name: string, replicas: number, ns: string | undefined): AlertRule[] {
  const ready = (service: string) => `sum(kube_endpoint_address${promSelector({ namespace: ns, endpoint: service, ready: 'true' })})`;
  const primary = ready(`${name}-primary`);
  const rules = [
    rule({
      alert: 'PatroniNoLeader',
      expr: `(${primary} or on() vector(0)) < 1`,
      forDuration: '2m',
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${name}: the read-write Service has no ready leader.`,
      description: `No pod labelled role=master is ready behind ${name}-primary for 2 minutes: writes fail. A failover takes about ttl + loop_wait; longer means no member can take over.`,
      firstSteps: [
        `\`kubectl exec <any ready member> -c postgres -- patronictl -c /etc/patroni/patroni.yml list\`: who leads, who lags, who is stopped.`,
        'Read the members\' logs: a member that refuses to promote says why (lag over maximum_lag_on_failover, not the synchronous standby, nofailover tag).',
        'If every member is down, see "Failover" in this runbook before forcing anything.',
      ],
    }),
    rule({
      alert: 'PatroniTwoLeaders',
      expr: `${primary} > 1`,
      forDuration: '1m',
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${name}: more than one ready pod behind the read-write Service.`,
      description: `${name}-primary has more than one ready endpoint for a minute. Patroni's leader lock allows one leader; a second pod with role=master is a stale label (a member that died and whose pod is still ready) and may take writes that will be lost.`,
      firstSteps: [
        `\`kubectl get pods -L role\` and \`patronictl list\`: the member that is not the leader in patronictl is the stale one.`,
        'Delete that pod (its Patroni relabels it when it starts) and check the application\'s last writes.',
      ],
    }),
  ];
  if (replicas < 2) return rules;
  return [...rules, rule({
    alert: 'PatroniReplicasMissing',
    expr: `(${ready(`${name}-replicas`)} or on() vector(0)) < ${replicas - 1}`,
    forDuration: '10m',
    severity: AlertSeverity.WARNING,
    summary: `PostgreSQL ${name}: fewer than ${replicas - 1} ready replicas.`,
    description: `Fewer than ${replicas - 1} pods labelled role=replica are ready for 10 minutes: a failover has fewer candidates, and in synchronous mode commits wait for (or, with no standby left, stop waiting for) a standby.`,
    firstSteps: ['`patronictl list`: a member in state "stopped", "start failed" or with a large lag.', 'See "Rejoin" in this runbook.'],
  })];
}

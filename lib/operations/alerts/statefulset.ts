/** StatefulSet alerts (kube-state-metrics, kubelet volume stats): replicas, rollout, volumes, the primary. */
import { promSelector } from '../inspect';
import { AlertRule, AlertSeverity, rule } from './types';

export function statefulSetRules(sts: string, ns: string | undefined, claims: string[]): AlertRule[] {
  const s = promSelector({ namespace: ns, statefulset: sts });
  const rules = [
    rule({
      alert: 'StatefulSetReplicasMismatch',
      expr: `kube_statefulset_status_replicas_ready${s} < kube_statefulset_replicas${s}`,
      forDuration: '15m',
      severity: AlertSeverity.WARNING,
      summary: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has fewer ready replicas than desired.',
      description: 'Fewer pods of {{ $labels.namespace }}/{{ $labels.statefulset }} are ready than spec.replicas asks for, for 15 minutes.',
      firstSteps: ['Find the pod that is not ready (pods start in order: the first one not ready blocks the rest).', 'Check its events and the PVC binding; then its logs and the previous pod\'s health.'],
    }),
    rule({
      alert: 'StatefulSetUpdateNotRolledOut',
      expr: `(max by (namespace, statefulset) (kube_statefulset_status_current_revision${s} unless kube_statefulset_status_update_revision${s})`
        + ` * (kube_statefulset_replicas${s} != kube_statefulset_status_replicas_updated${s}))`
        + ` and (changes(kube_statefulset_status_replicas_updated${s}[5m]) == 0)`,
      forDuration: '15m',
      severity: AlertSeverity.WARNING,
      summary: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} update has not been rolled out.',
      description: 'Not every pod runs the update revision and no pod was updated for 15 minutes. Expected while a partitioned update is held; otherwise a pod is stuck.',
      firstSteps: ['If you set a partition on purpose, lower it to continue or ignore the alert.', 'Otherwise find the newest pod that is not ready and read its logs and events.'],
    }),
  ];
  if (claims.length === 0) return rules;
  const pvc = promSelector({ namespace: ns }, { persistentvolumeclaim: `(${claims.join('|')})-${sts}-[0-9]+` });
  const free = `kubelet_volume_stats_available_bytes${pvc} / kubelet_volume_stats_capacity_bytes${pvc}`;
  return [...rules,
    rule({
      alert: 'PersistentVolumeFillingUp',
      expr: `${free} < 0.03 and kubelet_volume_stats_used_bytes${pvc} > 0`,
      forDuration: '1m',
      severity: AlertSeverity.CRITICAL,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is almost full.',
      description: 'Less than 3% of {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free. The database stops accepting writes when it is full.',
      firstSteps: ['Expand the claim if its storage class allows it (`allowVolumeExpansion`), or free space (old WAL, dumps).', 'Find what grows: replication slots holding WAL, a missing log rotation, a table without retention.'],
    }),
    rule({
      alert: 'PersistentVolumeFillingUp',
      expr: `(${free} < 0.15) and kubelet_volume_stats_used_bytes${pvc} > 0 and predict_linear(kubelet_volume_stats_available_bytes${pvc}[6h], 4 * 24 * 3600) < 0`,
      forDuration: '1h',
      severity: AlertSeverity.WARNING,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will fill up within four days.',
      description: 'Less than 15% of {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free and the last 6 hours predict it full within 4 days.',
      firstSteps: ['Plan an expansion of the claim now.', 'Check the growth rate against what the application should write.'],
    }),
  ];
}

export function primaryNotReady(sts: string, ns: string | undefined): AlertRule {
  return rule({
    alert: 'DatabasePrimaryNotReady',
    expr: `kube_pod_status_ready${promSelector({ namespace: ns, pod: `${sts}-0`, condition: 'true' })} == 0`,
    forDuration: '5m',
    severity: AlertSeverity.CRITICAL,
    summary: 'Database primary {{ $labels.namespace }}/{{ $labels.pod }} is not ready.',
    description: 'Pod {{ $labels.pod }} (ordinal 0, the primary) has not been ready for 5 minutes: writes fail.',
    firstSteps: ['Describe the pod and read its events (OOMKilled, probe failures, unbound claim).', 'Read the logs of the current and the previous container.'],
  });
}

/** DaemonSet alerts (kube-state-metrics): not scheduled, misscheduled, rollout stuck. */
import { promSelector } from '../inspect';
import { AlertRule, AlertSeverity, rule } from './types';

export function daemonSetRules(ds: string, ns: string | undefined): AlertRule[] {
  const s = promSelector({ namespace: ns, daemonset: ds });
  return [
    rule({
      alert: 'DaemonSetNotScheduled',
      expr: `kube_daemonset_status_desired_number_scheduled${s} - kube_daemonset_status_current_number_scheduled${s} > 0`,
      forDuration: '10m',
      severity: AlertSeverity.WARNING,
      summary: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} is missing on some nodes.',
      description: 'Some nodes that should run a pod of {{ $labels.daemonset }} have none, for 10 minutes.',
      firstSteps: ['Compare node taints with the DaemonSet\'s tolerations.', 'Check node selectors and affinity, and whether the node has room for the requests.'],
    }),
    rule({
      alert: 'DaemonSetMisScheduled',
      expr: `kube_daemonset_status_number_misscheduled${s} > 0`,
      forDuration: '15m',
      severity: AlertSeverity.WARNING,
      summary: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} runs pods where it should not.',
      description: 'Pods of {{ $labels.daemonset }} run on nodes its selector or tolerations no longer match.',
      firstSteps: ['List the pods with their nodes and compare with the node selector.', 'Remove the label or taint change that caused it, or delete the stray pods.'],
    }),
    rule({
      alert: 'DaemonSetRolloutStuck',
      expr: `(kube_daemonset_status_current_number_scheduled${s} != kube_daemonset_status_desired_number_scheduled${s}`
        + ` or kube_daemonset_status_number_misscheduled${s} != 0`
        + ` or kube_daemonset_status_updated_number_scheduled${s} != kube_daemonset_status_desired_number_scheduled${s}`
        + ` or kube_daemonset_status_number_available${s} != kube_daemonset_status_desired_number_scheduled${s})`
        + ` and (changes(kube_daemonset_status_updated_number_scheduled${s}[5m]) == 0)`,
      forDuration: '15m',
      severity: AlertSeverity.WARNING,
      summary: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} rollout is stuck.',
      description: 'Not every node runs an available, updated pod of {{ $labels.daemonset }} and nothing changed for 15 minutes.',
      firstSteps: ['Find the pods that are not ready or still on the old revision.', 'Read their logs and events; maxUnavailable bounds how many nodes are without the agent.'],
    }),
  ];
}

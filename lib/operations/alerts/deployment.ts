/**
 * Deployment alerts (kube-state-metrics), the kubernetes-mixin's shapes scoped to one Deployment:
 * replicas missing, a spec change the controller has not observed, a rollout past its progress
 * deadline.
 *
 * An autoscaled Deployment needs no other replicas rule: the HorizontalPodAutoscaler writes its
 * count into `spec.replicas` (the scale subresource), so `kube_deployment_spec_replicas` already is
 * the autoscaler's choice. `kube_horizontalpodautoscaler_status_desired_replicas` differs from it
 * only while the autoscaler is held at min/max or cannot write, which is the autoscaler's own
 * alert, not a Deployment's; and joining it would need a label_replace from
 * `horizontalpodautoscaler` to `deployment`.
 */
import { promSelector } from '../inspect';
import { AlertRule, AlertSeverity, rule } from './types';

export function deploymentRules(deployment: string, ns: string | undefined): AlertRule[] {
  const s = promSelector({ namespace: ns, deployment });
  return [
    rule({
      alert: 'DeploymentReplicasMismatch',
      // Without the changes() guard a long but progressing rollout would fire.
      expr: `(kube_deployment_spec_replicas${s} > kube_deployment_status_replicas_available${s})`
        + ` and (changes(kube_deployment_status_replicas_updated${s}[10m]) == 0)`,
      forDuration: '15m',
      severity: AlertSeverity.WARNING,
      summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has fewer available replicas than desired.',
      description: 'Fewer pods of {{ $labels.namespace }}/{{ $labels.deployment }} are available than spec.replicas (set by the autoscaler, when there is one) asks for, and no pod was updated, for 15 minutes.',
      firstSteps: ['Find the pods that are not ready or Pending and describe them (unschedulable requests, failing probes, image pull errors).', 'Read the logs of their current and previous containers.'],
    }),
    rule({
      alert: 'DeploymentGenerationMismatch',
      expr: `kube_deployment_status_observed_generation${s} != kube_deployment_metadata_generation${s}`,
      forDuration: '15m',
      severity: AlertSeverity.WARNING,
      summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} generation has not been observed.',
      description: 'The Deployment controller has not acted on the latest spec of {{ $labels.namespace }}/{{ $labels.deployment }} for 15 minutes: the rollout of the change has not started.',
      firstSteps: ['Check whether the Deployment is paused (`spec.paused`) and resume it if so.', 'Otherwise check kube-controller-manager: its logs and whether it holds the leader lease.'],
    }),
    rule({
      alert: 'DeploymentRolloutStuck',
      expr: `kube_deployment_status_condition${promSelector({ namespace: ns, deployment, condition: 'Progressing', status: 'false' })} != 0`,
      forDuration: '15m',
      severity: AlertSeverity.WARNING,
      summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} rollout is stuck.',
      description: 'The rollout of {{ $labels.namespace }}/{{ $labels.deployment }} passed its progressDeadlineSeconds (Progressing is False) and stayed so for 15 minutes; the old pods still serve.',
      firstSteps: ['Find the new ReplicaSet\'s pods and read why they are not ready (events, logs, probes).', 'Fix the image or configuration and apply, or roll back with `kubectl rollout undo`.'],
    }),
  ];
}

/** Job alerts (kube-state-metrics labels Jobs `job_name`): failed, not completed in time. */
import { promSelector } from '../inspect';
import { AlertRule, AlertSeverity, rule } from './types';

/** The Job has the Failed condition. */
export function jobFailedExpr(name: string, ns: string | undefined): string {
  return `kube_job_failed${promSelector({ namespace: ns, job_name: name, condition: 'true' })} > 0`;
}

/** The Job still has active pods `deadlineSeconds` after it started. */
export function jobNotCompletedExpr(name: string, ns: string | undefined, deadlineSeconds: number): string {
  const s = promSelector({ namespace: ns, job_name: name });
  return `time() - max by (namespace, job_name) (kube_job_status_start_time${s} and on (namespace, job_name) kube_job_status_active${s} > 0) > ${deadlineSeconds}`;
}

export function jobRules(name: string, ns: string | undefined, deadlineSeconds: number, hasDeadline: boolean): AlertRule[] {
  return [
    rule({
      alert: 'JobFailed',
      expr: jobFailedExpr(name, ns),
      forDuration: '1m',
      severity: AlertSeverity.WARNING,
      summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed.',
      description: 'Job {{ $labels.job_name }} has the Failed condition: backoffLimit exceeded, its deadline passed, or a pod failure policy failed it.',
      firstSteps: ['Describe the Job: the Failed condition\'s reason says which limit it hit.', 'Read the logs of its failed pods; delete the Job to run it again.'],
    }),
    rule({
      alert: 'JobNotCompleted',
      expr: jobNotCompletedExpr(name, ns, deadlineSeconds),
      forDuration: '1m',
      severity: AlertSeverity.WARNING,
      summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} has not completed in time.',
      description: hasDeadline
        ? `Job {{ $labels.job_name }} still has active pods ${deadlineSeconds}s after it started, past its activeDeadlineSeconds: the Job controller should have stopped it.`
        : `Job {{ $labels.job_name }} still has active pods ${deadlineSeconds}s after it started.`,
      firstSteps: ['Check whether the pods make progress (logs) or wait on a dependency.', 'Check for pods stuck Pending or Terminating on an unreachable node.'],
    }),
  ];
}

/**
 * RestoreJob alerts: the restore failed, or it is still running past its deadline. A RestoreJob
 * is suspended until someone starts it (a drill or a recovery): a suspended Job is neither
 * failed nor active, so neither alert fires before that.
 */
import { jobFailedExpr, jobNotCompletedExpr } from './job';
import { AlertRule, AlertSeverity, rule } from './types';

export function restoreRules(jobName: string, ns: string | undefined, database: string, deadlineSeconds: number): AlertRule[] {
  return [
    rule({
      alert: 'RestoreFailed',
      expr: jobFailedExpr(jobName, ns),
      forDuration: '1m',
      severity: AlertSeverity.CRITICAL,
      summary: 'Restore {{ $labels.namespace }}/{{ $labels.job_name }} failed.',
      description: `The restore of ${database} (Job {{ $labels.job_name }}) has the Failed condition: the database may be half-restored, and the backups are not proven to restore.`,
      firstSteps: ['Describe the Job (the Failed condition\'s reason) and read the logs of the download, wait and restore containers.', 'Fix the cause, delete the Job and apply the chart again to rerun it: every restore recreates the databases, so a rerun is safe.'],
    }),
    rule({
      alert: 'RestoreNotCompleted',
      expr: jobNotCompletedExpr(jobName, ns, deadlineSeconds),
      forDuration: '1m',
      severity: AlertSeverity.WARNING,
      summary: 'Restore {{ $labels.namespace }}/{{ $labels.job_name }} has not completed in time.',
      description: `The restore of ${database} (Job {{ $labels.job_name }}) still has active pods ${deadlineSeconds}s after it started, past its activeDeadlineSeconds.`,
      firstSteps: ['Check whether the wait container still waits for the database, or the restore makes progress (logs).', 'Check for pods stuck Pending (the dump claim bound to another zone) or Terminating.'],
    }),
  ];
}

/** Backup CronJob alerts (kube-state-metrics): last success too old, latest run failed, suspended. */
import { promSelector } from '../inspect';
import { AlertRule, AlertSeverity, rule } from './types';

export function backupRules(cronJob: string, ns: string | undefined, maxAgeMinutes: number, periods: number): AlertRule[] {
  const s = promSelector({ namespace: ns, cronjob: cronJob });
  const maxAge = maxAgeMinutes * 60;
  const owned = promSelector({ namespace: ns, owner_kind: 'CronJob', owner_name: cronJob });
  const failed = promSelector({ namespace: ns, condition: 'true' });
  const jobs = promSelector({ namespace: ns });
  return [
    rule({
      alert: 'BackupTooOld',
      expr: `(time() - kube_cronjob_status_last_successful_time${s} > ${maxAge})`
        + ` or ((time() - kube_cronjob_created${s} > ${maxAge}) unless on (namespace, cronjob) kube_cronjob_status_last_successful_time${s})`,
      forDuration: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: 'The last successful backup of {{ $labels.namespace }}/{{ $labels.cronjob }} is too old.',
      description: `No backup of {{ $labels.cronjob }} succeeded within ${periods} schedule periods (${maxAgeMinutes} minutes): a restore now would lose more data than the schedule promises.`,
      firstSteps: ['Start a backup now (the manual trigger below) and watch it.', 'If it fails, read the dump and upload containers\' logs.'],
    }),
    rule({
      alert: 'BackupFailed',
      expr: `max by (namespace) (kube_job_status_start_time${jobs} * on (namespace, job_name) (kube_job_failed${failed} == 1)`
        + ` * on (namespace, job_name) group_left () kube_job_owner${owned})`
        + ` > on (namespace) (max by (namespace) (kube_cronjob_status_last_successful_time${s}) or max by (namespace) (kube_cronjob_created${s}))`,
      forDuration: '1m',
      severity: AlertSeverity.WARNING,
      summary: `The latest backup run of ${cronJob} in {{ $labels.namespace }} failed.`,
      description: `A Job of CronJob ${cronJob} failed after the last successful backup.`,
      firstSteps: ['List the CronJob\'s Jobs and describe the failed one.', 'Read the logs of its pods (dump, then upload container).'],
    }),
    rule({
      alert: 'BackupSuspended',
      expr: `kube_cronjob_spec_suspend${s} == 1`,
      forDuration: '1h',
      severity: AlertSeverity.WARNING,
      summary: 'Backups of {{ $labels.namespace }}/{{ $labels.cronjob }} are suspended.',
      description: 'CronJob {{ $labels.cronjob }} has spec.suspend true for an hour: no backups are taken.',
      firstSteps: ['Resume it with `kubectl patch cronjob ... -p \'{"spec":{"suspend":false}}\'` once the reason is gone.'],
    }),
  ];
}

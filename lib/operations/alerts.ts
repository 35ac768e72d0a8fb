/**
 * Alerts per construct: one PrometheusRule (monitoring.coreos.com/v1) per database, node agent,
 * batch Job or backup, scoped to that construct's own objects by namespace and name. Metric and
 * label names are kube-state-metrics' (`statefulset`, `daemonset`, `job_name`, `cronjob`),
 * kubelet's (`persistentvolumeclaim`) and, for a PostgresCluster with `metrics: true`, those of
 * the pinned postgres-exporter v0.15.0 sidecar. Exporter metrics assume the scrape config puts
 * the target's `namespace` and `pod` labels on the series (a prometheus-operator PodMonitor and the usual
 * annotation-based `kubernetes-pods` job, both do).
 *
 * The PrometheusRule is a plain ApiObject so the library needs no new runtime dependency.
 */
import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { BatchJob } from '../batch/batch-job';
import { ReplicatedDatabase } from '../databases/replicated-database';
import { PostgresCluster } from '../databases/postgres/postgres-cluster';
import { NodeAgent } from '../node-agents/node-agent';
import { BackupCronJob } from '../scheduled/backup-cron-job';
import { longestRunSpan } from '../scheduled/schedule';
import { claimTemplateNames, namespaceOf, promSelector, slug } from './inspect';
import { patroniRules } from './patroni-alerts';

/** How urgent an alert is; the value is the `severity` label Alertmanager routes on. */
export enum AlertSeverity {
  /** Someone must act now: data at risk or the service down. */
  CRITICAL = 'critical',
  /** Act within working hours. */
  WARNING = 'warning',
}

/** One alerting rule, with what the runbook says about it. */
export interface AlertRule {
  /** The alert name, e.g. `StatefulSetReplicasMismatch`. */
  readonly alert: string;
  /** The PromQL expression. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires, e.g. `15m`. */
  readonly forDuration: string;
  /** The `severity` label. */
  readonly severity: AlertSeverity;
  /** One line; `{{ $labels.x }}` templates only. */
  readonly summary: string;
  /** What it means; `{{ $labels.x }}` templates only. */
  readonly description: string;
  /** First steps, in order, for the runbook (shell commands in backticks). */
  readonly firstSteps: string[];
  /** The runbook anchor this alert's `runbook_url` points to. */
  readonly runbookAnchor: string;
}

/** Options shared by every `Alerts.for*` factory. */
export interface AlertOptions {
  /**
   * Labels on the PrometheusRule object itself: kube-prometheus-stack selects rules by
   * `release` (e.g. `{ release: 'kube-prometheus-stack' }`).
   * @default - none
   */
  readonly ruleLabels?: { [key: string]: string };
  /**
   * Labels added to every alert (e.g. `team`), besides `severity`.
   * @default - none
   */
  readonly alertLabels?: { [key: string]: string };
  /**
   * The runbook the `runbook_url` annotations point into; the anchor is appended after `#`.
   * @default 'RUNBOOK.md'
   */
  readonly runbookUrl?: string;
  /**
   * A backup alerts when its last success is older than this many schedule periods (the
   * longest span of that many consecutive runs: a daily backup alerts after 2 days).
   * @default 2
   */
  readonly backupMaxAgePeriods?: number;
  /**
   * A batch Job without `activeDeadline` alerts when it runs longer than this.
   * @default Duration.hours(12) (the kubernetes-mixin's KubeJobNotCompleted)
   */
  readonly jobMaxRuntime?: Duration;
}

/** The alerts of one construct, emitted as a PrometheusRule on request. */
export class Alerts {
  /** A replicated database: StatefulSet alerts, plus exporter alerts where we run one. */
  public static forDatabase(database: ReplicatedDatabase, options: AlertOptions = {}): Alerts {
    const ns = namespaceOf(database.statefulSet);
    const sts = database.statefulSet.name;
    // With Patroni the primary is the pod it labels, not pod 0: its own rules (patroni-alerts.ts).
    const ha = database instanceof PostgresCluster && database.patroni !== undefined;
    const rules = [...statefulSetRules(sts, ns, claimTemplateNames(database.statefulSet)), ...(ha ? patroniRules(database.name, database.replicas, ns, { critical: AlertSeverity.CRITICAL, warning: AlertSeverity.WARNING }) : [primaryNotReady(sts, ns)])];
    if (database instanceof PostgresCluster && database.metricsContainer) rules.push(...postgresExporterRules(database, ns).filter((r) => !ha || r.alert !== 'PostgresReplicaNotStreaming'));
    return new Alerts(database, database.name, ns, rules, options);
  }

  /** A node agent DaemonSet: not scheduled, misscheduled, rollout stuck. */
  public static forDaemon(agent: NodeAgent, options: AlertOptions = {}): Alerts {
    const ns = namespaceOf(agent.daemonSet) ?? agent.namespaceName;
    return new Alerts(agent, agent.name, ns, daemonSetRules(agent.daemonSet.name, ns), options);
  }

  /** A batch Job: failed, not completed within its deadline. */
  public static forJob(job: BatchJob, options: AlertOptions = {}): Alerts {
    const ns = namespaceOf(job.job);
    const deadline = job.job.activeDeadline ?? options.jobMaxRuntime ?? Duration.hours(12);
    return new Alerts(job, job.jobName, ns, jobRules(job.jobName, ns, deadline.toSeconds(), job.job.activeDeadline !== undefined), options);
  }

  /** A BackupCronJob: last success too old, last run failed, suspended. */
  public static forBackup(backup: BackupCronJob, options: AlertOptions = {}): Alerts {
    const ns = namespaceOf(backup.cronJob);
    const periods = options.backupMaxAgePeriods ?? 2;
    const maxAgeMinutes = longestRunSpan(backup.schedule.expressionString, periods);
    return new Alerts(backup, backup.name, ns, backupRules(backup.cronJob.name, ns, maxAgeMinutes, periods), options);
  }

  /** The alerts of every library construct under `scope` (databases, node agents, Jobs, backups). */
  public static of(scope: IConstruct, options: AlertOptions = {}): Alerts[] {
    return scope.node.findAll().flatMap((c): Alerts[] => {
      if (c instanceof ReplicatedDatabase) return [Alerts.forDatabase(c, options)];
      if (c instanceof NodeAgent) return [Alerts.forDaemon(c, options)];
      if (c instanceof BatchJob) return [Alerts.forJob(c, options)];
      if (c instanceof BackupCronJob) return [Alerts.forBackup(c, options)];
      return [];
    });
  }

  /** The construct the alerts watch. */
  public readonly target: IConstruct;
  /** The watched workload's name; the rule group and PrometheusRule are named after it. */
  public readonly name: string;
  /** The namespace the alerts are scoped to (none: matched by name in every namespace). */
  public readonly namespaceName?: string;
  /** The rules, in order. */
  public readonly rules: AlertRule[];
  /** The `runbook_url` base. */
  public readonly runbookUrl: string;
  private readonly options: AlertOptions;

  private constructor(target: IConstruct, name: string, namespace: string | undefined, rules: AlertRule[], options: AlertOptions) {
    this.target = target;
    this.name = name;
    this.namespaceName = namespace;
    this.options = options;
    this.runbookUrl = options.runbookUrl ?? 'RUNBOOK.md';
    this.rules = rules.map((r) => ({ ...r, runbookAnchor: slug(`${name}-${r.alert}-${r.severity}`) }));
  }

  /** The PrometheusRule name: `<name>-alerts`. */
  public get ruleName(): string {
    return `${this.name}-alerts`;
  }

  /** The PrometheusRule `spec` (also a plain rule file for `promtool check rules`). */
  public toSpec(): any {
    const extra = this.options.alertLabels ?? {};
    return {
      groups: [{
        name: `${this.namespaceName ?? 'all'}.${this.name}`,
        rules: this.rules.map((r) => ({
          alert: r.alert,
          expr: r.expr,
          for: r.forDuration,
          labels: { ...extra, severity: r.severity },
          annotations: { summary: r.summary, description: r.description, runbook_url: `${this.runbookUrl}#${r.runbookAnchor}` },
        })),
      }],
    };
  }

  /** Adds the PrometheusRule to `scope` (in the watched namespace) and returns it. */
  public addPrometheusRule(scope: Construct, id?: string): ApiObject {
    return new ApiObject(scope, id ?? this.ruleName, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: this.ruleName,
        ...(this.namespaceName ? { namespace: this.namespaceName } : {}),
        labels: { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'alerts', ...(this.options.ruleLabels ?? {}) },
      },
      spec: this.toSpec(),
    });
  }
}

/** The constructor sets the anchor from the watched name. */
const rule = (r: Omit<AlertRule, 'runbookAnchor'>): AlertRule => ({ ...r, runbookAnchor: '' });

function statefulSetRules(sts: string, ns: string | undefined, claims: string[]): AlertRule[] {
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

function primaryNotReady(sts: string, ns: string | undefined): AlertRule {
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

function postgresExporterRules(db: PostgresCluster, ns: string | undefined): AlertRule[] {
  const sts = db.statefulSet.name;
  const pods = promSelector({ namespace: ns }, { pod: `${sts}-[0-9]+` });
  const primary = promSelector({ namespace: ns, pod: `${sts}-0` });
  const lag = db.postgres.maxReplicaLag.toSeconds();
  const rules = [
    rule({
      alert: 'PostgresExporterDown',
      expr: `up${promSelector({ namespace: ns, container: 'metrics' }, { pod: `${sts}-[0-9]+` })} == 0 or pg_up${pods} == 0`,
      forDuration: '5m',
      severity: AlertSeverity.WARNING,
      summary: 'PostgreSQL metrics of {{ $labels.namespace }}/{{ $labels.pod }} are missing.',
      description: 'The postgres-exporter sidecar of {{ $labels.pod }} cannot be scraped, or it cannot connect to PostgreSQL (pg_up 0). Replication alerts are blind meanwhile.',
      firstSteps: ['Read the `metrics` container\'s logs.', 'Check that PostgreSQL accepts local connections in that pod.'],
    }),
  ];
  if (db.replicas < 2) return rules;
  return [...rules,
    rule({
      alert: 'PostgresReplicationLag',
      expr: `pg_replication_lag_seconds${pods} > ${lag} and on (namespace, pod) pg_replication_is_replica${pods} == 1`,
      forDuration: '5m',
      severity: AlertSeverity.WARNING,
      summary: 'Replica {{ $labels.namespace }}/{{ $labels.pod }} lags behind the primary.',
      description: `Replica {{ $labels.pod }} replays WAL more than ${lag}s (maxReplicaLag) behind the primary for 5 minutes; it has left the read Service.`,
      firstSteps: ['Compare the primary\'s write rate with the replica\'s disk and CPU.', 'Look for long-running queries on the replica that conflict with replay.'],
    }),
    rule({
      alert: 'PostgresReplicaNotStreaming',
      expr: `(count by (namespace, pod) (pg_stat_replication_pg_wal_lsn_diff${promSelector({ namespace: ns, pod: `${sts}-0`, state: 'streaming' })}) or (pg_up${primary} * 0))`
        + ` < ${db.replicas - 1} and on (namespace, pod) pg_up${primary} == 1`,
      forDuration: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: 'Not every replica streams from the primary {{ $labels.namespace }}/{{ $labels.pod }}.',
      description: `The primary {{ $labels.pod }} has fewer than ${db.replicas - 1} replicas in state streaming (pg_stat_replication) for 5 minutes.`,
      firstSteps: ['On the primary: `SELECT application_name, state FROM pg_stat_replication;` and `SELECT slot_name, active FROM pg_replication_slots;`.', 'Read the logs of the replica that is missing.'],
    }),
  ];
}

function daemonSetRules(ds: string, ns: string | undefined): AlertRule[] {
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

function jobRules(name: string, ns: string | undefined, deadlineSeconds: number, hasDeadline: boolean): AlertRule[] {
  const s = promSelector({ namespace: ns, job_name: name });
  return [
    rule({
      alert: 'JobFailed',
      expr: `kube_job_failed${promSelector({ namespace: ns, job_name: name, condition: 'true' })} > 0`,
      forDuration: '1m',
      severity: AlertSeverity.WARNING,
      summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed.',
      description: 'Job {{ $labels.job_name }} has the Failed condition: backoffLimit exceeded, its deadline passed, or a pod failure policy failed it.',
      firstSteps: ['Describe the Job: the Failed condition\'s reason says which limit it hit.', 'Read the logs of its failed pods; delete the Job to run it again.'],
    }),
    rule({
      alert: 'JobNotCompleted',
      expr: `time() - max by (namespace, job_name) (kube_job_status_start_time${s} and on (namespace, job_name) kube_job_status_active${s} > 0) > ${deadlineSeconds}`,
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

function backupRules(cronJob: string, ns: string | undefined, maxAgeMinutes: number, periods: number): AlertRule[] {
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

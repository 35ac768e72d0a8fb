/**
 * Alerts per construct: one PrometheusRule (monitoring.coreos.com/v1) per database, node agent,
 * stateless workload, batch Job, backup or restore, scoped to that construct's own objects by namespace and name.
 * Metric and label names are kube-state-metrics' (`statefulset`, `deployment`, `daemonset`,
 * `job_name`, `cronjob`), kubelet's (`persistentvolumeclaim`) and, for a database with `metrics: true`, those
 * of its pinned exporter sidecar (postgres-exporter v0.15.0, mysqld-exporter v0.18.0,
 * redis_exporter v1.80.0). Exporter metrics assume the scrape config puts the target's
 * `namespace`, `pod` and `container` labels on the series (the PodMonitors of `Monitors` do).
 * The rules of each family live in alerts/.
 *
 * The PrometheusRule is a plain ApiObject so the library needs no new runtime dependency.
 */
import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { BatchJob } from '../batch/batch-job';
import { ReplicatedDatabase } from '../databases/replicated-database';
import { NodeAgent } from '../node-agents/node-agent';
import { BackupCronJob } from '../scheduled/backup-cron-job';
import { RestoreJob } from '../scheduled/restore-job';
import { longestRunSpan } from '../scheduled/schedule';
import { StatelessWorkload } from '../services/stateless-workload';
import { backupRules } from './alerts/cronjob';
import { exporterRules } from './alerts/database';
import { daemonSetRules } from './alerts/daemonset';
import { deploymentRules } from './alerts/deployment';
import { jobRules } from './alerts/job';
import { primaryRules, withoutPodZeroPrimary } from './alerts/primary';
import { restoreRules } from './alerts/restore';
import { statefulSetRules } from './alerts/statefulset';
import { AlertOptions, AlertRule } from './alerts/types';
import { claimTemplateNames, manifestOf, namespaceOf, slug } from './inspect';

export { AlertSeverity } from './alerts/types';
export type { AlertOptions, AlertRule } from './alerts/types';

/** The alerts of one construct, emitted as a PrometheusRule on request. */
export class Alerts {
  /** A replicated database: StatefulSet alerts, plus exporter alerts where we run one. */
  public static forDatabase(database: ReplicatedDatabase, options: AlertOptions = {}): Alerts {
    const ns = namespaceOf(database.statefulSet);
    const sts = database.statefulSet.name;
    // The topology says where the primary is: pod 0, an elected leader, or none (alerts/primary.ts).
    const rules = [...statefulSetRules(sts, ns, claimTemplateNames(database.statefulSet)), ...primaryRules(database, ns), ...withoutPodZeroPrimary(database, exporterRules(database, ns))];
    return new Alerts(database, database.name, ns, rules, options);
  }

  /** A node agent DaemonSet: not scheduled, misscheduled, rollout stuck. */
  public static forDaemon(agent: NodeAgent, options: AlertOptions = {}): Alerts {
    const ns = namespaceOf(agent.daemonSet) ?? agent.namespaceName;
    return new Alerts(agent, agent.name, ns, daemonSetRules(agent.daemonSet.name, ns), options);
  }

  /**
   * A StatelessWorkload's Deployment (also Logstash's): replicas missing, generation not
   * observed, rollout stuck. Autoscaled: the autoscaler sets `spec.replicas`, which the rules
   * compare against.
   */
  public static forWorkload(workload: StatelessWorkload, options: AlertOptions = {}): Alerts {
    const ns = namespaceOf(workload.deployment);
    return new Alerts(workload, workload.name, ns, deploymentRules(workload.deployment.name, ns), options);
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

  /** A RestoreJob, once started: failed, not completed within its activeDeadlineSeconds. */
  public static forRestore(restore: RestoreJob, options: AlertOptions = {}): Alerts {
    const ns = namespaceOf(restore.job);
    const deadline: number = manifestOf(restore.job).spec?.activeDeadlineSeconds ?? Duration.hours(2).toSeconds();
    return new Alerts(restore, restore.name, ns, restoreRules(restore.job.name, ns, restore.destination.database.node.id, deadline), options);
  }

  /** The alerts of every library construct under `scope` (databases, node agents, stateless workloads, Jobs, backups, restores). */
  public static of(scope: IConstruct, options: AlertOptions = {}): Alerts[] {
    return scope.node.findAll().flatMap((c): Alerts[] => {
      if (c instanceof ReplicatedDatabase) return [Alerts.forDatabase(c, options)];
      if (c instanceof NodeAgent) return [Alerts.forDaemon(c, options)];
      if (c instanceof StatelessWorkload) return [Alerts.forWorkload(c, options)];
      if (c instanceof BatchJob) return [Alerts.forJob(c, options)];
      if (c instanceof BackupCronJob) return [Alerts.forBackup(c, options)];
      if (c instanceof RestoreJob) return [Alerts.forRestore(c, options)];
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

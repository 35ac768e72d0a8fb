/** The alert types shared by every family of rules, and the `rule` helper. */
import { Duration } from 'cdk8s';

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

/** A rule as a family writes it; the Alerts constructor sets the anchor from the watched name. */
export const rule = (r: Omit<AlertRule, 'runbookAnchor'>): AlertRule => ({ ...r, runbookAnchor: '' });

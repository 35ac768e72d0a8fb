/**
 * The production-readiness rules: typed ids (the values are what suppression annotations and
 * reports name), each rule's severity and what it checks.
 */

/** A readiness rule; the value is its id in reports and in the suppression annotation. */
export enum ReadinessRule {
  /** cpu and memory requests and limits on every container, init containers included. */
  RESOURCES = 'resources',
  /** readiness and liveness probes on every long-running container (not on Jobs or CronJobs). */
  PROBES = 'probes',
  /** The Pod Security Standard the namespace enforces (restricted unless labelled otherwise). */
  POD_SECURITY = 'pod-security',
  /** A PodDisruptionBudget selecting every Deployment or StatefulSet with more than one replica. */
  DISRUPTION_BUDGET = 'disruption-budget',
  /** Every pod selected by some NetworkPolicy of its namespace. */
  NETWORK_POLICY = 'network-policy',
  /** Every image pinned by an explicit tag other than `latest`, or by digest. */
  PINNED_IMAGES = 'pinned-images',
  /** No Secret with data in the manifests, no literal env value named like a password or token. */
  INLINE_SECRETS = 'inline-secrets',
  /** Every database StatefulSet has a backup CronJob. */
  DATABASE_BACKUP = 'database-backup',
  /** Every workload is watched by a PrometheusRule. */
  ALERTS = 'alerts',
  /** Jobs (and CronJob job templates) set activeDeadlineSeconds and backoffLimit; standalone Jobs a TTL. */
  JOB_LIMITS = 'job-limits',
  /** CronJobs set a concurrencyPolicy other than Allow and a startingDeadlineSeconds of at least 10. */
  CRONJOB_POLICY = 'cronjob-policy',
  /** A suppression annotation that names an unknown rule or gives no reason (never suppressible). */
  SUPPRESSION = 'suppression',
}

/** How bad a problem is; `failOn` decides which severities fail a check. */
export enum ReadinessSeverity {
  /** Not production-ready: fix it or suppress it with a reason. */
  ERROR = 'error',
  /** Usually wrong; a conscious exception is common. */
  WARNING = 'warning',
}

/** Each rule's severity: errors are what breaks a cluster or leaks data, warnings what degrades operations. */
export const RULE_SEVERITY: Record<ReadinessRule, ReadinessSeverity> = {
  [ReadinessRule.RESOURCES]: ReadinessSeverity.ERROR,
  [ReadinessRule.PROBES]: ReadinessSeverity.WARNING,
  [ReadinessRule.POD_SECURITY]: ReadinessSeverity.ERROR,
  [ReadinessRule.DISRUPTION_BUDGET]: ReadinessSeverity.WARNING,
  [ReadinessRule.NETWORK_POLICY]: ReadinessSeverity.WARNING,
  [ReadinessRule.PINNED_IMAGES]: ReadinessSeverity.ERROR,
  [ReadinessRule.INLINE_SECRETS]: ReadinessSeverity.ERROR,
  [ReadinessRule.DATABASE_BACKUP]: ReadinessSeverity.ERROR,
  [ReadinessRule.ALERTS]: ReadinessSeverity.WARNING,
  [ReadinessRule.JOB_LIMITS]: ReadinessSeverity.WARNING,
  [ReadinessRule.CRONJOB_POLICY]: ReadinessSeverity.WARNING,
  [ReadinessRule.SUPPRESSION]: ReadinessSeverity.ERROR,
};

/** One line per rule, for the cdk8s-cli report's recommendation column. */
export const RULE_DESCRIPTION: Record<ReadinessRule, string> = {
  [ReadinessRule.RESOURCES]: 'Every container, init containers included, sets cpu and memory requests and limits.',
  [ReadinessRule.PROBES]: 'Every long-running container has a readiness and a liveness probe.',
  [ReadinessRule.POD_SECURITY]: 'Pods satisfy the Pod Security Standard their namespace enforces.',
  [ReadinessRule.DISRUPTION_BUDGET]: 'Replicated Deployments and StatefulSets have a PodDisruptionBudget.',
  [ReadinessRule.NETWORK_POLICY]: 'Every pod is selected by a NetworkPolicy of its namespace.',
  [ReadinessRule.PINNED_IMAGES]: 'Images are pinned by an explicit tag (not latest) or a digest.',
  [ReadinessRule.INLINE_SECRETS]: 'Secrets are referenced, never written into the manifests.',
  [ReadinessRule.DATABASE_BACKUP]: 'Every database has a backup CronJob.',
  [ReadinessRule.ALERTS]: 'Every workload is watched by a PrometheusRule.',
  [ReadinessRule.JOB_LIMITS]: 'Jobs are bounded in time and retries, and finished Jobs are cleaned up.',
  [ReadinessRule.CRONJOB_POLICY]: 'CronJobs do not overlap and do not start arbitrarily late.',
  [ReadinessRule.SUPPRESSION]: 'Suppression annotations name a known rule and give a reason.',
};

/** Every rule id, for parsing annotations and properties. */
export const RULE_IDS: string[] = Object.values(ReadinessRule);

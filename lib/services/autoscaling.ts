/** Horizontal autoscaling of a stateless workload: a HorizontalPodAutoscaler on CPU utilization. */
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { integerAtLeast } from '../defaults/checks';
import { PropKeys, rejectUnknownProps } from '../defaults/props';
import { ConfigurationError } from '../errors';

/** A HorizontalPodAutoscaler for a StatelessWorkload. */
export interface AutoscalingOptions {
  /** The fewest pods; also what the Deployment starts with. */
  readonly minReplicas: number;
  /** The most pods. */
  readonly maxReplicas: number;
  /**
   * Average CPU use, in percent of the CPU request, that the autoscaler keeps the pods at.
   * @default 70
   */
  readonly cpuUtilizationPercent?: number;
}

const AUTOSCALING_KEYS: PropKeys<AutoscalingOptions> = { minReplicas: true, maxReplicas: true, cpuUtilizationPercent: true };

/** The options with the default filled in. */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilizationPercent: number;
}

/** Validates the options (prop `autoscaling`). */
export function resolveAutoscaling(scope: IConstruct | string, options: AutoscalingOptions): ResolvedAutoscaling {
  const where = typeof scope === 'string' ? scope : scope.node.path;
  rejectUnknownProps(`${where} autoscaling`, options, AUTOSCALING_KEYS, 'AutoscalingOptions');
  const minReplicas = integerAtLeast(scope, 'autoscaling.minReplicas', options.minReplicas, 1, 'Use e.g. { minReplicas: 2, maxReplicas: 10 }.');
  const maxReplicas = integerAtLeast(scope, 'autoscaling.maxReplicas', options.maxReplicas, 1, 'Use e.g. { minReplicas: 2, maxReplicas: 10 }.');
  if (maxReplicas < minReplicas) {
    throw new ConfigurationError(scope, 'autoscaling.maxReplicas', `must be at least minReplicas (${minReplicas})`, maxReplicas, `Raise maxReplicas to ${minReplicas} or more.`);
  }
  const cpuUtilizationPercent = integerAtLeast(scope, 'autoscaling.cpuUtilizationPercent', options.cpuUtilizationPercent ?? 70, 1, 'Use a percentage of the CPU request, e.g. 70.');
  return { minReplicas, maxReplicas, cpuUtilizationPercent };
}

/**
 * The autoscaler. cdk8s-plus marks the Deployment as autoscaled, so its `replicas` is not
 * written: `kubectl apply` would otherwise reset the count the autoscaler chose on every apply.
 */
export function createAutoscaler(scope: Construct, name: string, target: kplus.Deployment, options: ResolvedAutoscaling): kplus.HorizontalPodAutoscaler {
  return new kplus.HorizontalPodAutoscaler(scope, 'hpa', {
    metadata: { name },
    target,
    minReplicas: options.minReplicas,
    maxReplicas: options.maxReplicas,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(options.cpuUtilizationPercent))],
  });
}

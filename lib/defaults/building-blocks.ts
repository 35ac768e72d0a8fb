/**
 * The production defaults users compose into their own workloads, as classes with static
 * methods: jsii drops exported functions and constants, so this is how Python, Java and Go
 * users reach them. Each method delegates to the one definition beside it in defaults/.
 */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { completeRestrictedPod, productionContainer } from './container';
import { createDisruptionBudget, DisruptionBudgetOptions } from './disruption';
import { applyStableSelector, MANAGED_BY, recommendedLabels, selectorLabels, WorkloadIdentity } from './labels';
import { createNetworkPolicy, NetworkPolicyOptions } from './network';
import { explicitResources, presetResources, ResourcePreset } from './resources';
import { ImageUser, mountWritablePaths, restrictedContainerSecurityContext, restrictedPodSecurityContext, WritablePath } from './security';
import { spreadAcrossNodesAndZones } from './spread';

/** Explicit container resources (never cdk8s-plus's injected 1000m/512Mi-1500m/2048Mi). */
export class Resources {
  /** The requests and limits of a named preset. */
  public static preset(preset: ResourcePreset): kplus.ContainerResources {
    return presetResources(preset);
  }
  /** Requests and limits from numbers: cpu in millicores, memory in MiB. */
  public static fromValues(cpuRequestMillis: number, cpuLimitMillis: number, memoryRequestMiB: number, memoryLimitMiB: number): kplus.ContainerResources {
    return explicitResources(cpuRequestMillis, cpuLimitMillis, memoryRequestMiB, memoryLimitMiB);
  }
  private constructor() {}
}

/** The restricted Pod Security Standard, in the shapes cdk8s-plus takes. */
export class Security {
  /** Non-root numeric user, no privilege escalation, every capability dropped, read-only root filesystem. */
  public static restrictedContainer(user: ImageUser): kplus.ContainerSecurityContextProps {
    return restrictedContainerSecurityContext(user);
  }
  /** Non-root pod with fsGroup and fsGroupChangePolicy OnRootMismatch. */
  public static restrictedPod(user: ImageUser): kplus.PodSecurityContextProps {
    return restrictedPodSecurityContext(user);
  }
  /**
   * Container props with the restricted context for `user` and IfNotPresent pulls. Validates the
   * image (pinned) and the resources, which `props` must set (cpu and memory, requests and limits).
   */
  public static productionContainer(scope: Construct, user: ImageUser, props: kplus.ContainerProps): kplus.ContainerProps {
    return productionContainer(scope, '', { ...props, user, resources: props.resources ?? {} });
  }
  /** What cdk8s-plus-27 cannot express for a restricted pod: seccomp RuntimeDefault. */
  public static completeRestrictedPod(workload: kplus.AbstractPod): void {
    completeRestrictedPod(workload);
  }
  /** One emptyDir per path the image writes, mounted into every given container. */
  public static mountWritablePaths(scope: Construct, containers: kplus.Container[], paths: WritablePath[]): void {
    mountWritablePaths(scope, containers, paths);
  }
  private constructor() {}
}

/** The Kubernetes recommended labels and stable selectors. */
export class Labels {
  /** The value of `app.kubernetes.io/managed-by` on every object this library creates. */
  public static readonly MANAGED_BY = MANAGED_BY;
  /** The five recommended labels. */
  public static recommended(identity: WorkloadIdentity): { [key: string]: string } {
    return recommendedLabels(identity);
  }
  /** The three labels a selector matches on (never the construct path). */
  public static selector(identity: WorkloadIdentity): { [key: string]: string } {
    return selectorLabels(identity);
  }
  /**
   * Selects a workload's pods (and points the Services at them) by these labels only; the
   * workload must be created with `select: false`. cdk8s-plus selector APIs then use them too.
   */
  public static applyStableSelector(workload: kplus.Workload, labels: { [key: string]: string }, services?: kplus.Service[]): void {
    applyStableSelector(workload, labels, services ?? []);
  }
  private constructor() {}
}

/** Disruption budgets, network policies and spread, with the library's production rules. */
export class Policies {
  /** A PodDisruptionBudget that never blocks every drain (a budget allowing zero evictions is an error). */
  public static disruptionBudget(scope: Construct, id: string, options: DisruptionBudgetOptions): k8s.KubePodDisruptionBudget {
    return createDisruptionBudget(scope, id, options);
  }
  /** A default-deny NetworkPolicy admitting only the given traffic (DNS stays allowed when egress is restricted). */
  public static networkPolicy(scope: Construct, id: string, options: NetworkPolicyOptions): k8s.KubeNetworkPolicy {
    return createNetworkPolicy(scope, id, options);
  }
  /** Soft anti-affinity on the hostname and a ScheduleAnyway zone spread: never leaves a pod Pending. */
  public static spreadAcrossNodesAndZones(workload: kplus.AbstractPod, selectorLabels: { [key: string]: string }): void {
    spreadAcrossNodesAndZones(workload, selectorLabels);
  }
  private constructor() {}
}

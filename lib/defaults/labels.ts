import * as kplus from 'cdk8s-plus-27';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { useStableLabels } from '../kube/pod';

/** The value of `app.kubernetes.io/managed-by` on every object this library creates. */
export const MANAGED_BY = 'cdk8s-workloads';

/**
 * The key of a database's default client label; the value is the cluster's name
 * (`cdk8s-workloads.io/client-of: orders-db`). One key for every cluster, not a key per cluster
 * (0.1 used `<name>-client: "true"`): V8 records at most 1,536 property-name
 * transitions from the empty object, and past that every object built from `{}` (cdk8s's
 * sanitized copies, JSON patch clones, the yaml package's input) gets a map of its own, which made
 * synth super-linear beyond about 1,500 clusters in one app (BENCHMARK.md, issue 18).
 */
export const CLIENT_OF_LABEL = 'cdk8s-workloads.io/client-of';

/** The labels a cluster's NetworkPolicy admits by default: `cdk8s-workloads.io/client-of: <name>`. */
export function defaultClientLabels(name: string): Record<string, string> {
  return { [CLIENT_OF_LABEL]: name };
}

/** Who a set of objects belongs to, in the terms of the Kubernetes recommended labels. */
export interface WorkloadIdentity {
  /** `app.kubernetes.io/name`: the application, e.g. `postgresql`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: this installation, e.g. `orders-db`. */
  readonly instance: string;
  /** `app.kubernetes.io/component`: the role inside the application, e.g. `database`. */
  readonly component: string;
  /**
   * `app.kubernetes.io/part-of`: the larger application.
   * @default - the instance name
   */
  readonly partOf?: string;
}

/** The five recommended labels, for every object a construct creates. */
export function recommendedLabels(id: WorkloadIdentity): Record<string, string> {
  return {
    ...selectorLabels(id),
    'app.kubernetes.io/part-of': id.partOf ?? id.instance,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/**
 * The labels a selector matches on. They depend only on names the user chose, never on the
 * construct path, so moving a construct in the tree does not change an immutable selector.
 */
export function selectorLabels(id: WorkloadIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
    'app.kubernetes.io/component': id.component,
  };
}

/** Adds the labels to every ApiObject in the subtree of `scope` that exists now. */
export function labelAllObjects(scope: IConstruct, labels: Record<string, string>): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    for (const [key, value] of Object.entries(labels)) child.metadata.addLabel(key, value);
  }
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why a label value would be rejected by the API server, or undefined when it is fine. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; label values allow at most 63`;
  if (!LABEL_VALUE.test(value)) return 'must be alphanumeric, "-", "_" or ".", and start and end alphanumeric';
  return undefined;
}

/** Why a label key would be rejected by the API server, or undefined when it is fine. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `has prefix "${prefix}", which is not a DNS subdomain (lowercase alphanumeric, "-", ".")`;
  }
  if (name.length === 0 || name.length > 63) return 'must have a name part of 1-63 characters';
  if (!LABEL_NAME.test(name)) return 'must have a name part that is alphanumeric, "-", "_" or ".", starting and ending alphanumeric';
  return undefined;
}

/** Throws a ConfigurationError naming the prop when a label map has a key or value Kubernetes rejects. */
export function validateLabels(scope: IConstruct, prop: string, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) throw new ConfigurationError(scope, `${prop} key`, keyProblem, key, 'Use a valid label key such as "disktype" or "example.com/tier".');
    const valueProblem = labelValueProblem(value);
    if (valueProblem) throw new ConfigurationError(scope, `${prop}["${key}"]`, valueProblem, value, 'Use a valid label value such as "ssd".');
  }
}

/**
 * Selects a workload's pods (and points the given Services at them) by the stable labels only.
 * The workload must be created with `select: false`; cdk8s-plus's construct-path label is
 * removed from the pod template and the Services' selectors.
 */
export function applyStableSelector(workload: kplus.Workload, labels: Record<string, string>, services: kplus.Service[] = []): void {
  workload.select(kplus.LabelSelector.of({ labels }));
  for (const [key, value] of Object.entries(labels)) {
    workload.podMetadata.addLabel(key, value);
    for (const service of services) service.selectLabel(key, value);
  }
  useStableLabels(workload, labels, services);
}

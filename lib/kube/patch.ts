/**
 * The one layer over what cdk8s-plus-27 lacks, split by kind (pod, stateful-set, job,
 * daemon-set, service, disruption-budget). Each helper writes a JSON patch onto the L1 object of
 * a cdk8s-plus construct (or creates the missing L1 object). Patches on typed `Kube*` objects
 * pass through the 1.27 typings after patching: Quantity and IntOrString values must be wrapped
 * (`k8s.Quantity`, `k8s.IntOrString`) or they are silently dropped, and fields newer than 1.27
 * vanish. Patches are applied BEFORE the typed object maps its TypeScript property names to
 * Kubernetes field names, so a patch must use the TypeScript name where the two differ
 * (`hostPid`, not `hostPID`): a key under the Kubernetes name is silently dropped.
 * Every helper is tested against the synthesized output.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/** Adds `value` at `path` of the L1 object of `owner`. */
export function patch(owner: Construct, path: string, value: unknown): void {
  ApiObject.of(owner).addJsonPatch(JsonPatch.add(path, value));
}

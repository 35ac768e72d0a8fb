/**
 * Cluster-scoped objects (Namespace, ClusterRole, ClusterRoleBinding, PriorityClass, ...) have no
 * namespace. cdk8s copies a namespaced chart's namespace onto every ApiObject, so they would
 * carry one: kubectl ignores it, but strict tools reject it and it misleads readers.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Kinds the API server serves without a namespace, among those a cdk8s app commonly emits. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass', 'PersistentVolume',
  'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'IngressClass', 'RuntimeClass', 'Node',
]);

/** Removes `metadata.namespace` from every cluster-scoped ApiObject in the subtree of `scope`. */
export function dropNamespaceOfClusterScoped(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (child instanceof ApiObject && CLUSTER_SCOPED_KINDS.has(child.kind) && child.metadata.namespace !== undefined) {
      child.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }
}

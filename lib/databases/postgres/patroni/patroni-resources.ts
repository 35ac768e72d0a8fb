import * as kplus from 'cdk8s-plus-27';
import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { ConfigurationError } from '../../../errors';
import { patch } from '../../../kube/patch';
import { PATRONI_API_PORT, PATRONI_SCOPE_LABEL } from './patroni-config';
import { PATRONI_CREDENTIALS_DIR, patroniScope } from './patroni-engine';
import { HighAvailability } from './high-availability';
import type { ReplicatedDatabase } from '../../replicated-database';

/**
 * What Patroni's Kubernetes store (patroni/dcs/kubernetes.py, Patroni 3.0) calls in ConfigMaps
 * mode, in the pod's own namespace, and nothing else:
 * - ConfigMaps `<scope>-config`, `-leader`, `-failover`, `-sync`: list and watch (its cache),
 *   get (re-reading the leader lock after a conflict), create and patch (every write; the leader
 *   lock is a patch with the resourceVersion, so two members cannot both take it);
 * - Pods of the cluster: list and watch (member discovery), patch (its own `role` label and
 *   `status` annotation).
 * Endpoints and Services are only used with `use_endpoints: true`; `patronictl remove` deletes
 * the ConfigMaps with deletecollection, which members never need (run it with your own
 * credentials). Nothing is cluster-wide.
 */
export const PATRONI_RBAC_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch', 'patch'] },
];

const tcp = (port: number) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/**
 * The objects and pod changes Patroni needs on top of the replicated-database base: its own
 * ServiceAccount (token mounted) bound to a namespaced Role, the `<name>-replicas` Service, the
 * scope label on the pods, the REST API port, the mounted Secret and the network rules.
 */
export class PatroniResources extends Construct {
  /** Patroni's scope: `patronictl list` shows it; its ConfigMaps are named after it. */
  public readonly scope: string;
  /** `<name>-patroni`: the identity the members talk to the API server with. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The namespaced Role with exactly what Patroni's Kubernetes store calls. */
  public readonly role: k8s.KubeRole;
  /** Binds the Role to the ServiceAccount. */
  public readonly roleBinding: k8s.KubeRoleBinding;
  /** `<name>-replicas`: the members Patroni labels `role=replica` (reads that must not hit the leader). */
  public readonly replicasService: kplus.Service;

  /**
   * @param host the cluster (its StatefulSet, server container, Secret and NetworkPolicy are changed)
   * @param namespaceName the cluster's namespace (the RoleBinding's subject needs it)
   */
  constructor(scope: Construct, id: string, host: ReplicatedDatabase, ha: HighAvailability, namespaceName: string) {
    super(scope, id);
    const topology = host.engine.topology;
    const replicasName = topology.replicasServiceName(host.name);
    if (replicasName === undefined) {
      throw new ConfigurationError(host, 'engine.topology', 'must be an elected-primary topology for Patroni\'s resources (Patroni labels the leader and the replicas)', topology.kind,
        'Create the cluster with new PostgresCluster(scope, id, { highAvailability: HighAvailability.patroni() }), which adds these resources itself.');
    }
    this.scope = patroniScope(host.name);
    const name = `${host.name}-patroni`;
    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata: { name }, automountToken: false });
    this.role = new k8s.KubeRole(this, 'role', { metadata: { name }, rules: PATRONI_RBAC_RULES });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: namespaceName }],
    });

    // Written before the StatefulSet: in one `kubectl apply`, a pod created before its
    // ServiceAccount exists is refused (FailedCreate), and its identity must be bound before it runs.
    host.statefulSet.node.addDependency(this.serviceAccount, this.role, this.roleBinding);
    // The pod's token is mounted for this container only through the pod-level switch; the
    // ServiceAccount itself does not automount (other pods using it would get a token silently).
    patch(host.statefulSet, '/spec/template/spec/serviceAccountName', name);
    patch(host.statefulSet, '/spec/template/spec/automountServiceAccountToken', true);
    // Patroni lists the pods carrying its labels plus the scope label. The role label is
    // Patroni's to write: the template must not set it, or a rollout would reset it.
    host.statefulSet.podMetadata.addLabel(PATRONI_SCOPE_LABEL, this.scope);
    host.container.addPort({ name: 'patroni', number: PATRONI_API_PORT });
    const credentials = kplus.Volume.fromSecret(this, 'credentials-volume', host.credentialsSecret, { name: 'credentials', defaultMode: 0o440 });
    host.container.mount(PATRONI_CREDENTIALS_DIR, credentials, { readOnly: true });

    // Name and role selector are the topology's (the engine's elected one), like the base's `<name>-primary`.
    this.replicasService = new kplus.Service(this, 'replicas', {
      metadata: { name: replicasName },
      ports: [{ name: 'postgresql', port: host.port, targetPort: host.port }],
    });
    for (const [key, value] of Object.entries({ ...host.selectorLabels, ...topology.replicasServiceSelector() })) this.replicasService.selectLabel(key, value);

    const members = { podSelector: { matchLabels: { ...host.selectorLabels } } };
    // Members ask each other's REST API for their state before a failover.
    host.networkPolicy.addJsonPatch(JsonPatch.add('/spec/ingress/-', { from: [members], ports: [tcp(PATRONI_API_PORT)] }));
    host.networkPolicy.addJsonPatch(JsonPatch.add('/spec/egress/-', { to: [members], ports: [tcp(PATRONI_API_PORT)] }));
    // The API server (the store); a NetworkPolicy sees its endpoint address, not the Service's.
    host.networkPolicy.addJsonPatch(JsonPatch.add('/spec/egress/-', {
      ...(ha.apiServerCidr ? { to: [{ ipBlock: { cidr: ha.apiServerCidr } }] } : {}),
      ports: [tcp(443), tcp(6443)],
    }));
  }
}

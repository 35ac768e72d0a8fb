import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** Who may talk to (or be reached by) the selected pods. */
export class NetworkPeer {
  /** Pods with these labels; in the policy's namespace unless namespace labels are given. */
  public static pods(podLabels: Record<string, string>, namespaceLabels?: Record<string, string>): NetworkPeer {
    return new NetworkPeer({
      podSelector: { matchLabels: { ...podLabels } },
      ...(namespaceLabels ? { namespaceSelector: { matchLabels: { ...namespaceLabels } } } : {}),
    });
  }
  /** Every pod in the namespaces with these labels. */
  public static namespaces(namespaceLabels: Record<string, string>): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: { matchLabels: { ...namespaceLabels } } });
  }
  /** An IP range, e.g. an object storage endpoint outside the cluster. */
  public static cidr(cidr: string): NetworkPeer {
    return new NetworkPeer({ ipBlock: { cidr } });
  }
  private constructor(public readonly peer: k8s.NetworkPolicyPeer) {}
}

/** Traffic on these TCP ports from or to these peers (no peers: anywhere). */
export interface TrafficRule {
  readonly peers: NetworkPeer[];
  readonly ports: number[];
}

export interface NetworkPolicyOptions {
  /** @default - a name derived from the construct path */
  readonly name?: string;
  /** The pods the policy applies to. */
  readonly selectorLabels: Record<string, string>;
  /** Allowed inbound traffic; everything else is denied. */
  readonly ingress: TrafficRule[];
  /**
   * Allowed outbound traffic; everything else is denied.
   * @default - outbound traffic is not restricted
   */
  readonly egress?: TrafficRule[];
}

/** DNS on port 53 (UDP and TCP) to any destination: portable across cluster DNS deployments. */
const DNS_EGRESS: k8s.NetworkPolicyEgressRule = {
  ports: [
    { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
  ],
};

function rule(r: TrafficRule): { peers?: k8s.NetworkPolicyPeer[]; ports: k8s.NetworkPolicyPort[] } {
  return {
    ...(r.peers.length > 0 ? { peers: r.peers.map((p) => p.peer) } : {}),
    ports: r.ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
  };
}

/**
 * A default-deny NetworkPolicy that admits only the given traffic. When egress is restricted,
 * DNS stays allowed: without it nothing can resolve a Service name.
 */
export function createNetworkPolicy(scope: Construct, id: string, options: NetworkPolicyOptions): k8s.KubeNetworkPolicy {
  const ingress = options.ingress.map(rule).map(({ peers, ports }) => ({ ...(peers ? { from: peers } : {}), ports }));
  const egress = options.egress?.map(rule).map(({ peers, ports }) => ({ ...(peers ? { to: peers } : {}), ports }));
  return new k8s.KubeNetworkPolicy(scope, id, {
    ...(options.name ? { metadata: { name: options.name } } : {}),
    spec: {
      podSelector: { matchLabels: { ...options.selectorLabels } },
      policyTypes: egress ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress,
      ...(egress ? { egress: [...egress, DNS_EGRESS] } : {}),
    },
  });
}

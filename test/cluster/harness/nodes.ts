/** The fake nodes kwok manages (those annotated kwok.x-k8s.io/node=fake). */

export const ZONES = ['zone-a', 'zone-b', 'zone-c'];
export const WORKERS = ['worker-a', 'worker-b', 'worker-c'];
export const CONTROL_PLANE = 'control-plane';

export interface NodeOptions {
  zone: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

export function fakeNode(name: string, options: NodeOptions): any {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/region': 'test',
        'topology.kubernetes.io/zone': options.zone,
        'type': 'kwok',
        ...options.labels,
      },
    },
    spec: { taints: options.taints ?? [] },
    status: {
      allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
      capacity: { cpu: '8', memory: '32Gi', pods: '110' },
    },
  };
}

/** 3 workers in 3 zones and 1 control-plane node tainted NoSchedule. */
export function fakeNodes(): any[] {
  return [
    ...WORKERS.map((name, i) => fakeNode(name, { zone: ZONES[i] })),
    fakeNode(CONTROL_PLANE, {
      zone: ZONES[0],
      labels: { 'node-role.kubernetes.io/control-plane': '' },
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    }),
  ];
}

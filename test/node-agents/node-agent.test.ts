/**
 * The node-agent base (tolerations, node selection, update strategy, host paths, service
 * account, namespace, Pod Security level), exercised through NodeExporterDaemon and
 * LogCollectorDaemon. Every chart is validated against the schema and the API-server rules.
 */
import * as kplus from 'cdk8s-plus-27';
import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { synthValid, findManifest, restrictedPodSecurityProblems, Manifest } from '../../lib/testing/validate';
import {
  AgentUpdateStrategy, HostPathMount, INodeAgentExtension, LogCollectorDaemon, NodeAffinity, NodeAgent, NodeAgentProps, NodeCount, NodeExporterDaemon, NodeExporterDaemonProps, NodeExpression,
  PodSecurityLevel, TaintEffect, TaintTolerance, TolerationOperator,
} from '../../lib';
import { explicitResources } from '../../lib/defaults';
import { Errors } from '../../lib/errors';

/** A node agent written outside the library, as a user would: only the spec and an extension. */
class TestAgent extends NodeAgent {
  constructor(scope: Construct, id: string, props: NodeAgentProps = {}, hostPaths: HostPathMount[] = [], extension?: INodeAgentExtension) {
    super(scope, id, props, {
      app: 'test-agent', component: 'test', defaultNamespace: 'agents', defaultImage: 'example.com/agent:1.0',
      defaultResources: explicitResources(10, 20, 16, 32), defaultTolerance: TaintTolerance.none(), defaultTerminationGracePeriod: Duration.seconds(5),
      uid: 65534, gid: 65534, port: 8080, healthPath: '/healthz', metricsPath: '/metrics', hostPaths, needsApiAccess: false, extension,
    });
  }
}

function newChart(): Chart {
  return new Chart(Testing.app(), 'test');
}

/** Synthesizes and validates, exempting the named DaemonSets from restricted (they need host access). */
function synth(chart: Chart, ...daemonSets: string[]): Manifest[] {
  return synthValid(chart, { production: true, restricted: true, restrictedExemptions: daemonSets.map((n) => `DaemonSet/${n}`) });
}

function exporter(props: NodeExporterDaemonProps = {}): { agent: NodeExporterDaemon; manifests: Manifest[]; pod: Manifest; ds: Manifest } {
  const chart = newChart();
  const agent = new NodeExporterDaemon(chart, 'exporter', props);
  const manifests = synth(chart, agent.name);
  const ds = findManifest(manifests, 'DaemonSet', agent.name);
  return { agent, manifests, ds, pod: ds.spec.template.spec };
}

function buildExporter(props: NodeExporterDaemonProps): () => NodeExporterDaemon {
  return () => new NodeExporterDaemon(newChart(), 'exporter', props);
}

const ES = { host: 'elasticsearch.logging.svc.cluster.local' };

describe('tolerations', () => {
  test('the log collector tolerates both control-plane taints by default', () => {
    const chart = newChart();
    new LogCollectorDaemon(chart, 'logs', { elasticsearch: ES });
    const pod = findManifest(synth(chart, 'logs'), 'DaemonSet', 'logs').spec.template.spec;
    expect(pod.tolerations).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  test('the node exporter tolerates every taint by default', () => {
    expect(exporter().pod.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('none() leaves only the user tolerations, typed through enums', () => {
    const { pod } = exporter({
      taintTolerance: TaintTolerance.none(),
      tolerations: [
        { key: 'dedicated', tolerationOperator: TolerationOperator.EQUAL, value: 'gpu', effect: TaintEffect.NO_SCHEDULE },
        { key: 'node.kubernetes.io/unreachable', tolerationOperator: TolerationOperator.EXISTS, effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 300 },
      ],
    });
    expect(pod.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  test('none() without user tolerations writes no tolerations field', () => {
    expect(exporter({ taintTolerance: TaintTolerance.none() }).pod.tolerations).toBeUndefined();
  });

  test('user tolerations are added after the built-in ones', () => {
    const { pod } = exporter({ taintTolerance: TaintTolerance.controlPlane(), tolerations: [{ key: 'spot', tolerationOperator: TolerationOperator.EXISTS }] });
    expect(pod.tolerations.map((t: Manifest) => t.key)).toEqual(['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master', 'spot']);
  });

  test('error: a toleration with neither a key nor operator Exists', () => {
    expect(buildExporter({ tolerations: [{ value: 'x', effect: TaintEffect.NO_SCHEDULE }] }))
      .toThrow(/test\/exporter: tolerations\[0\] has neither a key nor tolerationOperator EXISTS \(got .*\)\. Set a key, or use tolerationOperator TolerationOperator.EXISTS/);
  });

  test('error: a value with operator Exists', () => {
    expect(buildExporter({ tolerations: [{ key: 'a', tolerationOperator: TolerationOperator.EXISTS, value: 'b' }] })).toThrow(/tolerations\[0\]\.value must be empty with tolerationOperator EXISTS/);
  });

  test('error: tolerationSeconds without NoExecute', () => {
    expect(buildExporter({ tolerations: [{ key: 'a', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 10 }] })).toThrow(/tolerationSeconds needs effect NO_EXECUTE/);
  });
});

describe('node selection', () => {
  test('kubernetes.io/os: linux by default', () => {
    expect(exporter().pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('nodeSelector labels are added to the linux selector; linuxOnly false drops it', () => {
    expect(exporter({ nodeSelector: { disktype: 'ssd' } }).pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', disktype: 'ssd' });
    expect(exporter({ linuxOnly: false, nodeSelector: { disktype: 'ssd' } }).pod.nodeSelector).toEqual({ disktype: 'ssd' });
    expect(exporter({ linuxOnly: false }).pod.nodeSelector).toBeUndefined();
  });

  test('required and preferred node affinity with In, NotIn and Exists', () => {
    const { pod } = exporter({
      nodeAffinity: [
        NodeAffinity.required(NodeExpression.isIn('node.kubernetes.io/instance-type', ['m5.large', 'm5.xlarge'])),
        NodeAffinity.required(NodeExpression.exists('example.com/monitored')),
        NodeAffinity.preferred(50, NodeExpression.notIn('topology.kubernetes.io/zone', ['eu-west-1c'])),
      ],
    });
    expect(pod.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          // one term: its expressions are ANDed (several terms would be ORed)
          nodeSelectorTerms: [{
            matchExpressions: [
              { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large', 'm5.xlarge'] },
              { key: 'example.com/monitored', operator: 'Exists' },
            ],
          }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 50, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['eu-west-1c'] }] } },
        ],
      },
    });
  });

  test('the node exporter runs in the host network and PID namespaces, with cluster DNS', () => {
    const { pod } = exporter();
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
  });

  test('no affinity field without nodeAffinity', () => {
    expect(exporter().pod.affinity).toBeUndefined();
  });

  test('error: a node-selector key Kubernetes rejects', () => {
    expect(buildExporter({ nodeSelector: { 'disk type': 'ssd' } })).toThrow(/test\/exporter: nodeSelector key must have a name part that is alphanumeric.* \(got "disk type"\)/);
  });

  test('error: a node-selector value Kubernetes rejects', () => {
    expect(buildExporter({ nodeSelector: { disktype: 'fast ssd!' } })).toThrow(/test\/exporter: nodeSelector\["disktype"\] must be alphanumeric.* \(got "fast ssd!"\)/);
  });

  test('error: an In expression without values', () => {
    expect(buildExporter({ nodeAffinity: [NodeAffinity.required(NodeExpression.isIn('node.kubernetes.io/instance-type', []))] })).toThrow(/nodeAffinity\[0\]\.expressions\[0\]\.values must not be empty with In/);
  });

  test('error: a preference weight outside 1-100', () => {
    expect(buildExporter({ nodeAffinity: [NodeAffinity.preferred(0, NodeExpression.exists('a'))] })).toThrow(/nodeAffinity\[0\]\.weight must be an integer 1-100 \(got 0\)/);
  });
});

describe('update strategy', () => {
  test('RollingUpdate maxUnavailable 1 by default, maxSurge 0', () => {
    expect(exporter().ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });

  test('a percentage renders as a string', () => {
    const { ds } = exporter({ updateStrategy: AgentUpdateStrategy.rollingUpdate({ maxUnavailable: NodeCount.percent(10) }) });
    expect(ds.spec.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: '10%', maxSurge: 0 });
  });

  test('surging sets maxUnavailable to 0 (an agent without host network: a host-network one cannot surge)', () => {
    const chart = newChart();
    new LogCollectorDaemon(chart, 'logs', { elasticsearch: ES, updateStrategy: AgentUpdateStrategy.rollingUpdate({ maxSurge: NodeCount.nodes(1) }) });
    const ds = findManifest(synth(chart, 'logs'), 'DaemonSet', 'logs');
    expect(ds.spec.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
  });

  test('OnDelete', () => {
    expect(exporter({ updateStrategy: AgentUpdateStrategy.onDelete() }).ds.spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  test('error: maxUnavailable and maxSurge both zero', () => {
    expect(buildExporter({ updateStrategy: AgentUpdateStrategy.rollingUpdate({ maxUnavailable: NodeCount.nodes(0), maxSurge: NodeCount.percent(0) }) }))
      .toThrow(/test\/exporter: updateStrategy has maxUnavailable and maxSurge both zero, so no pod could ever be replaced \(got "maxUnavailable 0, maxSurge 0%"\)/);
  });

  test('error: maxUnavailable and maxSurge both non-zero', () => {
    expect(buildExporter({ updateStrategy: AgentUpdateStrategy.rollingUpdate({ maxUnavailable: NodeCount.nodes(1), maxSurge: NodeCount.percent(10) }) }))
      .toThrow(/updateStrategy has maxUnavailable and maxSurge both non-zero, which the API server rejects for a DaemonSet \(got "maxUnavailable 1, maxSurge 10%"\)/);
  });

  test('error: a percentage above 100', () => {
    expect(buildExporter({ updateStrategy: AgentUpdateStrategy.rollingUpdate({ maxUnavailable: NodeCount.percent(150) }) }))
      .toThrow(/updateStrategy\.maxUnavailable must be a whole percentage 0-100 \(got "150%"\)/);
  });

  test('error: a percentage that is not a whole number', () => {
    expect(buildExporter({ updateStrategy: AgentUpdateStrategy.rollingUpdate({ maxSurge: NodeCount.percent(12.5) }) }))
      .toThrow(/updateStrategy\.maxSurge must be a whole percentage 0-100 \(got "12.5%"\)/);
  });

  test('error: a negative node count', () => {
    expect(buildExporter({ updateStrategy: AgentUpdateStrategy.rollingUpdate({ maxUnavailable: NodeCount.nodes(-1) }) }))
      .toThrow(/updateStrategy\.maxUnavailable must be a whole number >= 0 \(got "-1"\)/);
  });
});

describe('pod settings', () => {
  test('priorityClassName, terminationGracePeriodSeconds and resources when asked', () => {
    const { pod } = exporter({ priorityClassName: 'node-agents', terminationGracePeriod: Duration.seconds(60), resources: explicitResources(20, 200, 32, 64) });
    expect(pod.priorityClassName).toBe('node-agents');
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } });
  });

  test('no priorityClassName by default', () => {
    expect(exporter().pod.priorityClassName).toBeUndefined();
  });

  test('error: a priorityClassName that is not a valid name', () => {
    expect(buildExporter({ priorityClassName: 'Node_Critical' })).toThrow(/priorityClassName must be lowercase/);
  });

  test('error: an unpinned image', () => {
    expect(buildExporter({ image: 'prom/node-exporter' })).toThrow(/test\/exporter: image has no tag \(got "prom\/node-exporter"\)\. Pin a version/);
    expect(buildExporter({ image: 'prom/node-exporter:latest' })).toThrow(/image uses the "latest" tag/);
  });

  test('host paths are read-only unless the agent must write them', () => {
    const chart = newChart();
    new LogCollectorDaemon(chart, 'logs', { elasticsearch: ES });
    const mounts: Manifest[] = findManifest(synth(chart, 'logs'), 'DaemonSet', 'logs').spec.template.spec.containers[0].volumeMounts;
    const writable = mounts.filter((m) => !m.readOnly).map((m) => m.mountPath);
    expect(writable).toEqual(['/var/lib/fluent-bit']);
  });

  test('the selector uses the stable labels, not the construct path', () => {
    const { ds } = exporter();
    expect(ds.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'node-exporter', 'app.kubernetes.io/instance': 'exporter', 'app.kubernetes.io/component': 'metrics' } });
    expect(ds.spec.template.metadata.labels['cdk8s.io/metadata.addr']).toBeUndefined();
  });

  test('the ServiceAccount mounts no token unless the agent needs the API', () => {
    const { manifests, pod } = exporter();
    expect(findManifest(manifests, 'ServiceAccount', 'exporter').automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('exporter');
    expect(pod.automountServiceAccountToken).toBe(false);
    const chart = newChart();
    new LogCollectorDaemon(chart, 'logs', { elasticsearch: ES });
    const logs = synth(chart, 'logs');
    expect(findManifest(logs, 'ServiceAccount', 'logs').automountServiceAccountToken).toBe(true);
    expect(findManifest(logs, 'DaemonSet', 'logs').spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  test('name and namespace props', () => {
    const { manifests } = exporter({ name: 'node-metrics', namespaceName: 'observability' });
    expect(findManifest(manifests, 'DaemonSet', 'node-metrics').metadata.namespace).toBe('observability');
    expect(findManifest(manifests, 'ServiceAccount', 'node-metrics').metadata.namespace).toBe('observability');
  });

  test('error: a namespace that is not a DNS label', () => {
    expect(buildExporter({ namespaceName: 'Monitoring' })).toThrow(/test\/exporter: namespaceName must be lowercase alphanumeric/);
  });
});

describe('Pod Security Standards', () => {
  test('no Namespace unless asked', () => {
    expect(exporter().manifests.filter((m) => m.kind === 'Namespace')).toEqual([]);
  });

  test('createNamespace emits the namespace labelled for the privileged level', () => {
    const { agent, manifests } = exporter({ createNamespace: true });
    expect(agent.requiredPodSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    expect(findManifest(manifests, 'Namespace', 'monitoring').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    });
  });

  test('the documented level is right: restricted (and baseline) reject the agents for host access', () => {
    const chart = newChart();
    const logs = new LogCollectorDaemon(chart, 'logs', { elasticsearch: ES });
    const nodes = new NodeExporterDaemon(chart, 'nodes');
    const manifests = synth(chart, 'logs', 'nodes');
    expect(logs.requiredPodSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    expect(nodes.requiredPodSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    const logProblems = restrictedPodSecurityProblems(findManifest(manifests, 'DaemonSet', 'logs'));
    expect(logProblems).toEqual(expect.arrayContaining([
      'volume "varlog" of type hostPath is not allowed',
      'volume "state" of type hostPath is not allowed',
      'container "fluent-bit" must run as non-root (runAsNonRoot true)',
      'pod runAsUser 0 is not allowed',
    ]));
    const nodeProblems = restrictedPodSecurityProblems(findManifest(manifests, 'DaemonSet', 'nodes'));
    expect(nodeProblems).toEqual(expect.arrayContaining([
      'hostNetwork is not allowed',
      'hostPID is not allowed',
      'volume "proc" of type hostPath is not allowed',
      'volume "root" of type hostPath is not allowed',
    ]));
    // Everything else meets restricted: no privilege escalation, ALL dropped, seccomp RuntimeDefault.
    expect(nodeProblems.filter((p) => !/hostNetwork|hostPID|hostPath/.test(p))).toEqual([]);
    expect(logProblems.filter((p) => !/hostPath|non-root|runAsUser 0/.test(p))).toEqual([]);
  });
});

describe('errors not covered above (one test per message; each names path, prop, value and fix)', () => {
  const agent = (props: NodeAgentProps = {}, hostPaths: HostPathMount[] = []) => () => new TestAgent(newChart(), 'agent', props, hostPaths);

  test('a name that is not a DNS label', () => {
    expect(agent({ name: 'Test_Agent' })).toThrow(/^test\/agent: name must be lowercase alphanumeric or "-", and start and end alphanumeric \(got "Test_Agent"\)\. Use a lowercase DNS label/);
  });

  test('resources without memory', () => {
    expect(agent({ resources: { cpu: explicitResources(10, 20, 16, 32).cpu } })).toThrow(/^test\/agent: resources must set both cpu and memory \(got \["cpu"\]\)\. Pass a ResourcePreset/);
  });

  test('a toleration key Kubernetes rejects', () => {
    expect(agent({ tolerations: [{ key: 'bad key', tolerationOperator: TolerationOperator.EXISTS }] }))
      .toThrow(/^test\/agent: tolerations\[0\]\.key must have a name part that is alphanumeric.* \(got "bad key"\)\. Use a taint key such as "dedicated"/);
  });

  test('a toleration value Kubernetes rejects', () => {
    expect(agent({ tolerations: [{ key: 'dedicated', value: 'gpu nodes' }] }))
      .toThrow(/^test\/agent: tolerations\[0\]\.value must be alphanumeric.* \(got "gpu nodes"\)\. Use a valid taint value/);
  });

  test('a node-affinity key Kubernetes rejects', () => {
    expect(agent({ nodeAffinity: [NodeAffinity.required(NodeExpression.exists('a/b/c'))] }))
      .toThrow(/^test\/agent: nodeAffinity\[0\]\.expressions\[0\]\.key has more than one "\/" \(got "a\/b\/c"\)\. Use a node label key/);
  });

  test('a node-affinity value Kubernetes rejects', () => {
    expect(agent({ nodeAffinity: [NodeAffinity.required(NodeExpression.notIn('disktype', ['fast ssd']))] }))
      .toThrow(/^test\/agent: nodeAffinity\[0\]\.expressions\[0\]\.values must be alphanumeric.* \(got "fast ssd"\)\. Use valid label values/);
  });

  test('a node affinity without expressions', () => {
    expect(agent({ nodeAffinity: [NodeAffinity.required()] })).toThrow(/^test\/agent: nodeAffinity\[0\] has no expressions \(got \[\]\)\. Pass at least one NodeExpression/);
  });

  test('a host-path volume name that is not a DNS label', () => {
    expect(agent({}, [{ volumeName: 'Var_Log', hostPath: '/var/log' }]))
      .toThrow(/^test\/agent: hostPaths\[0\]\.volumeName must be lowercase alphanumeric.* \(got "Var_Log"\)\. Use a short lowercase name/);
  });

  test('a host-path volume name used twice', () => {
    expect(agent({}, [{ volumeName: 'logs', hostPath: '/var/log' }, { volumeName: 'logs', hostPath: '/var/lib/logs' }]))
      .toThrow(/^test\/agent: hostPaths\[1\]\.volumeName is already used by another host path \(got "logs"\)\. Give every host path its own volume name/);
  });

  test('a relative host path', () => {
    expect(agent({}, [{ volumeName: 'logs', hostPath: 'var/log' }])).toThrow(/^test\/agent: hostPaths\[0\]\.hostPath must be absolute \(got "var\/log"\)\. Start the path with "\/"/);
  });

  test('every error is a ConfigurationError', () => {
    let error: unknown;
    try { agent({ name: 'Bad' })(); } catch (e) { error = e; }
    expect(Errors.isConfigurationError(error)).toBe(true);
    expect(error).toMatchObject({ where: 'test/agent', prop: 'name' });
  });
});

describe('labelling contract', () => {
  test('objects a specialization adds through its extension carry the recommended labels, with no call to remember', () => {
    const chart = newChart();
    new TestAgent(chart, 'agent', {}, [], { addTo: (agent) => new kplus.ConfigMap(agent, 'extra', { metadata: { name: 'agent-extra', namespace: agent.namespaceName } }) });
    const manifests = synth(chart);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'DaemonSet', 'ServiceAccount']);
    for (const m of manifests) {
      expect({ kind: m.kind, labels: m.metadata.labels }).toEqual({
        kind: m.kind,
        labels: {
          'app.kubernetes.io/name': 'test-agent', 'app.kubernetes.io/instance': 'agent', 'app.kubernetes.io/component': 'test',
          'app.kubernetes.io/part-of': 'agent', 'app.kubernetes.io/managed-by': 'cdk8s-workloads',
        },
      });
    }
  });

  test('the built-in agents label their own extra objects (ConfigMap, RBAC) the same way', () => {
    const chart = newChart();
    new LogCollectorDaemon(chart, 'logs', { elasticsearch: ES });
    const manifests = synth(chart, 'logs');
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet', 'ServiceAccount']);
    for (const m of manifests) expect({ kind: m.kind, component: m.metadata.labels['app.kubernetes.io/component'] }).toEqual({ kind: m.kind, component: 'log-collector' });
  });
});

test('a node agent used as a cdk8s-plus Service selector selects exactly the labels its pods carry', () => {
  const chart = newChart();
  const agent = new NodeExporterDaemon(chart, 'exporter');
  new kplus.Service(chart, 'metrics', { metadata: { name: 'exporter-metrics', namespace: 'monitoring' }, selector: agent.daemonSet, ports: [{ name: 'http', port: 9100, targetPort: 9100 }] });
  const manifests = Testing.synth(chart);
  const selector = findManifest(manifests, 'Service', 'exporter-metrics').spec.selector;
  const podLabels = findManifest(manifests, 'DaemonSet', 'exporter').spec.template.metadata.labels;
  expect(selector).toEqual(agent.selectorLabels);
  expect(Object.keys(selector).length).toBeGreaterThan(0);
  for (const [key, value] of Object.entries(selector)) expect({ key, value: podLabels[key] }).toEqual({ key, value });
  expect(selector['cdk8s.io/metadata.addr']).toBeUndefined();
  expect(podLabels['cdk8s.io/metadata.addr']).toBeUndefined();
});

test('main child: node.defaultChild is the DaemonSet and ApiObject.of(agent) its L1 object', () => {
  const chart = newChart();
  const agent = new NodeExporterDaemon(chart, 'exporter');
  expect(agent.node.defaultChild).toBe(agent.daemonSet);
  expect(ApiObject.of(agent)).toBe(ApiObject.of(agent.daemonSet));
  expect(ApiObject.of(agent).kind).toBe('DaemonSet');
  ApiObject.of(agent).addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 3));
  expect(findManifest(synth(chart, 'exporter'), 'DaemonSet', 'exporter').spec.revisionHistoryLimit).toBe(3);
});

test('escape hatch: a JSON patch on the DaemonSet reaches the output', () => {
  const chart = newChart();
  const agent = new NodeExporterDaemon(chart, 'exporter');
  ApiObject.of(agent.daemonSet).addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 5));
  ApiObject.of(agent.daemonSet).addJsonPatch(JsonPatch.replace('/spec/minReadySeconds', 10));
  const ds = findManifest(synth(chart, 'exporter'), 'DaemonSet', 'exporter');
  expect(ds.spec.revisionHistoryLimit).toBe(5);
  expect(ds.spec.minReadySeconds).toBe(10);
});

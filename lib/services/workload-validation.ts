/** Validation and defaults of StatelessWorkloadProps: every mistake is a ConfigurationError naming the prop. */
import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { integerAtLeast, wholeSeconds } from '../defaults/checks';
import { defaultClientLabels, labelValueProblem } from '../defaults/labels';
import { NetworkPeer } from '../defaults/network';
import { PROBE_TIMINGS, ProbeHandler, ProbeTimings, validateProbeTimings } from '../defaults/probes';
import { checkEnum, checkType, PropKeys, PropType, rejectUnknownProps } from '../defaults/props';
import { STATELESS_DEFAULTS } from '../defaults/stateless';
import { presetResources, ResourcePreset } from '../defaults/resources';
import { WritablePath } from '../defaults/security';
import { ConfigurationError, ConflictingPropsError } from '../errors';
import { dnsLabelProblem, dnsSubdomainProblem, portNameProblem, serviceNameProblem } from '../kube/names';
import { ResolvedAutoscaling, resolveAutoscaling } from './autoscaling';
import type { StatelessWorkloadProps } from './stateless-workload';
import type { WorkloadPort } from './workload-types';

/** Every prop of StatelessWorkloadProps; the compiler fails when one is added and not listed. */
export const STATELESS_WORKLOAD_PROP_KEYS: PropKeys<StatelessWorkloadProps> = {
  image: true, user: true, name: true, ports: true, command: true, args: true, env: true, resourcePreset: true, resources: true,
  probes: true, writablePaths: true, replicas: true, autoscaling: true, disruptionBudget: true, strategy: true, clientLabels: true,
  allowFrom: true, allowedClients: true, terminationGracePeriod: true, appName: true, component: true, partOf: true, clusterDomain: true,
};

/** Probes with every timing filled in. */
export interface ResolvedProbes {
  readonly readiness: ProbeHandler;
  readonly liveness: ProbeHandler;
  readonly timings: { startup: ProbeTimings; readiness: ProbeTimings; liveness: ProbeTimings };
}

export interface ResolvedWorkloadProps {
  readonly name: string;
  readonly containerName: string;
  readonly replicas: number;
  readonly autoscaling?: ResolvedAutoscaling;
  readonly appName: string;
  readonly component: string;
  readonly partOf: string;
  readonly clientLabels: Record<string, string>;
  /** Who the NetworkPolicy admits on the exposed ports: `allowedClients`, else the client labels and `allowFrom`. */
  readonly ingressPeers: NetworkPeer[];
  readonly ports: WorkloadPort[];
  readonly resources: kplus.ContainerResources;
  readonly probes?: ResolvedProbes;
  readonly writablePaths: WritablePath[];
  readonly terminationGracePeriod: Duration;
  readonly clusterDomain: string;
}

export function resolveWorkloadProps(scope: IConstruct, id: string, props: StatelessWorkloadProps): ResolvedWorkloadProps {
  rejectUnknownProps(scope, props, STATELESS_WORKLOAD_PROP_KEYS, 'StatelessWorkloadProps');
  if (props === undefined || props === null) throw new ConfigurationError(scope, 'props', 'are required', props, 'Pass at least { image, user }.');
  for (const prop of ['image', 'name', 'appName', 'component', 'partOf', 'clusterDomain'] as const) checkType(scope, prop, props[prop], PropType.STRING);
  checkType(scope, 'replicas', props.replicas, PropType.NUMBER);
  checkType(scope, 'terminationGracePeriod', props.terminationGracePeriod, PropType.DURATION);
  checkEnum(scope, 'resourcePreset', props.resourcePreset, ResourcePreset, 'ResourcePreset');
  if (props.image === undefined) throw new ConfigurationError(scope, 'image', 'is required', props.image, 'Pass a pinned image, e.g. "nginxinc/nginx-unprivileged:1.27".');
  checkUser(scope, props);
  checkPeers(scope, 'allowFrom', props.allowFrom);
  checkPeers(scope, 'allowedClients', props.allowedClients);
  const ports = resolvePorts(scope, props.ports ?? []);
  conflicts(scope, props, ports);

  const name = props.name ?? id;
  const nameProblem = ports.length > 0 ? serviceNameProblem(name) : dnsLabelProblem(name);
  if (nameProblem) throw new ConfigurationError(scope, 'name', `${nameProblem}${ports.length > 0 ? ' (it also names the Service)' : ''}`, name, 'Use a lowercase DNS label starting with a letter, e.g. "web".');
  const autoscaling = props.autoscaling && resolveAutoscaling(scope, props.autoscaling);
  const replicas = autoscaling ? autoscaling.minReplicas : integerAtLeast(scope, 'replicas', props.replicas ?? STATELESS_DEFAULTS.replicas, 1, 'Run at least one pod, e.g. replicas: 2.');
  const appName = props.appName ?? name;
  const component = props.component ?? STATELESS_DEFAULTS.component;
  const partOf = props.partOf ?? name;
  for (const [prop, value] of [['appName', appName], ['component', component], ['partOf', partOf]] as const) {
    const problem = labelValueProblem(value);
    if (problem) throw new ConfigurationError(scope, prop, `${problem} (it is a label value)`, value, 'Use lowercase letters, digits and "-".');
  }
  const grace = props.terminationGracePeriod ?? STATELESS_DEFAULTS.terminationGracePeriod;
  wholeSeconds(scope, 'terminationGracePeriod', grace, 1, 'Give the process at least a second to stop, e.g. Duration.seconds(30).');
  for (const prop of ['command', 'args'] as const) {
    const value = props[prop];
    if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) {
      throw new ConfigurationError(scope, prop, 'must be an array of strings', value, `Pass e.g. ${prop}: ['--port=8080'].`);
    }
  }
  const clientLabels = props.clientLabels ?? defaultClientLabels(name);
  return {
    name,
    containerName: appName.length <= 63 && !dnsLabelProblem(appName) ? appName : 'main',
    replicas,
    autoscaling,
    appName,
    component,
    partOf,
    clientLabels,
    ingressPeers: props.allowedClients ? [...props.allowedClients] : [NetworkPeer.pods(clientLabels), ...(props.allowFrom ?? [])],
    ports,
    resources: props.resources ?? presetResources(props.resourcePreset ?? STATELESS_DEFAULTS.resourcePreset),
    probes: resolveProbes(scope, props, ports),
    writablePaths: props.writablePaths ?? STATELESS_DEFAULTS.writablePaths,
    terminationGracePeriod: grace,
    clusterDomain: resolveClusterDomain(scope, props.clusterDomain),
  };
}

function resolveClusterDomain(scope: IConstruct, domain: string | undefined): string {
  const value = domain ?? STATELESS_DEFAULTS.clusterDomain;
  const problem = dnsSubdomainProblem(value);
  if (problem) throw new ConfigurationError(scope, 'clusterDomain', problem, value, 'Use the cluster\'s DNS domain, e.g. "cluster.local".');
  return value;
}

function checkUser(scope: IConstruct, props: StatelessWorkloadProps): void {
  const user = props.user;
  if (typeof user !== 'object' || user === null) throw new ConfigurationError(scope, 'user', 'is required', user, 'Pass the image\'s numeric user, e.g. { uid: 1000, gid: 1000 } (see the Dockerfile\'s USER).');
  for (const field of ['uid', 'gid'] as const) {
    integerAtLeast(scope, `user.${field}`, user[field], 0, 'Use the numeric id from the image, e.g. 1000.');
  }
  if (user.uid === 0) throw new ConfigurationError(scope, 'user.uid', 'must not be 0: the restricted Pod Security Standard forbids root', user.uid, 'Run the image as its unprivileged user, e.g. { uid: 1000, gid: 1000 }.');
}

/** Peers arrive from JavaScript and jsii too: a plain object would reach the YAML as `from: [undefined]`. */
function checkPeers(scope: IConstruct, prop: 'allowFrom' | 'allowedClients', peers: unknown): void {
  if (peers === undefined) return;
  const example = `${prop}: [NetworkPeer.pods({ 'app.kubernetes.io/name': 'frontend' })]`;
  if (!Array.isArray(peers)) throw new ConfigurationError(scope, prop, 'must be an array of NetworkPeer', peers, `Pass e.g. ${example}.`);
  peers.forEach((peer, i) => {
    if (!(peer instanceof NetworkPeer)) {
      throw new ConfigurationError(scope, `${prop}[${i}]`, 'must be a NetworkPeer', peer, 'Build it with NetworkPeer.pods(podLabels, namespaceLabels), NetworkPeer.namespaces(namespaceLabels) or NetworkPeer.cidr(cidr).');
    }
  });
  // An ingress rule without peers admits every source: [] would open the workload, not close it.
  if (prop === 'allowedClients' && peers.length === 0) {
    throw new ConfigurationError(scope, prop, 'must list at least one peer: a NetworkPolicy rule without peers admits every source, so an empty list would open the ports to the whole network', peers,
      `List the clients, e.g. ${example}, or drop allowedClients to admit the pods with the clientLabels.`);
  }
}

function conflicts(scope: IConstruct, props: StatelessWorkloadProps, ports: WorkloadPort[]): void {
  const problems: string[] = [];
  if (props.replicas !== undefined && props.autoscaling !== undefined) {
    problems.push(`replicas (${props.replicas}) and autoscaling are both set: the autoscaler owns the replica count; drop replicas and set autoscaling.minReplicas`);
  }
  if (props.resources !== undefined && props.resourcePreset !== undefined) {
    problems.push(`resources and resourcePreset (${props.resourcePreset}) are both set: one would be silently dropped; pass one of them`);
  }
  if (props.allowedClients !== undefined) {
    // allowedClients is the whole list of peers: anything else about who may connect would be silently dropped.
    if (props.clientLabels !== undefined) {
      problems.push(`allowedClients and clientLabels (${JSON.stringify(props.clientLabels)}) are both set: allowedClients replaces the client-label peer, so no pod with clientLabels would be admitted; drop clientLabels, or add NetworkPeer.pods(<those labels>) to allowedClients`);
    }
    if (props.allowFrom !== undefined) {
      problems.push(`allowedClients and allowFrom (${props.allowFrom.length} peer(s)) are both set: allowedClients is the complete list of peers; move the allowFrom peers into allowedClients`);
    }
    if (!ports.some((p) => p.expose)) {
      problems.push('allowedClients is set but no port is exposed: the NetworkPolicy admits nothing, so the peers would be ignored; expose a port or drop allowedClients');
    }
  }
  if (problems.length > 0) throw new ConflictingPropsError(scope, problems);
}

function resolvePorts(scope: IConstruct, ports: WorkloadPort[]): WorkloadPort[] {
  if (!Array.isArray(ports)) throw new ConfigurationError(scope, 'ports', 'must be an array', ports, 'Pass e.g. [{ name: \'http\', port: 8080 }].');
  ports.forEach((p, i) => {
    const prop = `ports[${i}]`;
    const nameProblem = typeof p?.name === 'string' ? portNameProblem(p.name) : 'must be a string';
    if (nameProblem) throw new ConfigurationError(scope, `${prop}.name`, nameProblem, p?.name, 'Use a short lowercase name such as "http".');
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new ConfigurationError(scope, `${prop}.port`, 'must be an integer in 1-65535', p.port, 'Use the port the process listens on, e.g. 8080.');
    const earlier = ports.slice(0, i).find((q) => q.name === p.name || q.port === p.port);
    if (earlier) throw new ConfigurationError(scope, prop, `repeats ${earlier.name === p.name ? `the name "${p.name}"` : `port ${p.port}`} of another port`, p, 'Give every port its own name and number.');
  });
  return ports.map((p) => ({ name: p.name, port: p.port, expose: p.expose ?? true }));
}

function resolveProbes(scope: IConstruct, props: StatelessWorkloadProps, ports: WorkloadPort[]): ResolvedProbes | undefined {
  const probes = props.probes;
  if (probes === undefined) {
    if (ports.length === 0) return undefined;
    const tcp = ProbeHandler.tcp(ports[0].port);
    return { readiness: tcp, liveness: tcp, timings: { ...PROBE_TIMINGS.service } };
  }
  if (!(probes.readiness instanceof ProbeHandler)) throw new ConfigurationError(scope, 'probes.readiness', 'must be a ProbeHandler', probes.readiness, 'Use e.g. ProbeHandler.http(\'/healthz\', 8080).');
  if (probes.liveness !== undefined && !(probes.liveness instanceof ProbeHandler)) throw new ConfigurationError(scope, 'probes.liveness', 'must be a ProbeHandler', probes.liveness, 'Use e.g. ProbeHandler.tcp(8080).');
  const timings = {
    startup: probes.timings?.startup ?? PROBE_TIMINGS.service.startup,
    readiness: probes.timings?.readiness ?? PROBE_TIMINGS.service.readiness,
    liveness: probes.timings?.liveness ?? PROBE_TIMINGS.service.liveness,
  };
  for (const role of ['startup', 'readiness', 'liveness'] as const) validateProbeTimings(scope, `probes.timings.${role}`, timings[role], role);
  return { readiness: probes.readiness, liveness: probes.liveness ?? probes.readiness, timings };
}

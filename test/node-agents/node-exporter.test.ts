/** NodeExporterDaemon: the synthesized DaemonSet, field by field. */
import { Chart, Testing } from 'cdk8s';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';
import { NodeExporterDaemon, NodeExporterDaemonProps } from '../../lib';

function synth(props: NodeExporterDaemonProps = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const agent = new NodeExporterDaemon(chart, 'node-exporter', props);
  const manifests = synthValid(chart, { production: true, restricted: true, restrictedExemptions: ['DaemonSet/node-exporter'] });
  const ds = findManifest(manifests, 'DaemonSet', 'node-exporter');
  return { agent, manifests, ds, pod: ds.spec.template.spec as Manifest, container: ds.spec.template.spec.containers[0] as Manifest };
}

test('pinned image in the monitoring namespace', () => {
  const { container, ds } = synth();
  expect(container.image).toBe('prom/node-exporter:v1.8.2');
  expect(container.name).toBe('node-exporter');
  expect(ds.metadata.namespace).toBe('monitoring');
});

test('host namespaces: network and PID', () => {
  const { pod } = synth();
  expect(pod).toMatchObject({ hostNetwork: true, hostPID: true, dnsPolicy: 'ClusterFirstWithHostNet' });
});

test('/proc, /sys and / mounted read-only under /host, root with HostToContainer propagation', () => {
  const { pod, container } = synth();
  expect(pod.volumes).toEqual([
    { name: 'proc', hostPath: { path: '/proc', type: 'Directory' } },
    { name: 'sys', hostPath: { path: '/sys', type: 'Directory' } },
    { name: 'root', hostPath: { path: '/', type: 'Directory' } },
  ]);
  expect(container.volumeMounts).toEqual([
    { name: 'proc', mountPath: '/host/proc', readOnly: true },
    { name: 'sys', mountPath: '/host/sys', readOnly: true },
    { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
  ]);
});

test('arguments point the collectors at the host mounts', () => {
  const { container, agent } = synth();
  expect(container.args.slice(0, 4)).toEqual(['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', '--web.listen-address=:9100']);
  expect(agent.args).toEqual(container.args);
});

test('extraArgs are appended', () => {
  expect(synth({ extraArgs: ['--collector.systemd'] }).container.args).toContain('--collector.systemd');
});

test('port 9100 for the container, probes and scrape annotations', () => {
  const { container, ds } = synth();
  expect(container.ports).toEqual([{ containerPort: 9100, name: 'http' }]);
  expect(container.readinessProbe.httpGet).toEqual({ path: '/', port: 9100, scheme: 'HTTP' });
  expect(container.livenessProbe.httpGet).toEqual({ path: '/', port: 9100, scheme: 'HTTP' });
  expect(ds.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9100', 'prometheus.io/path': '/metrics' });
});

test('a custom port moves the listener, probes and annotations together', () => {
  const { container, ds } = synth({ port: 9101 });
  expect(container.args).toContain('--web.listen-address=:9101');
  expect(container.livenessProbe.httpGet.port).toBe(9101);
  expect(ds.spec.template.metadata.annotations['prometheus.io/port']).toBe('9101');
});

test('resources: requests 50m / 64Mi, limits 100m / 128Mi', () => {
  expect(synth().container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
});

test('security: uid/gid 65534, non-root, read-only root filesystem, ALL dropped, seccomp RuntimeDefault', () => {
  const { container, pod } = synth();
  expect(container.securityContext).toEqual({
    runAsUser: 65534, runAsGroup: 65534, runAsNonRoot: true, allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
  });
  expect(pod.securityContext).toMatchObject({ runAsUser: 65534, runAsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
});

test('tolerates every taint, on Linux nodes, no API token, no RBAC', () => {
  const { pod, manifests } = synth();
  expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
  expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(manifests.map((m) => m.kind).sort()).toEqual(['DaemonSet', 'ServiceAccount']);
});

test('error: a port outside 1-65535', () => {
  expect(() => new NodeExporterDaemon(new Chart(Testing.app(), 'test'), 'node-exporter', { port: 0 })).toThrow(/test\/node-exporter: port must be an integer in 1-65535 \(got 0\)/);
});

import { ApiObject, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import * as kubePod from '../../lib/kube/pod';
import * as kubeStatefulSet from '../../lib/kube/stateful-set';
import * as kubeService from '../../lib/kube/service';
import * as kubeJob from '../../lib/kube/job';
import * as kubeDaemonSet from '../../lib/kube/daemon-set';
import * as kubeDisruptionBudget from '../../lib/kube/disruption-budget';

const patches = { ...kubePod, ...kubeStatefulSet, ...kubeService, ...kubeJob, ...kubeDaemonSet, ...kubeDisruptionBudget };
import { applyStableSelector } from '../../lib/defaults';
import { testing } from '../../lib';

const LABELS = { 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/instance': 'demo', 'app.kubernetes.io/component': 'test' };

function statefulSet() {
  const chart = Testing.chart();
  const service = new kplus.Service(chart, 'hl', { metadata: { name: 'demo-hl' }, clusterIP: 'None', ports: [{ name: 'tcp', port: 80 }] });
  const sts = new kplus.StatefulSet(chart, 'sts', { metadata: { name: 'demo' }, service, select: false });
  const container = sts.addContainer({ name: 'app', image: 'nginx:1.27', portNumber: 80 });
  container.mount('/tmp', kplus.Volume.fromEmptyDir(sts, 'tmp', 'tmp'));
  applyStableSelector(sts, LABELS, [service]);
  return { chart, sts, service, container };
}

const synth = (chart: ReturnType<typeof Testing.chart>) => testing.Harness.assertValidManifests(Testing.synth(chart));
const podSpec = (m: any) => m.spec.template.spec;

describe('gap layer: StatefulSet', () => {
  test('volumeClaimTemplates keep the storage quantity (Quantity trap) and claim mounts append', () => {
    const { chart, sts, container } = statefulSet();
    patches.setVolumeClaimTemplates(sts, [{ name: 'data', storage: Size.gibibytes(10), storageClassName: 'fast' }, { name: 'wal', storage: Size.mebibytes(1536) }]);
    patches.mountClaim(sts, container, { claimName: 'data', path: '/data', subPath: 'pgdata' });
    const m = testing.Harness.findManifest(synth(chart), 'StatefulSet', 'demo');
    expect(m.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } },
      { metadata: { name: 'wal' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1536Mi' } } } },
    ]);
    expect(podSpec(m).containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/data', subPath: 'pgdata' }]);
  });
  test('mountClaim refuses a container without mounts (the patch would replace, not append)', () => {
    const chart = Testing.chart();
    const sts = new kplus.StatefulSet(chart, 'sts', { containers: [{ image: 'nginx:1.27', portNumber: 80 }] });
    expect(() => patches.mountClaim(sts, sts.containers[0], { claimName: 'data', path: '/data' })).toThrow(/mount a cdk8s-plus volume into container "main" before mountClaim/);
  });
  test('retention policy and publishNotReadyAddresses', () => {
    const { chart, sts, service } = statefulSet();
    patches.setPvcRetentionPolicy(sts, patches.PvcRetention.RETAIN, patches.PvcRetention.DELETE);
    patches.setPublishNotReadyAddresses(service);
    const manifests = synth(chart);
    const m = testing.Harness.findManifest(manifests, 'StatefulSet', 'demo');
    expect(m.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect(testing.Harness.findManifest(manifests, 'Service', 'demo-hl').spec.publishNotReadyAddresses).toBe(true);
  });
  test('stable selector: no construct-path label anywhere', () => {
    const { chart } = statefulSet();
    const text = JSON.stringify(synth(chart));
    expect(text).not.toContain('cdk8s.io/metadata.addr');
    const manifests = synth(chart);
    expect(testing.Harness.findManifest(manifests, 'Service', 'demo-hl').spec.selector).toEqual(LABELS);
    expect(testing.Harness.findManifest(manifests, 'StatefulSet', 'demo').spec.selector.matchLabels).toEqual(LABELS);
  });
});

describe('gap layer: pod template fields', () => {
  test('nodeSelector, priorityClassName, tolerations, affinity, spread and seccomp land in the pod spec', () => {
    const { chart, sts } = statefulSet();
    patches.setNodeSelector(sts, { disktype: 'ssd' });
    patches.setPriorityClassName(sts, 'high-priority');
    patches.setTolerations(sts, [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }]);
    patches.setTopologySpreadConstraints(sts, [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: LABELS } }]);
    patches.setPodSeccompRuntimeDefault(sts);
    const pod = podSpec(testing.Harness.findManifest(synth(chart), 'StatefulSet', 'demo'));
    expect(pod.nodeSelector).toEqual({ disktype: 'ssd' });
    expect(pod.priorityClassName).toBe('high-priority');
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }]);
    expect(pod.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });
  test('hostPID is patched under its TypeScript name and renders as hostPID', () => {
    const chart = Testing.chart();
    const ds = new kplus.DaemonSet(chart, 'ds', { containers: [{ image: 'busybox:1.36' }] });
    patches.setHostPid(ds);
    const pod = Testing.synth(chart)[0].spec.template.spec;
    expect(pod.hostPID).toBe(true);
    expect(pod.hostPid).toBeUndefined();
  });
  test('CronJob pod spec path goes through the job template', () => {
    const chart = Testing.chart();
    const cron = new kplus.CronJob(chart, 'cron', { schedule: { expressionString: '0 1 * * *' } as never, containers: [{ image: 'busybox:1.36' }] });
    expect(patches.podSpecPath(cron)).toBe('/spec/jobTemplate/spec/template/spec');
    patches.setPriorityClassName(cron, 'low');
    const m = Testing.synth(chart).find((x) => x.kind === 'CronJob');
    expect(m.spec.jobTemplate.spec.template.spec.priorityClassName).toBe('low');
  });
});

describe('gap layer: Job, DaemonSet, PDB', () => {
  test('Job completions, parallelism, completionMode and podFailurePolicy survive the 1.27 typings', () => {
    const chart = Testing.chart();
    const job = new kplus.Job(chart, 'job', { containers: [{ image: 'busybox:1.36' }] });
    patches.setJobSpecExtras(job, {
      completions: 100, parallelism: 10, completionMode: patches.CompletionMode.INDEXED, suspend: true,
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
    });
    const spec = Testing.synth(chart).find((x) => x.kind === 'Job').spec;
    expect(spec).toMatchObject({ completions: 100, parallelism: 10, completionMode: 'Indexed', suspend: true });
    expect(spec.podFailurePolicy.rules[0]).toEqual({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] });
  });
  test('a CronJob job template gets ttlSecondsAfterFinished despite cdk8s-plus refusing it with history limits', () => {
    const chart = Testing.chart();
    const cron = new kplus.CronJob(chart, 'cron', { schedule: { expressionString: '0 1 * * *' } as never, containers: [{ image: 'busybox:1.36' }], successfulJobsRetained: 3 });
    patches.setJobSpecExtras(cron, { ttlSecondsAfterFinished: 3600, parallelism: 1 });
    const spec = Testing.synth(chart)[0].spec;
    expect(spec.jobTemplate.spec).toMatchObject({ ttlSecondsAfterFinished: 3600, parallelism: 1 });
    expect(spec.successfulJobsHistoryLimit).toBe(3);
  });
  test('DaemonSet update strategy keeps IntOrString values (percent and number)', () => {
    const chart = Testing.chart();
    const ds = new kplus.DaemonSet(chart, 'ds', { containers: [{ image: 'busybox:1.36' }] });
    patches.setDaemonSetUpdateStrategy(ds, { maxUnavailable: k8s.IntOrString.fromString('10%'), maxSurge: k8s.IntOrString.fromNumber(0) });
    expect(Testing.synth(chart)[0].spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } });
    const onDelete = Testing.chart();
    patches.setDaemonSetUpdateStrategy(new kplus.DaemonSet(onDelete, 'ds', { containers: [{ image: 'busybox:1.36' }] }), undefined);
    expect(Testing.synth(onDelete)[0].spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });
  test('the trap this layer avoids: a raw string for an IntOrString is dropped by the typings', () => {
    const chart = Testing.chart();
    const ds = new kplus.DaemonSet(chart, 'ds', { containers: [{ image: 'busybox:1.36' }] });
    ApiObject.of(ds).addJsonPatch(JsonPatch.add('/spec/updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } }));
    expect(Testing.synth(chart)[0].spec.updateStrategy.rollingUpdate.maxUnavailable).toBeUndefined();
  });
  test('PodDisruptionBudget keeps the IntOrString bound', () => {
    const chart = Testing.chart();
    patches.createPodDisruptionBudget(chart, 'pdb', { selectorLabels: LABELS, maxUnavailable: k8s.IntOrString.fromNumber(1) });
    expect(Testing.synth(chart)[0].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: LABELS } });
  });
});

import * as kplus from 'cdk8s-plus-27';
import { ApiObject, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { BatchJob, BatchJobProps, IndexedJobOptions, JobPattern, JobRestartPolicy } from '../../lib';
import { jobNameProblem } from '../../lib/kube/names';
import { presetResources, ResourcePreset } from '../../lib/defaults';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';

const IMAGE = 'ghcr.io/example/worker:1.0.0';

function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}

function job(props: Partial<BatchJobProps> & { pattern: JobPattern }, name = 'work'): { job: BatchJob; manifest: Manifest; manifests: Manifest[] } {
  const c = chart();
  const built = new BatchJob(c, 'job', { name, image: IMAGE, ...props });
  const manifests = synthValid(c, { restricted: true, production: true });
  return { job: built, manifest: findManifest(manifests, 'Job', name), manifests };
}

function mainContainer(manifest: Manifest): Manifest {
  return manifest.spec.template.spec.containers.find((c: Manifest) => c.name === 'main');
}

function envOf(container: Manifest): Record<string, Manifest> {
  return Object.fromEntries((container.env ?? []).map((e: Manifest) => [e.name, e]));
}

describe('BatchJob defaults', () => {
  test('snapshot of a single-run job with every default', () => {
    const c = chart();
    new BatchJob(c, 'job', { name: 'once', pattern: JobPattern.singleRun(), image: IMAGE });
    expect(synthValid(c, { restricted: true, production: true })).toMatchSnapshot();
  });

  test('explicit production settings: backoffLimit, deadline, ttl, restartPolicy Never', () => {
    const { manifest } = job({ pattern: JobPattern.singleRun() });
    expect(manifest.spec.backoffLimit).toBe(6);
    expect(manifest.spec.activeDeadlineSeconds).toBe(3600);
    expect(manifest.spec.ttlSecondsAfterFinished).toBe(86400);
    expect(manifest.spec.template.spec.restartPolicy).toBe('Never');
    expect(manifest.spec.suspend).toBeUndefined();
  });

  test('settings are overridable', () => {
    const { manifest } = job({
      pattern: JobPattern.singleRun(),
      backoffLimit: 0,
      activeDeadline: Duration.minutes(10),
      ttlAfterFinished: Duration.seconds(0),
      restartPolicy: JobRestartPolicy.ON_FAILURE,
      suspend: true,
    });
    expect(manifest.spec.backoffLimit).toBe(0);
    expect(manifest.spec.activeDeadlineSeconds).toBe(600);
    expect(manifest.spec.ttlSecondsAfterFinished).toBe(0);
    expect(manifest.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(manifest.spec.suspend).toBe(true);
  });

  test('resources default to the SMALL preset and are overridable', () => {
    expect(mainContainer(job({ pattern: JobPattern.singleRun() }).manifest).resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    const { manifest } = job({ pattern: JobPattern.singleRun(), resources: presetResources(ResourcePreset.LARGE) });
    expect(mainContainer(manifest).resources).toEqual({ requests: { cpu: '1000m', memory: '2048Mi' }, limits: { cpu: '2000m', memory: '4096Mi' } });
  });

  test('restricted security context for uid/gid 65532 by default, and a custom user', () => {
    const { manifest } = job({ pattern: JobPattern.singleRun() });
    const pod = manifest.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(mainContainer(manifest).securityContext).toMatchObject({
      runAsUser: 65532, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    const custom = job({ pattern: JobPattern.singleRun(), user: { uid: 1001, gid: 2002 } }).manifest;
    expect(custom.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 2002, fsGroup: 2002 });
    expect(mainContainer(custom).securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 2002 });
  });

  test('/tmp is a writable emptyDir (the root filesystem is read-only)', () => {
    const { manifest } = job({ pattern: JobPattern.singleRun() });
    expect(mainContainer(manifest).volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(manifest.spec.template.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('custom writable paths replace /tmp', () => {
    const { manifest } = job({ pattern: JobPattern.singleRun(), writablePaths: [{ path: '/cache', volumeName: 'cache', sizeLimit: Size.gibibytes(1) }] });
    expect(mainContainer(manifest).volumeMounts).toEqual([{ mountPath: '/cache', name: 'cache' }]);
  });

  test('recommended labels on the Job and its pod template; no path label, no selector', () => {
    const { manifest } = job({ pattern: JobPattern.singleRun(), appName: 'reports', component: 'exporter', partOf: 'billing' });
    const expected = {
      'app.kubernetes.io/name': 'reports',
      'app.kubernetes.io/instance': 'work',
      'app.kubernetes.io/component': 'exporter',
      'app.kubernetes.io/part-of': 'billing',
      'app.kubernetes.io/managed-by': 'cdk8s-workloads',
    };
    expect(manifest.metadata.labels).toEqual(expected);
    expect(manifest.spec.template.metadata.labels).toEqual(expected);
    // Jobs generate their own selector; one written by us would need manualSelector: true.
    expect(manifest.spec.selector).toBeUndefined();
    expect(manifest.spec.manualSelector).toBeUndefined();
  });

  test('without a name the Job is named after the construct id, never a hash (which would reach the labels)', () => {
    const c = chart();
    const built = new BatchJob(c, 'batch-processor', { pattern: JobPattern.singleRun(), image: IMAGE });
    const manifest = findManifest(synthValid(c, { restricted: true, production: true }), 'Job', 'batch-processor');
    expect(built.jobName).toBe('batch-processor');
    expect(manifest.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'batch-processor', 'app.kubernetes.io/name': 'batch-processor' });
    expect(JSON.stringify(manifest)).not.toMatch(/batch-processor-[0-9a-f]{8}/);
  });
  test('a construct id that is not a DNS label needs an explicit name', () => {
    expect(() => new BatchJob(chart(), 'BatchProcessor', { pattern: JobPattern.singleRun(), image: IMAGE }))
      .toThrow(/test\/BatchProcessor: name \(the construct id\) must be lowercase alphanumeric or "-".*\(got "BatchProcessor"\)\. Pass a `name`/);
  });

  test('the kplus Job is exposed: escape-hatch round trip', () => {
    const c = chart();
    const built = new BatchJob(c, 'job', { name: 'patched', pattern: JobPattern.singleRun(), image: IMAGE });
    expect(built.job).toBeInstanceOf(kplus.Job);
    ApiObject.of(built.job).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'batch-low'));
    const manifest = findManifest(synthValid(c, { restricted: true, production: true }), 'Job', 'patched');
    expect(manifest.spec.template.spec.priorityClassName).toBe('batch-low');
    expect(manifest.spec.backoffLimit).toBe(6);
  });
});

describe('Job patterns', () => {
  test('single run: completions 1, parallelism 1, NonIndexed', () => {
    const { manifest } = job({ pattern: JobPattern.singleRun() });
    expect(manifest.spec).toMatchObject({ completions: 1, parallelism: 1, completionMode: 'NonIndexed' });
  });

  test('fixed completions: completions N, parallelism default 1 and explicit', () => {
    expect(job({ pattern: JobPattern.fixedCompletions({ completions: 5 }) }).manifest.spec).toMatchObject({ completions: 5, parallelism: 1, completionMode: 'NonIndexed' });
    expect(job({ pattern: JobPattern.fixedCompletions({ completions: 5, parallelism: 5 }) }).manifest.spec).toMatchObject({ completions: 5, parallelism: 5 });
  });

  test('work queue: parallelism N, completions unset, queue address in an env var', () => {
    const { manifest } = job({
      pattern: JobPattern.workQueue({ parallelism: 4, queueAddress: 'redis://jobs-queue:6379/0' }),
      args: ['--queue=$(QUEUE_ADDRESS)'],
    });
    expect(manifest.spec.parallelism).toBe(4);
    expect('completions' in manifest.spec).toBe(false);
    expect(manifest.spec.completionMode).toBe('NonIndexed');
    expect(envOf(mainContainer(manifest)).QUEUE_ADDRESS).toEqual({ name: 'QUEUE_ADDRESS', value: 'redis://jobs-queue:6379/0' });
    expect(mainContainer(manifest).args).toEqual(['--queue=$(QUEUE_ADDRESS)']);
  });

  test('work queue with a custom env var name', () => {
    const { manifest } = job({ pattern: JobPattern.workQueue({ parallelism: 2, queueAddress: 'amqp://mq:5672', queueAddressEnv: 'BROKER_URL' }) });
    expect(envOf(mainContainer(manifest)).BROKER_URL.value).toBe('amqp://mq:5672');
    expect(envOf(mainContainer(manifest)).QUEUE_ADDRESS).toBeUndefined();
  });

  test('indexed, canonical case: 100 partitions, 10 workers, 250m/256Mi, index from the downward API', () => {
    const { manifest } = job({
      pattern: JobPattern.indexed({ completions: 100, parallelism: 10 }),
      command: ['python', 'process.py', '--partition=$(JOB_COMPLETION_INDEX)', '--total=100'],
      resources: presetResources(ResourcePreset.SMALL),
      env: { LOG_LEVEL: kplus.EnvValue.fromValue('info') },
    });
    expect(manifest.spec).toMatchObject({ completionMode: 'Indexed', completions: 100, parallelism: 10 });
    const container = mainContainer(manifest);
    expect(container.resources.requests).toEqual({ cpu: '250m', memory: '256Mi' });
    const env = envOf(container);
    expect(env.JOB_COMPLETION_INDEX).toEqual({
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
    });
    expect(env.JOB_COMPLETIONS).toEqual({ name: 'JOB_COMPLETIONS', value: '100' });
    expect(env.LOG_LEVEL.value).toBe('info');
    expect(container.command).toEqual(['python', 'process.py', '--partition=$(JOB_COMPLETION_INDEX)', '--total=100']);
  });

  test('indexed parallelism defaults to 1', () => {
    expect(job({ pattern: JobPattern.indexed({ completions: 3 }) }).manifest.spec).toMatchObject({ completions: 3, parallelism: 1 });
  });

  test('longest pod names: <name>[-<largest index>]-xxxxx within 63 characters', () => {
    expect(jobNameProblem('r'.repeat(54), 99)).toBeUndefined();
    expect(jobNameProblem('r'.repeat(55), 99)).toBe(`makes pod names like "${'r'.repeat(55)}-99-xxxxx" 64 characters long; at most 63 are allowed`);
    expect(jobNameProblem('r'.repeat(57))).toBeUndefined();
    expect(jobNameProblem('r'.repeat(58))).toMatch(/"r{58}-xxxxx" 64 characters long/);
  });

  test('names at the length limit are accepted', () => {
    expect(job({ pattern: JobPattern.singleRun() }, 'a'.repeat(57)).manifest.metadata.name).toHaveLength(57);
    expect(job({ pattern: JobPattern.indexed({ completions: 100 }) }, 'b'.repeat(54)).manifest.metadata.name).toHaveLength(54);
  });
});

describe('BatchJob errors', () => {
  const build = (props: Partial<BatchJobProps>) => () => new BatchJob(chart(), 'job', { name: 'work', image: IMAGE, pattern: JobPattern.singleRun(), ...props });

  test('completions < 1', () => {
    expect(build({ pattern: JobPattern.fixedCompletions({ completions: 0 }) })).toThrow(/test\/job: pattern\.completions must be an integer >= 1 \(got 0\)/);
  });
  test('non-integer completions', () => {
    expect(build({ pattern: JobPattern.indexed({ completions: 2.5 }) })).toThrow(/pattern\.completions must be an integer >= 1 \(got 2\.5\)/);
  });
  test('parallelism < 1', () => {
    expect(build({ pattern: JobPattern.workQueue({ parallelism: 0, queueAddress: 'redis://q:6379' }) })).toThrow(/pattern\.parallelism must be an integer >= 1 \(got 0\)/);
  });
  test('non-integer parallelism', () => {
    expect(build({ pattern: JobPattern.fixedCompletions({ completions: 4, parallelism: 1.5 }) })).toThrow(/pattern\.parallelism must be an integer >= 1 \(got 1\.5\)/);
  });
  test('parallelism above completions is an error, not clamped', () => {
    expect(build({ pattern: JobPattern.fixedCompletions({ completions: 3, parallelism: 5 }) })).toThrow(/pattern\.parallelism must not exceed completions \(3\) \(got 5\)\. Lower parallelism to at most 3/);
  });
  test('Indexed without completions', () => {
    expect(build({ pattern: JobPattern.indexed({ parallelism: 10 } as unknown as IndexedJobOptions) })).toThrow(/pattern\.completions is required for an Indexed Job \(got nothing\)/);
  });
  test('Indexed with more than 100000 completions', () => {
    expect(build({ pattern: JobPattern.indexed({ completions: 100001, parallelism: 10 }) })).toThrow(/pattern\.completions must be at most 100000 for an Indexed Job/);
  });
  test('work queue without an address', () => {
    expect(build({ pattern: JobPattern.workQueue({ parallelism: 2, queueAddress: '' }) })).toThrow(/pattern\.queueAddress must not be empty/);
  });
  test('pod labels Kubernetes would reject', () => {
    expect(build({ podLabels: { team: 'orders team' } })).toThrow(/podLabels\["team"\] must be alphanumeric/);
  });
  test('work queue with an invalid env var name', () => {
    expect(build({ pattern: JobPattern.workQueue({ parallelism: 2, queueAddress: 'redis://q', queueAddressEnv: 'queue-url' }) })).toThrow(/pattern\.queueAddressEnv is not a valid env var name \(got "queue-url"\)/);
  });
  test('a name whose pod names exceed 63 characters', () => {
    expect(build({ name: 'a'.repeat(58) })).toThrow(/name makes pod names like "a{58}-xxxxx" 64 characters long; at most 63 are allowed/);
  });
  test('an Indexed name whose highest-index pod name exceeds 63 characters', () => {
    expect(build({ name: 'b'.repeat(55), pattern: JobPattern.indexed({ completions: 100 }) })).toThrow(/name makes pod names like "b{55}-99-xxxxx" 64 characters long/);
  });
  test('a name that is not a DNS label', () => {
    expect(build({ name: 'Nightly_Report' })).toThrow(/name must be lowercase alphanumeric or "-"/);
  });
  test('activeDeadline of zero', () => {
    expect(build({ activeDeadline: Duration.seconds(0) })).toThrow(/activeDeadline must be at least 1 second\(s\) \(got "0s"\)/);
  });
  test('activeDeadline that is not whole seconds', () => {
    expect(build({ activeDeadline: Duration.millis(1500) })).toThrow(/activeDeadline must be a whole number of seconds \(got "1\.5s"\)/);
  });
  test('a negative ttl cannot even be expressed: cdk8s Duration rejects it', () => {
    expect(() => build({ ttlAfterFinished: Duration.seconds(-1) })()).toThrow(/Duration amounts cannot be negative/);
  });
  test('ttlAfterFinished that is not whole seconds', () => {
    expect(build({ ttlAfterFinished: Duration.millis(500) })).toThrow(/ttlAfterFinished must be a whole number of seconds/);
  });
  test('negative backoffLimit', () => {
    expect(build({ backoffLimit: -1 })).toThrow(/backoffLimit must be an integer >= 0 \(got -1\)/);
  });
  test('root user', () => {
    expect(build({ user: { uid: 0, gid: 0 } })).toThrow(/user\.uid must be a non-root integer >= 1 \(got 0\)/);
  });
  test('env that redefines a variable the pattern sets', () => {
    expect(build({ pattern: JobPattern.indexed({ completions: 4 }), env: { JOB_COMPLETION_INDEX: kplus.EnvValue.fromValue('0') } }))
      .toThrow(/env\.JOB_COMPLETION_INDEX is set by the indexed pattern/);
  });
  test('an unpinned image', () => {
    expect(build({ image: 'ghcr.io/example/worker:latest' })).toThrow(/test\/job: image uses the "latest" tag/);
  });
  test('resources with a request above the limit', () => {
    expect(build({ resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) } } }))
      .toThrow(/test\/job: resources.cpu has a request above its limit/);
  });
});

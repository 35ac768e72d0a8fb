import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { testing } from '../../lib';

const { validateManifests, schemaProblems, restrictedPodSecurityProblems, productionProblems } = testing.Harness;

function statefulSet(overrides: Record<string, unknown> = {}, podOverrides: Record<string, unknown> = {}, containerOverrides: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', labels: { app: 'db' } },
    spec: {
      serviceName: 'db-hl',
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: {
          containers: [{ name: 'main', image: 'postgres:16', ports: [{ name: 'pg', containerPort: 5432 }], ...containerOverrides }],
          ...podOverrides,
        },
      },
      ...overrides,
    },
  };
}

describe('schema validation', () => {
  test('a valid manifest has no problems', () => {
    expect(validateManifests([statefulSet()])).toEqual([]);
  });
  test('unknown fields are rejected at any depth', () => {
    const problems = schemaProblems(statefulSet({ replica: 3 }, {}, { imagePullPolicyy: 'Always' }));
    expect(problems).toContain('unknown field /spec/replica');
    expect(problems).toContain('unknown field /spec/template/spec/containers/0/imagePullPolicyy');
  });
  test('wrong types are rejected', () => {
    expect(schemaProblems(statefulSet({ replicas: 'three' })).join()).toMatch(/replicas/);
  });
  test('a missing required field is rejected', () => {
    const m = statefulSet();
    delete (m.spec as Record<string, unknown>).selector;
    expect(schemaProblems(m).join()).toMatch(/selector/);
  });
  test('an unknown kind is reported', () => {
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(['no Kubernetes schema for apiVersion "example.com/v1" kind "Widget"']);
  });
  test('maps (labels, resources) are not mistaken for unknown fields', () => {
    const m = statefulSet({}, {}, { resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } });
    expect(schemaProblems(m)).toEqual([]);
  });
});

describe('API-server rules', () => {
  const problems = (m: object) => validateManifests([m as never]).join('\n');
  test('selector must match the template labels', () => {
    expect(problems(statefulSet({ selector: { matchLabels: { app: 'other' } } }))).toMatch(/spec.selector app=other does not match/);
  });
  test('an empty selector is rejected', () => {
    expect(problems(statefulSet({ selector: {} }))).toMatch(/selector is empty/);
  });
  test('StatefulSet names must be DNS labels', () => {
    const m = statefulSet();
    m.metadata.name = 'x'.repeat(64);
    expect(problems(m)).toMatch(/64 characters long/);
  });
  test('Service names must start with a letter', () => {
    expect(problems({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1db' }, spec: { ports: [{ port: 80 }] } })).toMatch(/must start with a letter/);
  });
  test('label values are checked', () => {
    const m = statefulSet();
    m.metadata.labels = { app: '-bad' };
    expect(problems(m)).toMatch(/metadata.labels\["app"\] value "-bad"/);
  });
  test('label keys are checked', () => {
    const m = statefulSet();
    m.metadata.labels = { 'Bad_Prefix/app': 'x' } as never;
    expect(problems(m)).toMatch(/not a DNS subdomain/);
  });
  test('apps workloads must restart Always', () => {
    expect(problems(statefulSet({}, { restartPolicy: 'Never' }))).toMatch(/must be Always/);
  });
  test('Jobs must restart Never or OnFailure', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'm', image: 'busybox:1' }] } } } };
    expect(problems(job)).toMatch(/Never or OnFailure/);
  });
  test('pod failure policy rules: no exit code 0 with In, sorted unique values, at most 20 rules', () => {
    const job = (rules: object[]) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { podFailurePolicy: { rules }, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'busybox:1' }] } } } });
    const rule = (operator: string, values: number[]) => ({ action: 'FailJob', onExitCodes: { operator, values } });
    expect(problems(job([rule('In', [0, 1])]))).toMatch(/rule 0 may not match exit code 0 with In/);
    expect(problems(job([rule('NotIn', [0, 1])]))).not.toMatch(/podFailurePolicy/);
    expect(problems(job([rule('In', [3, 2])]))).toMatch(/rule 0 exit codes must be unique and sorted ascending/);
    expect(problems(job(Array.from({ length: 21 }, () => rule('In', [1]))))).toMatch(/has 21 rules; at most 20/);
  });
  test('a Job selector needs manualSelector', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'busybox:1' }] } } } };
    expect(problems(job)).toMatch(/requires manualSelector: true/);
  });
  test('podFailurePolicy requires Never and Indexed requires completions', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { completionMode: 'Indexed', podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'm', image: 'busybox:1' }] } } } };
    expect(problems(job)).toMatch(/podFailurePolicy requires restartPolicy Never/);
    expect(problems(job)).toMatch(/Indexed requires completions/);
  });
  test('probes need exactly one handler and liveness successThreshold 1', () => {
    const probe = { exec: { command: ['true'] }, httpGet: { path: '/', port: 80 }, successThreshold: 2 };
    const text = problems(statefulSet({}, {}, { livenessProbe: probe }));
    expect(text).toMatch(/exactly one handler \(has exec, httpGet\)/);
    expect(text).toMatch(/successThreshold must be 1/);
  });
  test('init containers may not have probes', () => {
    expect(problems(statefulSet({}, { initContainers: [{ name: 'init', image: 'busybox:1', readinessProbe: { exec: { command: ['true'] } } }] }))).toMatch(/may not have a readinessProbe/);
  });
  test('ports must be in range and port names at most 15 characters', () => {
    const text = problems(statefulSet({}, {}, { ports: [{ name: 'a-very-long-port-name', containerPort: 70000 }] }));
    expect(text).toMatch(/outside 1-65535/);
    expect(text).toMatch(/port names allow at most 15/);
  });
  test('requests may not exceed limits', () => {
    expect(problems(statefulSet({}, {}, { resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } } }))).toMatch(/memory request 1Gi is above its limit 512Mi/);
  });
  test('volume mounts must refer to a volume or a claim template', () => {
    expect(problems(statefulSet({}, {}, { volumeMounts: [{ name: 'data', mountPath: '/data' }] }))).toMatch(/mounts volume "data"/);
    const withTemplate = statefulSet({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] }, {}, { volumeMounts: [{ name: 'data', mountPath: '/data' }] });
    expect(validateManifests([withTemplate as never])).toEqual([]);
  });
  test('a PDB may not set both fields', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1, maxUnavailable: '120%', selector: { matchLabels: { a: 'b' } } } };
    expect(problems(pdb)).toMatch(/may not set both/);
    expect(problems(pdb)).toMatch(/maxUnavailable 120% is invalid/);
  });
  test('a multi-port Service must name its ports', () => {
    expect(problems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { ports: [{ port: 1 }, { port: 2 }] } })).toMatch(/must name every port/);
  });
  test('a DaemonSet rolling update needs exactly one non-zero bound', () => {
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'm', image: 'x:1' }] } } } };
    expect(problems(ds)).toMatch(/exactly one of maxUnavailable and maxSurge/);
  });
  test('a CronJob name is at most 52 characters', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c'.repeat(53) }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'x:1' }] } } } } } };
    expect(problems(cron)).toMatch(/at most 52/);
  });
  test('two objects with one kind and name collide', () => {
    expect(validateManifests([statefulSet(), statefulSet()] as never)).toContain('StatefulSet/db: defined twice');
  });
});

describe('restricted Pod Security Standard and production checks', () => {
  test('cdk8s-plus defaults fail restricted (no seccomp, no capability drop) and carry injected resources', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    const [deployment] = Testing.synth(chart).filter((m) => m.kind === 'Deployment');
    expect(restrictedPodSecurityProblems(deployment)).toEqual(expect.arrayContaining([
      expect.stringMatching(/needs seccompProfile/),
      expect.stringMatching(/must drop ALL capabilities/),
    ]));
    expect(productionProblems(deployment)).toEqual([expect.stringMatching(/injected default resources/)]);
  });
  test('hostPath and hostNetwork fail restricted', () => {
    const m = statefulSet({}, { hostNetwork: true, volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] });
    expect(restrictedPodSecurityProblems(m)).toEqual(expect.arrayContaining(['hostNetwork is not allowed', 'volume "logs" of type hostPath is not allowed']));
  });
  test('synthValid throws listing the problems', () => {
    const chart = new Chart(Testing.app(), 'c');
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    expect(() => testing.Harness.synthValid(chart, { restricted: true })).toThrow(/problem\(s\) in synthesized manifests:\n {2}Deployment\/c-web-.*restricted: container "main" needs seccompProfile/);
  });
});

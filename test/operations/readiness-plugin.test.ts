/**
 * The cdk8s-cli validation plugin: a unit test with a recorded context, and the real thing
 * end to end: a temporary cdk8s app whose cdk8s.yaml points `validations:` at a LOCAL package
 * (cdk8s-cli accepts an npm name, which it installs from the registry, or a local directory
 * path starting with `./` or `/`; it refuses URLs and version ranges). The package is this
 * library compiled from the working tree with tsc, as `./node_modules/cdk8s-workloads` the way
 * an app that installed it has it. `cdk8s synth` runs the plugin after synth and exits 2 when
 * the report fails.
 */
import { spawnSync, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { ReadinessSeverity, ReadinessValidation } from '../../lib';
import { find, goodManifests, without } from './readiness-fixture';

const root = path.resolve(__dirname, '..', '..');
const version: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

/** What cdk8s-cli's ValidationReport records (the same shape its addViolation/submit take). */
function recordingContext(manifests: string[], metadata: Record<string, { path: string }>) {
  const violations: any[] = [];
  const logged: string[] = [];
  const submitted: { status?: string; metadata?: Record<string, string> } = {};
  return {
    violations, logged, submitted,
    context: {
      manifests, metadata, logger: { log: (m: string) => logged.push(m) },
      report: { addViolation: (v: any) => violations.push(v), submit: (status: string, meta: Record<string, string>) => Object.assign(submitted, { status, metadata: meta }) },
    },
  };
}

describe('ReadinessValidation with a recorded context', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-plugin-'));
  const m = without(goodManifests(), 'PodDisruptionBudget', 'web');
  // A NetworkPolicy named like the StatefulSet: cdk8s-cli's metadata cannot tell them apart.
  m.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'db' } } } });
  find(m, 'StatefulSet', 'db').spec.template.spec.containers[0].image = 'busybox:latest';
  const file = path.join(dir, 'app.k8s.yaml');
  fs.writeFileSync(file, Yaml.stringify(...m));
  const metadata = { web: { path: 'app/web' }, db: { path: 'app/db-policy' } };

  test('one violation per rule and severity, resources named Kind/name, paths only for unique names', async () => {
    const r = recordingContext([file], metadata);
    await new ReadinessValidation({ reportFile: path.join(dir, 'readiness.json') }).validate(r.context);
    expect(r.violations.map((v) => v.ruleName)).toEqual(['[error] pinned-images', '[warning] disruption-budget']);
    expect(r.violations[0].violatingResources).toEqual([{
      resourceName: 'StatefulSet/db (namespace shop)', manifestPath: file,
      locations: ['spec.template.spec.containers[0].image: container "db" image "busybox:latest" uses the "latest" tag'],
    }]);
    expect(r.violations[1].violatingResources[0].locations[0]).toBe('construct app/web');
    expect(r.submitted).toEqual({ status: 'failure', metadata: { errors: '1', warnings: '1', suppressed: '0', failOn: 'error' } });
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'readiness.json'), 'utf8'));
    expect(json.problems.map((p: any) => `${p.kind}/${p.name} ${p.constructPath}`)).toEqual(['Deployment/web app/web', 'StatefulSet/db undefined']);
  });

  test('failOn WARNING fails on warnings alone', async () => {
    find(m, 'StatefulSet', 'db').spec.template.spec.containers[0].image = 'busybox:1.36.1';
    fs.writeFileSync(file, Yaml.stringify(...m));
    const lenient = recordingContext([file], metadata);
    await new ReadinessValidation().validate(lenient.context);
    expect(lenient.submitted.status).toBe('success');
    expect(lenient.violations.map((v) => v.ruleName)).toEqual(['[warning] disruption-budget']);
    const strict = recordingContext([file], metadata);
    await new ReadinessValidation({ failOn: ReadinessSeverity.WARNING }).validate(strict.context);
    expect(strict.submitted.status).toBe('failure');
  });

  test('an unknown property is a ConfigurationError naming it', () => {
    expect(() => new ReadinessValidation({ failon: 'error' } as any)).toThrow(/ReadinessValidation: failon is not a prop of ReadinessValidationProps .*Did you mean `failOn`\?/);
    expect(() => new ReadinessValidation({ failOn: 'fatal' } as any)).toThrow(/failOn must be one of ReadinessSeverity.ERROR, ReadinessSeverity.WARNING/);
  });
});

/** The library compiled from the working tree, as a package directory (what `npm install` leaves in node_modules). */
function compileLibrary(to: string): void {
  execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', path.join(root, 'tsconfig.build.json'), '--outDir', path.join(to, 'build')], { cwd: root, stdio: 'pipe' });
  const copyScripts = (from: string, into: string) => {
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
      if (e.isDirectory()) copyScripts(path.join(from, e.name), path.join(into, e.name));
      else if (e.name.endsWith('.sh')) { fs.mkdirSync(into, { recursive: true }); fs.copyFileSync(path.join(from, e.name), path.join(into, e.name)); }
    }
  };
  copyScripts(path.join(root, 'lib'), path.join(to, 'build'));
  fs.copyFileSync(path.join(root, 'package.json'), path.join(to, 'package.json'));
}

// A hand-written chart of plain ApiObjects beside one of our databases with its backup. With
// BROKEN=1 the Deployment runs an unpinned image (an error) and the StatefulSet `cache`, whose
// PDB and NetworkPolicy share its name, has no backup (an error).
const appSource = `
const { App, Chart, ApiObject, Size, Cron } = require('cdk8s');
const { PostgresCluster, BackupCronJob, BackupSchedule, BackupTarget, Readiness, ReadinessRule } = require('cdk8s-workloads');
const broken = process.env.BROKEN === '1';
const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const db = new PostgresCluster(chart, 'orders-db', { replicas: 2, storage: Size.gibibytes(10) });
new BackupCronJob(chart, 'orders-backup', { database: db, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(20) }) });
const sc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 101 };
const resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
const web = new ApiObject(chart, 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {
  replicas: 1, selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{
    name: 'web', image: broken ? 'nginxinc/nginx-unprivileged' : 'nginxinc/nginx-unprivileged:1.27.0', resources, securityContext: sc, ports: [{ containerPort: 8080 }] }] } } } });
Readiness.suppress(web, ReadinessRule.PROBES, 'static files only; the Service has no other backend');
new ApiObject(chart, 'cache', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache', labels: { 'app.kubernetes.io/component': broken ? 'database' : 'cache' } }, spec: {
  replicas: 2, serviceName: 'cache', selector: { matchLabels: { app: 'cache' } },
  template: { metadata: { labels: { app: 'cache' } }, spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{
    name: 'cache', image: 'redis:7.0.15', resources, securityContext: { ...sc, runAsUser: 999 },
    readinessProbe: { exec: { command: ['redis-cli', 'ping'] } }, livenessProbe: { exec: { command: ['redis-cli', 'ping'] } } }] } } } });
new ApiObject(chart, 'cache-pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'cache' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'cache' } } } });
new ApiObject(chart, 'cache-policy', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'cache' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
app.synth();
`;

const cdk8sYaml = (failOn: string, plugins: string) => `language: typescript
app: node main.js
output: dist
pluginsDirectory: ${plugins}
validations:
  - package: ./node_modules/cdk8s-workloads
    version: ${version}
    class: ReadinessValidation
    properties:
      failOn: ${failOn}
      reportFile: readiness.json
`;

describe('cdk8s synth runs the plugin from a local package', () => {
  let app: string;
  let plugins: string;
  beforeAll(() => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-cli-'));
    // The compiled library and the app resolve cdk8s, cdk8s-plus-27 and constructs from here.
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    compileLibrary(path.join(work, 'cdk8s-workloads'));
    app = path.join(work, 'app');
    fs.mkdirSync(path.join(app, 'node_modules'), { recursive: true });
    fs.symlinkSync(path.join(work, 'cdk8s-workloads'), path.join(app, 'node_modules', 'cdk8s-workloads'), 'dir');
    for (const peer of ['cdk8s', 'cdk8s-plus-27', 'constructs']) fs.symlinkSync(path.join(root, 'node_modules', peer), path.join(app, 'node_modules', peer), 'dir');
    fs.writeFileSync(path.join(app, 'main.js'), appSource);
    // Absolute: cdk8s-cli resolves a relative pluginsDirectory against its own folder.
    plugins = path.join(work, 'plugins');
    fs.mkdirSync(plugins);
  });

  function synth(failOn: string, broken: boolean) {
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), cdk8sYaml(failOn, plugins));
    fs.rmSync(path.join(app, 'readiness.json'), { force: true });
    const run = spawnSync(path.join(root, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], {
      cwd: app, encoding: 'utf8', env: { ...process.env, BROKEN: broken ? '1' : '0', NO_COLOR: '1' },
    });
    const report = fs.existsSync(path.join(app, 'readiness.json')) ? JSON.parse(fs.readFileSync(path.join(app, 'readiness.json'), 'utf8')) : undefined;
    return { status: run.status, out: `${run.stdout}\n${run.stderr}`, report };
  }

  test('errors are listed by kind and fail the synth with status 2; the suppressed probe is absent', () => {
    const { status, out, report } = synth('error', true);
    expect(out).toContain('Validation Report');
    expect(status).toBe(2);
    expect(out).toMatch(/\[error\] pinned-images/);
    expect(out).toContain('Resource Name: Deployment/web (namespace shop)');
    expect(out).toContain('Resource Name: StatefulSet/cache (namespace shop)');
    expect(out).not.toMatch(/\] probes/);
    expect(out).toContain('readiness: suppressed 2 problem(s) of probes on Deployment/web (namespace shop): static files only');
    // orders-db is backed up: the plugin sees it through the backup's NetworkPolicy, without the construct tree.
    expect(report.problems.map((p: any) => `${p.rule} ${p.kind}/${p.name}`)).toEqual([
      'alerts StatefulSet/orders-db', 'alerts CronJob/orders-backup',
      'pinned-images Deployment/web', 'alerts Deployment/web', 'database-backup StatefulSet/cache', 'alerts StatefulSet/cache',
    ]);
    // `cache` names a StatefulSet, a PDB and a NetworkPolicy: no construct path rather than a wrong one.
    expect(report.problems.find((p: any) => p.kind === 'StatefulSet' && p.name === 'cache').constructPath).toBeUndefined();
    expect(report.problems.find((p: any) => p.kind === 'Deployment').constructPath).toBe('shop/web');
    expect(report.suppressed.map((p: any) => `${p.rule} ${p.kind}/${p.name}: ${p.message} (${p.reason})`)).toEqual(['readinessProbe', 'livenessProbe']
      .map((probe) => `probes Deployment/web: container "web" has no ${probe} (static files only; the Service has no other backend)`));
  });

  test('warnings alone pass with failOn error and fail with failOn warning', () => {
    const lenient = synth('error', false);
    expect(lenient.out).toContain('Validations ended succesfully');
    expect(lenient.status).toBe(0);
    expect(lenient.report.summary).toEqual({ errors: 0, warnings: 4, suppressed: 2 });
    const strict = synth('warning', false);
    expect(strict.status).toBe(2);
  });
});

test('additionalManifestFiles must be a list (cdk8s.yaml properties are untyped)', () => {
  expect(() => new ReadinessValidation({ additionalManifestFiles: 'rules.yaml' } as any)).toThrow(/additionalManifestFiles must be a list of YAML files \(got "rules.yaml"\)/);
  expect(() => new ReadinessValidation({ reportFile: 3 } as any)).toThrow(/reportFile must be a string \(got 3\)/);
});

test('additionalManifestFiles: PrometheusRules kept outside the output folder satisfy the alerts rule', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-rules-'));
  const m = goodManifests();
  fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), Yaml.stringify(...without(m, 'PrometheusRule', 'shop-alerts')));
  fs.writeFileSync(path.join(dir, 'rules.yaml'), Yaml.stringify(...m.filter((x) => x.kind === 'PrometheusRule')));
  const bare = recordingContext([path.join(dir, 'app.k8s.yaml')], {});
  await new ReadinessValidation().validate(bare.context);
  expect(bare.violations.map((v) => v.ruleName)).toEqual(['[warning] alerts']);
  const withRules = recordingContext([path.join(dir, 'app.k8s.yaml')], {});
  await new ReadinessValidation({ additionalManifestFiles: [path.join(dir, 'rules.yaml')] }).validate(withRules.context);
  expect(withRules.violations).toEqual([]);
});

/**
 * Proof that what we would publish works for a user. From a fresh copy of the working tree (no
 * build/), `npm pack` (its prepack builds), then install the tarball into an empty cdk8s app in a
 * temporary directory, peers from the npm cache (`--prefer-offline`: this machine reaches only
 * the npm registry, and `npm ci` filled the cache).
 *
 * The app first has no kubernetes-models: it synthesizes, and the harness fails with an error
 * naming the package. Then the app installs kubernetes-models as the error says and the harness
 * validates the same chart.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const ours = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const npmInstall = (cwd: string, ...args: string[]) => run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...args], cwd);

/** What `git clone` would give: tracked and new files of the working tree, without ignored ones (build/, node_modules/). */
function freshCopy(to: string): void {
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter(Boolean);
  for (const file of files) {
    const source = path.join(root, file);
    if (!fs.existsSync(source)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(source, path.join(to, file));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(to, 'node_modules'), 'dir');
}

const userChart = `
  const { App, Chart, Size } = require('cdk8s');
  const { PostgresCluster } = require('cdk8s-workloads');
  const app = new App({ outdir: 'dist' });
  const chart = new Chart(app, 'user', { namespace: 'shop' });
  new PostgresCluster(chart, 'orders-db', { replicas: 2, storage: Size.gibibytes(20) });
`;

/** Runs a script in the app; returns what it printed as JSON on its last line. */
function runInApp(app: string, file: string, source: string): Record<string, unknown> {
  fs.writeFileSync(path.join(app, file), source);
  return JSON.parse(run('node', [file], app).trim().split('\n').pop()!);
}

describe('the packed library in an empty cdk8s app', () => {
  let work: string;
  let app: string;
  let tarball: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-workloads-pack-'));
    const checkout = path.join(work, 'checkout');
    freshCopy(checkout);
    expect(fs.existsSync(path.join(checkout, 'build'))).toBe(false);
    run('npm', ['pack', '--silent', '--pack-destination', work], checkout);
    const tarballs = fs.readdirSync(work).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toEqual([`${ours.name}-${ours.version}.tgz`]);
    tarball = path.join(work, tarballs[0]);

    app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
      name: 'user-app', private: true,
      dependencies: Object.fromEntries(Object.keys(ours.peerDependencies).map((peer) => [peer, ours.devDependencies[peer]])),
    }));
    npmInstall(app, tarball);
  }, 300_000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('npm pack from a fresh checkout builds: the tarball holds the compiled files and the shell assets, no sources or tests', () => {
    const packed = run('tar', ['-tzf', tarball], work).split('\n');
    expect(packed).toEqual(expect.arrayContaining(['package/build/index.js', 'package/build/index.d.ts', 'package/build/testing/index.js', 'package/package.json', 'package/README.md']));
    const scripts = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'lib/*.sh'], root).split('\n').filter(Boolean);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(packed).toContain(`package/build/${script.slice('lib/'.length)}`);
    expect(packed.filter((f) => /^package\/(test|lib|examples|scripts|node_modules)\//.test(f))).toEqual([]);
  });

  test('the published package.json depends on nothing heavy: peers only, kubernetes-models not among them', () => {
    const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], work));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-27', 'constructs']);
    expect(manifest.devDependencies['kubernetes-models']).toBeDefined();
    expect(fs.existsSync(path.join(app, 'node_modules', 'kubernetes-models'))).toBe(false);
  });

  test('no published type declaration imports kubernetes-models (a TypeScript user without it type-checks)', () => {
    const declarations = run('tar', ['-xzOf', tarball, '--wildcards', 'package/build/*.d.ts'], work);
    expect(declarations).toMatch(/export declare class Harness/);
    expect(declarations.match(/(from |import\(|require\(|reference types=)['"]kubernetes-models[^'"]*['"]/g)).toBeNull();
  });

  test('without kubernetes-models the app synthesizes a PostgresCluster', () => {
    const out = runInApp(app, 'synth.js', `${userChart}
      app.synth();
      console.log(JSON.stringify({ loaded: Object.keys(require.cache).filter((f) => f.includes('kubernetes-models')) }));
    `);
    expect(out.loaded).toEqual([]);
    const yaml = fs.readFileSync(path.join(app, 'dist', 'user.k8s.yaml'), 'utf8');
    expect(yaml).toMatch(/^kind: StatefulSet$/m);
    expect(yaml).toMatch(/^ {2}name: orders-db$/m);
    expect(yaml).toMatch(/^kind: PodDisruptionBudget$/m);
  });

  test('without kubernetes-models the harness fails naming the package and the install command; findManifest still works', () => {
    const out = runInApp(app, 'harness-missing.js', `${userChart}
      const { testing } = require('cdk8s-workloads');
      const { Testing } = require('cdk8s');
      const attempt = (f) => { try { f(); return 'no error'; } catch (e) { return e.message; } };
      console.log(JSON.stringify({
        synthValid: attempt(() => testing.Harness.synthValid(chart, { restricted: true })),
        validateManifests: attempt(() => testing.Harness.validateManifests([])),
        schemaProblems: attempt(() => testing.Harness.schemaProblems({ apiVersion: 'v1', kind: 'Service' })),
        publicNames: Object.keys(testing).sort(),
        found: testing.Harness.findManifest(Testing.synth(chart), 'StatefulSet', 'orders-db').kind,
      }));
    `);
    const clear = /needs the package "kubernetes-models", which is not installed .*npm install --save-dev kubernetes-models@~4\.5\.1$/;
    expect(out.synthValid).toMatch(clear);
    expect(out.validateManifests).toMatch(clear);
    expect(out.schemaProblems).toMatch(clear);
    // The public namespace holds only the jsii-visible class (free functions would be dropped for other languages).
    expect(out.publicNames).toEqual(['Harness']);
    expect(out.found).toBe('StatefulSet');
  });

  test('after installing kubernetes-models as the error says, the harness validates the chart', () => {
    npmInstall(app, '--save-dev', `kubernetes-models@${ours.devDependencies['kubernetes-models']}`);
    const out = runInApp(app, 'harness.js', `${userChart}
      const { testing } = require('cdk8s-workloads');
      const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
      const problems = testing.Harness.validateManifests([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }], typo: 1 } }]);
      console.log(JSON.stringify({ kinds: manifests.map((m) => m.kind), problems }));
    `);
    expect(out.kinds).toEqual(expect.arrayContaining(['StatefulSet', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']));
    expect(out.problems).toEqual(['Service/s: unknown field /spec/typo']);
  });
});

/**
 * The Python binding, as a Python user gets it: jsii-pacmak builds the wheel from the current
 * lib/ (in a temporary copy of the package), a fresh virtualenv installs it with cdk8s,
 * cdk8s-plus-27 and constructs from PyPI (the versions of package.json's devDependencies, and
 * the jsii runtime of our jsii-pacmak), and test/bindings/python/databases.py, examples/databases.ts
 * rewritten in Python, synthesizes. Its YAML must be byte-identical to the TypeScript example's.
 *
 * Needs python3 with venv and ensurepip (Debian: python3-venv) and PyPI; without the Python
 * tooling the suite skips loudly, and fails in CI. The pinned wheels are kept in
 * ~/.cache/cdk8s-workloads/pip (override: CDK8S_WORKLOADS_PIP_CACHE): reruns install them offline.
 * (jsii-pacmak's own build virtualenv still downloads setuptools, build and twine each run.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { databaseExamples } from '../../examples/databases';
import { describeWithBinaries } from '../support/binaries';
import { bin, buildPackageCopy, mustRun, root } from './support';

const ours = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const pacmakVersion: string = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'jsii-pacmak', 'package.json'), 'utf8')).version;
/** The pinned wheels from PyPI, downloaded once (outside the repository) and installed from here offline. */
const wheelhouse = process.env.CDK8S_WORKLOADS_PIP_CACHE ?? path.join(os.homedir(), '.cache', 'cdk8s-workloads', 'pip');
const pipEnv = { PIP_CACHE_DIR: path.join(wheelhouse, 'http'), PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };

/** python3 on PATH, and the directory of its ensurepip module (what `python3 -m venv` needs; Debian ships it in python3-venv). */
function pythonTooling(): [string, string][] {
  const python = spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).stdout.trim() || '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import ensurepip, os, venv; print(os.path.dirname(ensurepip.__file__))'], { encoding: 'utf8' });
  const ensurepip = probe.status === 0 ? probe.stdout.trim() : '/usr/lib/python3/ensurepip (python3 -m venv needs it)';
  return [[python, 'python3-venv'], [ensurepip, 'python3-venv']];
}

const tooling = pythonTooling();

describeWithBinaries('the Python wheel in a fresh virtualenv', tooling, () => {
  let work: string;
  let python: string;
  const seconds: Record<string, number> = {};
  const timed = <T>(step: string, f: () => T): T => {
    const start = Date.now();
    try { return f(); } finally { seconds[step] = (Date.now() - start) / 1000; }
  };

  beforeAll(() => {
    fs.mkdirSync(wheelhouse, { recursive: true });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-workloads-python-'));
    const pkg = path.join(work, 'package');
    fs.mkdirSync(pkg);
    timed('jsii', () => buildPackageCopy(pkg));
    timed('pacmak', () => mustRun(bin('jsii-pacmak'), ['--no-npmignore', '--targets', 'python', '--outdir', path.join(work, 'dist')], { cwd: pkg, env: pipEnv }));
    const wheels = fs.readdirSync(path.join(work, 'dist', 'python')).filter((f) => f.endsWith('.whl'));
    expect(wheels).toEqual([`cdk8s_workloads-${ours.version}-py3-none-any.whl`]);

    const venv = path.join(work, 'venv');
    python = path.join(venv, 'bin', 'python');
    timed('venv', () => mustRun(tooling[0][0], ['-m', 'venv', venv], { cwd: work }));
    const pins = ['cdk8s', 'cdk8s-plus-27', 'constructs'].map((name) => `${name}==${ours.devDependencies[name]}`);
    const requirements = [...pins, `jsii==${pacmakVersion}`];
    const install = () => spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--no-index', '--find-links', wheelhouse, path.join(work, 'dist', 'python', wheels[0]), ...requirements], { cwd: work, encoding: 'utf8', env: { ...process.env, ...pipEnv } });
    timed('pip', () => {
      // Offline from the wheelhouse first; on a miss, download the pinned wheels (and their
      // dependencies) from PyPI into it. pip's own HTTP cache keeps nothing here: the PyPI
      // this machine reaches sends no cache headers.
      if (install().status === 0) return;
      mustRun(python, ['-m', 'pip', 'download', '--quiet', '--dest', wheelhouse, ...requirements], { cwd: work, env: pipEnv });
      const retry = install();
      if (retry.status !== 0) throw new Error(`pip install from ${wheelhouse} failed:\n${retry.stdout}\n${retry.stderr}`);
    });
  }, 900_000);
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`python bindings test, seconds per step: ${JSON.stringify(seconds)}`);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the virtualenv has the pinned cdk8s, cdk8s-plus-27, constructs and the jsii runtime of our jsii-pacmak', () => {
    const versions = JSON.parse(mustRun(python, ['-c', [
      'import json, importlib.metadata as m',
      'print(json.dumps({n: m.version(n) for n in ["cdk8s", "cdk8s-plus-27", "constructs", "jsii", "cdk8s-workloads"]}))',
    ].join('\n')], { cwd: work }));
    expect(versions).toEqual({
      'cdk8s': ours.devDependencies.cdk8s,
      'cdk8s-plus-27': ours.devDependencies['cdk8s-plus-27'],
      'constructs': ours.devDependencies.constructs,
      'jsii': pacmakVersion,
      'cdk8s-workloads': ours.version,
    });
  });

  test('examples/databases.ts rewritten in Python synthesizes YAML byte-identical to the TypeScript example', () => {
    const pyOut = path.join(work, 'python-out');
    timed('python synth', () => mustRun(python, [path.join(__dirname, 'python', 'databases.py'), pyOut], { cwd: work }));
    const tsOut = path.join(work, 'typescript-out');
    const app = new App({ outdir: tsOut });
    databaseExamples(app);
    app.synth();
    expect(fs.readdirSync(pyOut)).toEqual(['databases.k8s.yaml']);
    const typescript = fs.readFileSync(path.join(tsOut, 'databases.k8s.yaml'), 'utf8');
    const fromPython = fs.readFileSync(path.join(pyOut, 'databases.k8s.yaml'), 'utf8');
    expect(typescript).toMatch(/^kind: StatefulSet$/m);
    // toBe would print two 57 kB strings; the first differing line says what broke.
    if (fromPython !== typescript) {
      const a = typescript.split('\n');
      const b = fromPython.split('\n');
      const line = Array.from({ length: Math.max(a.length, b.length) }, (_, i) => i).find((i) => a[i] !== b[i]) ?? 0;
      throw new Error(`Python's databases.k8s.yaml differs from TypeScript's at line ${line + 1}:\n  typescript: ${a[line]}\n  python:     ${b[line]}`);
    }
    expect(Buffer.from(fromPython).equals(Buffer.from(typescript))).toBe(true);
  });
});

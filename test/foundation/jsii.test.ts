/**
 * jsii (the compiler behind cdk8s's other languages) accepts the package with 0 errors and 0
 * warnings, and the harness is part of the assembly: jsii drops exported free functions and
 * constants without a word, so reachable means "a type in .jsii".
 *
 * jsii runs on a copy of lib/ and package.json in a temporary directory, so it writes neither
 * .jsii nor tsconfig.jsii.json into the working tree nor races other tests on build/.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const jsiiBin = path.join(root, 'node_modules', '.bin', 'jsii');

interface JsiiRun {
  readonly status: number | null;
  readonly output: string;
  /** Every diagnostic line: `file:line:col - error JSII1234: ...`, or a project-level one. */
  readonly findings: string[];
  readonly summary: string | undefined;
  readonly assembly: { types: Record<string, { kind: string; methods?: { name: string; static?: boolean }[] }> } | undefined;
  /** Files of build/ whose content differs from `tsc -p tsconfig.build.json`'s, beyond jsii's additions. */
  readonly differsFromTsc: string[];
}

/** jsii's additions to tsc's JavaScript: runtime type info on each class and an inline source map. */
function withoutJsiiAdditions(js: string): string {
  return js.split('\n')
    .filter((line) => !/sourceMappingURL|JSII_RTTI_SYMBOL_1|^var _[a-z0-9, _]*;$|\[_[a-z0-9]+\] = \{ fqn: /.test(line) && line.trim() !== '')
    .join('\n');
}

function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** Compiles the same sources with tsc (`npm run build:tsc`) and lists where the outputs disagree. */
function compareWithTsc(dir: string): string[] {
  if (!fs.existsSync(path.join(dir, 'build'))) return ['jsii wrote no build/'];
  spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', 'build-tsc'], { cwd: dir, encoding: 'utf8' });
  const jsiiFiles = filesOf(path.join(dir, 'build')).filter((f) => f !== 'tsconfig.tsbuildinfo');
  const tscFiles = filesOf(path.join(dir, 'build-tsc'));
  const differing = [...new Set([...jsiiFiles, ...tscFiles])].filter((file) => {
    const read = (d: string) => fs.existsSync(path.join(dir, d, file)) ? withoutJsiiAdditions(fs.readFileSync(path.join(dir, d, file), 'utf8')) : undefined;
    return read('build') !== read('build-tsc');
  });
  return tscFiles.length === 0 ? ['tsc wrote no files'] : differing;
}

/** Copies the package into a temporary project (optionally with another lib/index.ts) and runs jsii there. */
function runJsii(indexTs?: string): JsiiRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-workloads-jsii-'));
  try {
    fs.cpSync(path.join(root, 'lib'), path.join(dir, 'lib'), { recursive: true });
    for (const file of ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json']) fs.copyFileSync(path.join(root, file), path.join(dir, file));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    if (indexTs !== undefined) fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), indexTs);
    const result = spawnSync(jsiiBin, ['--generate-tsconfig', 'tsconfig.jsii.json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    // eslint-disable-next-line no-control-regex
    const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    const findings = output.split('\n').filter((line) => /\b(error|warning) JSII\d+|\[ERROR\]|\[WARN\]|^Error:/.test(line)).map((line) => line.trim());
    const summary = output.split('\n').find((line) => /Errors: \d+ \| Warnings: \d+/.test(line))?.trim();
    const assemblyFile = path.join(dir, '.jsii');
    const assembly = fs.existsSync(assemblyFile) ? JSON.parse(fs.readFileSync(assemblyFile, 'utf8')) : undefined;
    return { status: result.status, output, findings, summary, assembly, differsFromTsc: compareWithTsc(dir) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails listing every finding (jest prints the array), or the whole output when jsii stopped without one. */
function expectClean(run: JsiiRun): void {
  if (run.findings.length === 0 && run.status !== 0) throw new Error(`jsii exited with ${run.status} and no diagnostic:\n${run.output}`);
  expect(run.findings).toEqual([]);
  expect(run.status).toBe(0);
  expect(run.summary).toMatch(/Errors: 0 \| Warnings: 0/);
}

const HARNESS_METHODS = ['assertValidManifests', 'findManifest', 'productionProblems', 'restrictedPodSecurityProblems', 'schemaProblems', 'synthValid', 'validateManifests'];

function harnessOf(run: JsiiRun) {
  const fqn = Object.keys(run.assembly?.types ?? {}).find((name) => /^cdk8s-workloads\.(testing\.)?Harness$/.test(name));
  return fqn ? run.assembly!.types[fqn] : undefined;
}

let fullRun: JsiiRun | undefined;
/** One jsii run of the whole package, shared by the tests that need it (each costs about 10 s). */
const wholePackage = () => fullRun ??= runJsii();

test('jsii compiles the package with 0 errors and 0 warnings, and the assembly has the harness', () => {
  const run = wholePackage();
  expectClean(run);
  const harness = harnessOf(run);
  expect(harness?.kind).toBe('class');
  expect(harness?.methods?.filter((m) => m.static).map((m) => m.name).sort()).toEqual(HARNESS_METHODS);
}, 180_000);

test('jsii (npm run build) and tsc (npm run build:tsc) compile lib/ to the same JavaScript and declarations', () => {
  // jsii emits JavaScript even when type-model errors prevent the assembly.
  expect(wholePackage().differsFromTsc).toEqual([]);
}, 180_000);

test('the harness alone (lib/testing as the testing submodule) is jsii-clean and complete', () => {
  const run = runJsii("export * as testing from './testing';\n");
  expectClean(run);
  const harness = run.assembly?.types['cdk8s-workloads.testing.Harness'];
  expect(harness?.methods?.filter((m) => m.static).map((m) => m.name).sort()).toEqual(HARNESS_METHODS);
  expect(run.assembly?.types['cdk8s-workloads.testing.ValidationOptions']?.kind).toBe('interface');
}, 180_000);

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
}

/** Copies the package into a temporary project (optionally with another lib/index.ts) and runs jsii there. */
function runJsii(indexTs?: string): JsiiRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-workloads-jsii-'));
  try {
    fs.cpSync(path.join(root, 'lib'), path.join(dir, 'lib'), { recursive: true });
    for (const file of ['package.json', 'README.md']) fs.copyFileSync(path.join(root, file), path.join(dir, file));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    if (indexTs !== undefined) fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), indexTs);
    const result = spawnSync(jsiiBin, ['--generate-tsconfig', 'tsconfig.jsii.json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    // eslint-disable-next-line no-control-regex
    const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    const findings = output.split('\n').filter((line) => /\b(error|warning) JSII\d+|\[ERROR\]|\[WARN\]|^Error:/.test(line)).map((line) => line.trim());
    const summary = output.split('\n').find((line) => /Errors: \d+ \| Warnings: \d+/.test(line))?.trim();
    const assemblyFile = path.join(dir, '.jsii');
    const assembly = fs.existsSync(assemblyFile) ? JSON.parse(fs.readFileSync(assemblyFile, 'utf8')) : undefined;
    return { status: result.status, output, findings, summary, assembly };
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

test('jsii compiles the package with 0 errors and 0 warnings, and the assembly has the harness', () => {
  const run = runJsii();
  expectClean(run);
  const harness = harnessOf(run);
  expect(harness?.kind).toBe('class');
  expect(harness?.methods?.filter((m) => m.static).map((m) => m.name).sort()).toEqual(HARNESS_METHODS);
}, 180_000);

test('the harness alone (lib/testing as the testing submodule) is jsii-clean and complete', () => {
  const run = runJsii("export * as testing from './testing';\n");
  expectClean(run);
  const harness = run.assembly?.types['cdk8s-workloads.testing.Harness'];
  expect(harness?.methods?.filter((m) => m.static).map((m) => m.name).sort()).toEqual(HARNESS_METHODS);
  expect(run.assembly?.types['cdk8s-workloads.testing.ValidationOptions']?.kind).toBe('interface');
}, 180_000);

/**
 * `npm run synth` runs scripts/synth.js (ts-node --transpile-only with a cache of transpiled
 * files): its output must be byte for byte what ts-node writes, with a cold cache and a warm one,
 * and an edited source must not be served from the cache.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const script = path.join(root, 'scripts', 'synth.js');

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of fs.readdirSync(dir).sort()) out[file] = fs.readFileSync(path.join(dir, file), 'utf8');
  return out;
}

/** Runs a command in a fresh directory (the examples write to ./dist) and returns what it wrote. */
function synthIn(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Record<string, string> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-script-'));
  try {
    execFileSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
    return files(path.join(cwd, 'dist'));
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

describe('scripts/synth.js', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cache-'));
  afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

  test('writes what ts-node --transpile-only writes, with a cold cache and then a warm one', () => {
    const tsNode = synthIn(path.join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', path.join(root, 'examples', 'main.ts')]);
    expect(Object.keys(tsNode).length).toBeGreaterThan(10);
    const cold = synthIn(process.execPath, [script], { CDK8S_WORKLOADS_SYNTH_CACHE: cache });
    expect(fs.readdirSync(cache).length).toBeGreaterThan(50);
    const warm = synthIn(process.execPath, [script], { CDK8S_WORKLOADS_SYNTH_CACHE: cache });
    expect(cold).toEqual(tsNode);
    expect(warm).toEqual(tsNode);
  });

  test('an edited file is transpiled again, not served from the cache', () => {
    const dir = fs.mkdtempSync(path.join(root, 'examples', '.synth-test-'));
    try {
      const entry = path.join(dir, 'entry.ts');
      fs.writeFileSync(entry, "const n: number = 1;\nconsole.log(`value ${n}`);\n");
      const run = () => execFileSync(process.execPath, [script, entry], { env: { ...process.env, CDK8S_WORKLOADS_SYNTH_CACHE: cache }, encoding: 'utf8' });
      expect(run()).toBe('value 1\n');
      fs.writeFileSync(entry, "const n: number = 2;\nconsole.log(`value ${n}`);\n");
      expect(run()).toBe('value 2\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

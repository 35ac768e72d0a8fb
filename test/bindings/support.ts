/**
 * The bindings tests build from a copy of the package in a temporary directory (as
 * test/foundation/jsii.test.ts does), so they test the current lib/ and never write .jsii,
 * build/ or jsii-dist/ into the working tree nor race other tests on them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const root = path.resolve(__dirname, '..', '..');
export const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

/** Runs a command; throws with its output when it fails. Returns stdout. */
export function mustRun(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): string {
  const result = spawnSync(command, args, { cwd: options.cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...options.env }, timeout: options.timeout ?? 600_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const tail = (s: string) => s.split('\n').filter((l) => !/^\s*!!/.test(l)).slice(-60).join('\n');
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited ${result.status}${result.error ? ` (${result.error.message})` : ''}:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
  }
  return result.stdout;
}

/** Copies what `npm run build` reads into `dir` and links node_modules; then compiles it with jsii (.jsii and build/). */
export function buildPackageCopy(dir: string): void {
  fs.cpSync(path.join(root, 'lib'), path.join(dir, 'lib'), { recursive: true });
  for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'tsconfig.json', 'tsconfig.build.json', 'scripts/copy-assets.js']) {
    if (!fs.existsSync(path.join(root, file))) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  mustRun(bin('jsii'), ['--generate-tsconfig', 'tsconfig.jsii.json'], { cwd: dir });
  mustRun(process.execPath, ['scripts/copy-assets.js'], { cwd: dir });
}

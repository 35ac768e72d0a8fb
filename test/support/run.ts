/** Running shell scripts and server binaries as an unprivileged user (servers refuse root). */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const isRoot = process.getuid?.() === 0;

/** A temporary directory the given system user owns (when we are root). */
export function tempDirFor(user: string, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  if (isRoot) spawnSync('chown', ['-R', `${user}:`, dir]);
  return dir;
}

/** Runs a command as `user` (via runuser when root) with exactly the given extra environment. */
export function runAs(user: string, command: string, args: string[], env: Record<string, string> = {}, input?: string): SpawnSyncReturns<string> {
  const pathEnv = `/usr/lib/postgresql/15/bin:${process.env.PATH}`;
  const envArgs = Object.entries({ PATH: pathEnv, ...env }).map(([k, v]) => `${k}=${v}`);
  const [cmd, argv] = isRoot
    ? ['runuser', ['-u', user, '--', 'env', ...envArgs, command, ...args]]
    : ['env', [...envArgs, command, ...args]];
  return spawnSync(cmd, argv, { encoding: 'utf8', input, timeout: 120_000 });
}

/** Like runAs, but throws with stdout and stderr when the command fails. */
export function mustRunAs(user: string, command: string, args: string[], env: Record<string, string> = {}, input?: string): string {
  const result = runAs(user, command, args, env, input);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}${result.error ? `\n${result.error}` : ''}`);
  }
  return result.stdout;
}

/** Writes a file readable by everyone (scripts run as another user). */
export function writeShared(file: string, content: string, mode = 0o644): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  return file;
}

/** A TCP port nothing listens on right now. */
export function freePort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

/** Polls until fn returns true or the timeout passes. */
export function waitFor(description: string, fn: () => boolean, timeoutMs = 30_000): void {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (fn()) return;
    spawnSync('sleep', ['0.5']);
  }
  throw new Error(`timed out waiting for ${description}`);
}

/** shellcheck on a script text, as POSIX sh. Returns shellcheck's output ('' when clean). */
export function shellcheck(script: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shellcheck-')), 'script.sh');
  fs.writeFileSync(file, script);
  const result = spawnSync('shellcheck', ['-s', 'sh', file], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return result.status === 0 ? '' : result.stdout + result.stderr;
}

/**
 * The control-plane processes. Each runs in its own process group (detached) with its output in
 * a log file; stopAll() ends every group it started, and a guard on process exit does the same
 * with SIGKILL if the test run ends without teardown (a crash, an uncaught error, Ctrl-C).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { sleep } from './wait';

export interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: { code: number | null; signal: string | null } | undefined;
}

const started: Proc[] = [];

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

let guarded = false;
function guard(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', () => started.forEach((p) => p.exited || killGroup(p.child.pid, 'SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      started.forEach((p) => killGroup(p.child.pid, 'SIGKILL'));
      process.exit(130);
    });
  }
}

export function startProcess(name: string, binary: string, args: string[], logDir: string): Proc {
  guard();
  const log = path.join(logDir, `${name}.log`);
  const fd = fs.openSync(log, 'a');
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const proc: Proc = { name, child, log, exited: undefined };
  child.on('exit', (code, signal) => { proc.exited = { code, signal }; });
  child.on('error', (e) => { proc.exited = { code: null, signal: `spawn error: ${e.message}` }; });
  started.push(proc);
  return proc;
}

/** The last lines of a process's log, for error messages. */
export function tail(proc: Proc, lines = 15): string {
  try {
    return fs.readFileSync(proc.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Throws if the process has exited (a control-plane component must keep running). */
export function assertRunning(proc: Proc): void {
  if (proc.exited) {
    throw new Error(`${proc.name} exited (${JSON.stringify(proc.exited)}); log ${proc.log}:\n${tail(proc)}`);
  }
}

/** SIGTERM to every process group started here, in reverse order; SIGKILL after `graceMs`. */
export async function stopAll(graceMs = 10_000): Promise<string[]> {
  const stopped: string[] = [];
  for (const proc of [...started].reverse()) {
    if (!proc.exited) killGroup(proc.child.pid, 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (started.some((p) => !p.exited) && Date.now() < deadline) await sleep(100);
  for (const proc of started) {
    if (!proc.exited) killGroup(proc.child.pid, 'SIGKILL');
    stopped.push(proc.name);
  }
  while (started.some((p) => !p.exited) && Date.now() < deadline + 5_000) await sleep(100);
  const alive = started.filter((p) => !p.exited).map((p) => p.name);
  started.length = 0;
  if (alive.length) throw new Error(`still running after SIGKILL: ${alive.join(', ')}`);
  return stopped;
}

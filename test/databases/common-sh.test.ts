/** The shell functions every engine's scripts source, run with /bin/sh. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { shellcheck } from '../support/run';
import { haveBinary } from '../support/binaries';
import * as fs from 'fs';

const common = path.resolve(__dirname, '../../lib/databases/common.sh');
const sh = (script: string, env: Record<string, string> = {}) => spawnSync('/bin/sh', ['-c', `set -eu; . ${common}; ${script}`], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

// Skipped loudly without shellcheck on a developer machine; in CI a missing shellcheck fails.
(haveBinary('/usr/bin/shellcheck', 'shellcheck') ? test : test.skip)('passes shellcheck', () => {
  expect(shellcheck(fs.readFileSync(common, 'utf8'))).toBe('');
});

test('pod_ordinal reads the StatefulSet ordinal', () => {
  expect(sh('echo "$(pod_ordinal)"', { POD_NAME: 'orders-db-12' }).stdout).toBe('12\n');
});

test('pod_ordinal stops a set -e script when the name has no ordinal', () => {
  const result = sh('ordinal="$(pod_ordinal)"; echo "continued $ordinal"', { POD_NAME: 'orders-db' });
  expect(result.status).not.toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain('cannot read an ordinal from POD_NAME=orders-db');
});

test('wait_until returns once the command succeeds and gives up after the limit', () => {
  expect(sh('wait_until 10 primary true; echo ok').stdout).toBe('ok\n');
  const result = sh('wait_until 2 "primary db:5432" false; echo unreachable');
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('primary db:5432: not ready after 2s');
  expect(result.stdout).toBe('');
});

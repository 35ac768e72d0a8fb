/**
 * Integration tests need real server binaries from Debian packages. In CI (env CI set) a missing
 * binary fails the test; locally the test is skipped with a loud message naming the package.
 */
import * as fs from 'fs';

export function haveBinary(path: string, debianPackage: string): boolean {
  if (fs.existsSync(path) && !pretendMissing(path)) return true;
  const message = `${path} is missing: install the Debian package "${debianPackage}" (apt-get install ${debianPackage})`;
  if (process.env.CI) throw new Error(`${message}. In CI a missing binary fails the test.`);
  // eslint-disable-next-line no-console
  console.warn(`\n!!!!! SKIPPING: ${message} !!!!!\n`);
  return false;
}

/** `describe` that runs only when every binary exists (and fails in CI when one is missing). */
export function describeWithBinaries(name: string, binaries: [string, string][], body: () => void): void {
  const present = binaries.every(([path, pkg]) => haveBinary(path, pkg));
  (present ? describe : describe.skip)(name, body);
}

/**
 * `CDK8S_WORKLOADS_PRETEND_MISSING=all` (or a comma-separated list of paths) makes installed
 * binaries count as missing: how we check, on a machine that has them, that `npm test` passes on
 * a fresh machine without Debian's packages (every such test skips loudly instead of failing).
 */
function pretendMissing(path: string): boolean {
  const setting = process.env.CDK8S_WORKLOADS_PRETEND_MISSING;
  if (!setting) return false;
  return setting === 'all' || setting.split(',').includes(path);
}

/** The shellcheck binary, for suites that only lint scripts. */
export const SHELLCHECK: [string, string][] = [['/usr/bin/shellcheck', 'shellcheck']];

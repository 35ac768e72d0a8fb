/**
 * Integration tests need real server binaries from Debian packages. In CI (env CI set) a missing
 * binary fails the test; locally the test is skipped with a loud message naming the package.
 */
import * as fs from 'fs';

export function haveBinary(path: string, debianPackage: string): boolean {
  if (fs.existsSync(path)) return true;
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

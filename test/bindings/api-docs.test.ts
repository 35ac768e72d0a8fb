/**
 * API.md is jsii-docgen's reference of the public API (what Construct Hub shows). It is checked
 * in; this test regenerates it from the current lib/ and fails when the checked-in one is stale.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bin, buildPackageCopy, mustRun, root } from './support';

test('API.md is what jsii-docgen generates from lib/ (regenerate: npm run docgen)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-workloads-docgen-'));
  try {
    buildPackageCopy(dir);
    mustRun(bin('jsii-docgen'), ['-o', path.join(dir, 'API.generated.md')], { cwd: dir });
    const generated = fs.readFileSync(path.join(dir, 'API.generated.md'), 'utf8');
    const checkedIn = fs.existsSync(path.join(root, 'API.md')) ? fs.readFileSync(path.join(root, 'API.md'), 'utf8') : '';
    expect(generated).toMatch(/^# API Reference/);
    if (generated !== checkedIn) {
      const a = checkedIn.split('\n');
      const b = generated.split('\n');
      const line = Array.from({ length: Math.max(a.length, b.length) }, (_, i) => i).find((i) => a[i] !== b[i]) ?? 0;
      throw new Error(`API.md is stale: run \`npm run docgen\` and commit API.md. First difference at line ${line + 1}:\n  checked in: ${a[line]}\n  generated:  ${b[line]}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);

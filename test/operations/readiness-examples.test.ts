/** The examples' readiness report: fresh, free of problems, every exception reasoned, and the plugin agrees. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExamples } from '../../examples/main';
import { ReadinessValidation } from '../../lib';

const dist = path.resolve(__dirname, '..', '..', 'dist');
const report = JSON.parse(fs.readFileSync(path.join(dist, 'readiness.json'), 'utf8'));

test('dist/readiness.json matches a fresh synth', () => {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-'));
  buildExamples(fresh).synth();
  expect(fs.readFileSync(path.join(dist, 'readiness.json'), 'utf8')).toBe(fs.readFileSync(path.join(fresh, 'readiness.json'), 'utf8'));
});

test('the examples have no readiness problem; what they leave out is suppressed with a reason', () => {
  expect(report.problems).toEqual([]);
  expect(report.summary).toEqual({ errors: 0, warnings: 0, suppressed: 17 });
  for (const s of report.suppressed) expect(s.reason.length).toBeGreaterThan(20);
  expect(report.suppressed.map((s: any) => `${s.rule} ${s.kind}/${s.name}`)).toContain('database-backup StatefulSet/orders-pg15');
});

test('the cdk8s-cli plugin, reading dist/ like cdk8s synth does, finds the same: nothing', async () => {
  const manifests = fs.readdirSync(dist).filter((f) => f.endsWith('.yaml')).map((f) => path.join(dist, f));
  const violations: any[] = [];
  let status = '';
  await new ReadinessValidation().validate({ manifests, metadata: {}, report: { addViolation: (v: any) => violations.push(v), submit: (s: string) => { status = s; } } });
  // Without the construct tree the plugin finds databases by label and backups by their NetworkPolicy.
  expect(violations).toEqual([]);
  expect(status).toBe('success');
});

/** dist/ holds the synthesized examples; this fails when they are stale (run `npm run synth`). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExamples } from '../../examples/main';
import { testing } from '../../lib';
import { Yaml } from 'cdk8s';

const dist = path.resolve(__dirname, '..', '..', 'dist');

function synthTo(dir: string): string[] {
  buildExamples(dir).synth();
  return fs.readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort();
}

test('dist/ matches a fresh synth of examples/main.ts', () => {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
  const files = synthTo(fresh);
  expect(files.length).toBeGreaterThan(0);
  expect(fs.readdirSync(dist).filter((f) => f.endsWith('.k8s.yaml')).sort()).toEqual(files);
  for (const file of files) {
    expect({ file, yaml: fs.readFileSync(path.join(dist, file), 'utf8') }).toEqual({ file, yaml: fs.readFileSync(path.join(fresh, file), 'utf8') });
  }
});

test('every example manifest is valid Kubernetes', () => {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
  for (const file of synthTo(fresh)) {
    const manifests = Yaml.load(path.join(fresh, file));
    expect({ file, problems: testing.Harness.validateManifests(manifests, { production: true }) }).toEqual({ file, problems: [] });
  }
});

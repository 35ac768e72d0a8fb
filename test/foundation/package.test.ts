/**
 * Proof that what we would publish works for a user: build, `npm pack`, install the tarball into
 * a fresh cdk8s app in a temporary directory (peers from the npm registry or its cache), import
 * from 'cdk8s-workloads' and synthesize.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('the packed tarball installs into a fresh cdk8s app and synthesizes', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-workloads-pack-'));
  run('npm', ['run', 'build', '--silent'], root);
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', work], root).trim().split('\n').pop()!;
  const packed = run('tar', ['-tzf', path.join(work, tarball)], work);
  expect(packed).toContain('package/build/index.js');
  expect(packed).toContain('package/build/index.d.ts');
  expect(packed).not.toContain('package/test/');

  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  const ours = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'user-app', private: true,
    dependencies: { 'cdk8s': ours.devDependencies.cdk8s, 'cdk8s-plus-27': ours.devDependencies['cdk8s-plus-27'], 'constructs': ours.devDependencies.constructs },
  }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', path.join(work, tarball)], app);
  fs.writeFileSync(path.join(app, 'main.js'), `
    const { App, Chart, Size } = require('cdk8s');
    const { PostgresCluster, testing } = require('cdk8s-workloads');
    const app = new App({ outdir: 'dist' });
    const chart = new Chart(app, 'user', { namespace: 'shop' });
    new PostgresCluster(chart, 'orders-db', { replicas: 2, storage: Size.gibibytes(20) });
    testing.synthValid(chart, { restricted: true, production: true });
    app.synth();
  `);
  run('node', ['main.js'], app);
  const yaml = fs.readFileSync(path.join(app, 'dist', 'user.k8s.yaml'), 'utf8');
  expect(yaml).toContain('kind: StatefulSet');
  expect(yaml).toContain('name: orders-db');
  fs.rmSync(work, { recursive: true, force: true });
}, 300_000);

/**
 * The Harness class (the harness for every jsii language) and the optional kubernetes-models.
 * The missing-package path runs for real in test/foundation/package.test.ts (an app without it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Harness } from '../../lib/testing';
import { findManifest, synthValid, validateManifests } from '../../lib/testing/validate';
import { KUBERNETES_MODELS_RANGE, missingKubernetesModelsMessage } from '../../lib/testing/schema';

const root = path.resolve(__dirname, '..', '..');
const ours = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** A chart with a cdk8s-plus Deployment: schema-valid, but fails restricted and production. */
function plainChart(): Chart {
  const chart = new Chart(Testing.app(), 'c');
  new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
  return chart;
}

describe('Harness: the same checks as the free functions', () => {
  test('synthValid returns the manifests of a valid chart', () => {
    const manifests = Harness.synthValid(plainChart());
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment']);
    expect(manifests).toEqual(synthValid(plainChart()));
  });
  test('synthValid throws the same error listing every problem', () => {
    const message = (f: () => unknown) => { try { f(); return 'no error'; } catch (e) { return (e as Error).message; } };
    const viaClass = message(() => Harness.synthValid(plainChart(), { restricted: true, production: true }));
    expect(viaClass).toMatch(/^\d+ problem\(s\) in synthesized manifests:\n {2}Deployment\/c-web-.*: restricted: container "main" needs seccompProfile/);
    expect(viaClass).toMatch(/production: container "main" carries cdk8s-plus's injected default resources/);
    expect(viaClass).toBe(message(() => synthValid(plainChart(), { restricted: true, production: true })));
  });
  test('options are honoured: restrictedExemptions exempts a named workload', () => {
    const [deployment] = Testing.synth(plainChart());
    const id = `Deployment/${deployment.metadata.name}`;
    expect(Harness.validateManifests([deployment], { restricted: true }).join('\n')).toMatch(/restricted:/);
    expect(Harness.validateManifests([deployment], { restricted: true, restrictedExemptions: [id] })).toEqual([]);
  });
  test('validateManifests, assertValidManifests and schemaProblems report unknown fields', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }], typo: 1 } };
    expect(Harness.validateManifests([service])).toEqual(['Service/s: unknown field /spec/typo']);
    expect(Harness.validateManifests([service])).toEqual(validateManifests([service]));
    expect(Harness.schemaProblems(service)).toEqual(['unknown field /spec/typo']);
    expect(() => Harness.assertValidManifests([service])).toThrow(/1 problem\(s\) in synthesized manifests:\n {2}Service\/s: unknown field \/spec\/typo/);
    const valid = { ...service, spec: { ports: [{ port: 80 }] } };
    expect(Harness.assertValidManifests([valid])).toEqual([valid]);
  });
  test('findManifest finds by kind and name, and lists what exists when missing', () => {
    const manifests = Testing.synth(plainChart());
    const name = manifests[0].metadata.name;
    expect(Harness.findManifest(manifests, 'Deployment', name)).toBe(findManifest(manifests, 'Deployment', name));
    expect(() => Harness.findManifest(manifests, 'Service', 'web')).toThrow(`no Service/web; have Deployment/${name}`);
  });
  test('the pod checks work on a manifest', () => {
    const [deployment] = Testing.synth(plainChart());
    expect(Harness.restrictedPodSecurityProblems(deployment)).toContain('container "main" must drop ALL capabilities');
    expect(Harness.productionProblems(deployment)).toEqual(['container "main" carries cdk8s-plus\'s injected default resources']);
  });
});

describe('kubernetes-models is the harness\'s own, optional dependency', () => {
  test('it is a devDependency of this package, never a dependency or a peer', () => {
    expect(ours.dependencies?.['kubernetes-models']).toBeUndefined();
    expect(ours.peerDependencies?.['kubernetes-models']).toBeUndefined();
    expect(ours.devDependencies['kubernetes-models']).toBe(KUBERNETES_MODELS_RANGE);
  });
  test('the error for a missing package names it and the command that installs the tested range', () => {
    expect(missingKubernetesModelsMessage("Cannot find module 'kubernetes-models/v1'")).toBe(
      'cdk8s-workloads testing harness: schema validation needs the package "kubernetes-models", which is not installed '
      + "(Cannot find module 'kubernetes-models/v1'). Install it in your project: npm install --save-dev kubernetes-models@~4.5.1",
    );
  });
  test('lib/ has no runtime import of kubernetes-models: only lib/testing/schema.ts requires it, inside a function', () => {
    const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
    const users = sources(path.join(root, 'lib')).filter((file) => fs.readFileSync(file, 'utf8').includes('kubernetes-models'));
    for (const file of users) {
      const text = fs.readFileSync(file, 'utf8');
      expect([file, text.match(/^import (?!type ).*['"]kubernetes-models[^'"]*['"]/m)]).toEqual([file, null]);
      expect([file, text.match(/^(const|let|var) .*require\(['"`]kubernetes-models/m)]).toEqual([file, null]);
    }
    expect(users.map((f) => path.relative(root, f))).toContain(path.join('lib', 'testing', 'schema.ts'));
  });
});

describe('the harness rejects what the API server rejects (fields the control-plane tests feed it)', () => {
  const pod = (container: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', ...container }] } });
  const sts = (claim: Record<string, unknown>) => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' },
    spec: { serviceName: 's', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...claim } }] },
  });
  test.each([
    ['a storage class Fast_SSD', sts({ storageClassName: 'Fast_SSD' }), /storageClassName "Fast_SSD" must be lowercase/],
    ['no access modes', sts({ accessModes: [] }), /a claim needs at least one access mode/],
    ['an image with a trailing space', pod({ image: 'busybox:1.36 ' }), /image "busybox:1\.36 " contains whitespace/],
    ['a secret key with a space', pod({ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'pass word' } } }] }), /env "P" refers to key "pass word", which must consist of/],
    ['an env name with a space', pod({ env: [{ name: 'A B', value: '1' }] }), /env "A B" must consist of letters/],
    ['a path mounted twice', { ...pod({ volumeMounts: [{ name: 'v', mountPath: '/x' }, { name: 'v', mountPath: '/x' }] }), spec: { volumes: [{ name: 'v', emptyDir: {} }], containers: [{ name: 'c', image: 'busybox:1.36', volumeMounts: [{ name: 'v', mountPath: '/x' }, { name: 'v', mountPath: '/x' }] }] } }, /mounts "\/x" twice/],
    ['a pod condition type with a space', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'Disruption Target', status: 'True' }] }] }, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } }, /podFailurePolicy condition type "Disruption Target" must be alphanumeric/],
  ])('%s', (_name, manifest, message) => {
    expect(validateManifests([manifest]).join('\n')).toMatch(message);
  });
});

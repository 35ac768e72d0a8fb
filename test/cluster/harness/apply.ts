/** Applying the synthesized examples (dist/*.k8s.yaml) and raw YAML the way a user would. */
import * as fs from 'fs';
import * as path from 'path';
import { cluster, KubectlResult, repoRoot } from './env';
import { waitFor } from './wait';

export const FIELD_MANAGER = 'cdk8s-workloads-e2e';

/** The text of dist/<name>.k8s.yaml, optionally moved from one namespace to another. */
export function example(name: string, move?: { from: string; to: string }): string {
  const text = fs.readFileSync(path.join(repoRoot, 'dist', `${name}.k8s.yaml`), 'utf8');
  return move ? text.replace(new RegExp(`^(\\s*namespace: )${move.from}$`, 'gm'), `$1${move.to}`) : text;
}

/** Number of objects in a multi-document YAML text. */
export const objectCount = (yaml: string) => (yaml.match(/^kind: /gm) ?? []).length;

/** `kubectl apply --server-side --validate=strict` of a YAML text (the whole check a user gets). */
export function apply(yaml: string, extra: string[] = []): Promise<KubectlResult> {
  return cluster().kubectl(['apply', '--server-side', '--validate=strict', `--field-manager=${FIELD_MANAGER}`, ...extra, '-f', '-'], yaml);
}

/** Applies and throws unless every object was applied without a warning. */
export async function mustApply(yaml: string, extra: string[] = []): Promise<string> {
  const r = await apply(yaml, extra);
  const applied = (r.stdout.match(/ serverside-applied$/gm) ?? []).length;
  if (r.code !== 0 || applied !== objectCount(yaml) || /Warning/.test(r.stderr)) {
    throw new Error(`apply: exit ${r.code}, ${applied} of ${objectCount(yaml)} objects applied\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** Creates (or re-labels) a namespace with a Pod Security level and waits for its default ServiceAccount. */
export async function podSecurityNamespace(name: string, level: 'restricted' | 'baseline' | 'privileged'): Promise<void> {
  await mustApply([
    'apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${name}`, '  labels:',
    `    pod-security.kubernetes.io/enforce: ${level}`, '    pod-security.kubernetes.io/enforce-version: latest',
    `    pod-security.kubernetes.io/warn: ${level}`, '',
  ].join('\n'));
  await waitFor(`the default ServiceAccount of namespace ${name}`, 60_000, async () => {
    const sas = await cluster().api.list(`/api/v1/namespaces/${name}/serviceaccounts`);
    return { done: sas.some((s) => s.metadata.name === 'default'), state: sas.map((s) => s.metadata.name).join(',') || 'none' };
  });
}

/** Events with a given reason (e.g. FailedCreate), as "namespace/object: message" lines. */
export async function events(reason: string, namespace?: string): Promise<string[]> {
  const base = namespace ? `/api/v1/namespaces/${namespace}/events` : '/api/v1/events';
  const items = await cluster().api.get(`${base}?fieldSelector=${encodeURIComponent(`reason=${reason}`)}`);
  return items.items.map((e: any) => `${e.involvedObject.namespace}/${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message}`);
}

/**
 * Schema validation against the Kubernetes 1.33 OpenAPI schemas compiled by kubernetes-models,
 * with unknown fields rejected. kubernetes-models' validators ignore unknown fields, so the
 * manifest is wrapped in proxies that record which properties the validator reads: a validator
 * reads every property its schema declares and enumerates maps (labels, resources), so a key
 * it never read is a field the schema does not have (a typo, or a field the API server drops).
 */

type Json = unknown;
type ModelModule = Record<string, { prototype: { validate(): void } } | undefined>;

interface Tracked {
  readonly path: string;
  readonly value: Record<string, Json>;
  readonly read: Set<string>;
  enumerated: boolean;
}

function track(value: Json, path: string, seen: Tracked[]): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, i) => track(item, `${path}/${i}`, seen));
  const entry: Tracked = { path, value: value as Record<string, Json>, read: new Set(), enumerated: false };
  seen.push(entry);
  const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, track(v, `${path}/${k}`, seen)]));
  return new Proxy(copy, {
    get(target, property, receiver) {
      if (typeof property === 'string') entry.read.add(property);
      return Reflect.get(target, property, receiver);
    },
    ownKeys(target) {
      entry.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

/** The kubernetes-models release line the harness is tested with (package.json devDependencies). */
export const KUBERNETES_MODELS_RANGE = '~4.5.1';

/**
 * The harness's only heavy dependency (Kubernetes JSON schemas, 32.8 MB) is a devDependency of
 * this package, not a dependency of its users: it is required at first use, never imported at
 * the top, so users who only synthesize never load or install it.
 */
export function missingKubernetesModelsMessage(cause: string): string {
  return 'cdk8s-workloads testing harness: schema validation needs the package "kubernetes-models", which is not installed '
    + `(${cause}). Install it in your project: npm install --save-dev kubernetes-models@${KUBERNETES_MODELS_RANGE}`;
}

let modelsChecked = false;

/** Throws a clear error naming the package and the install command when kubernetes-models is missing. */
export function requireKubernetesModels(): void {
  if (modelsChecked) return;
  try {
    // The core group exists in every release; its absence means the package itself is missing.
    require.resolve('kubernetes-models/v1');
  } catch (e) {
    throw new Error(missingKubernetesModelsMessage((e as Error).message.split('\n')[0]));
  }
  modelsChecked = true;
}

/**
 * API groups of CRDs whose schemas come from their own optional package (a devDependency of the
 * user's project, like kubernetes-models), with the release line the harness is tested with.
 * prometheus-operator 4.4.x holds the v0.65.1 CRDs (PrometheusRule, ServiceMonitor, PodMonitor);
 * 5.x is ESM-only and needs Node 22.
 */
export const CRD_MODELS: Record<string, { readonly packageName: string; readonly range: string }> = {
  'monitoring.coreos.com': { packageName: '@kubernetes-models/prometheus-operator', range: '~4.4.4' },
};

type ModelLookup = { model?: { prototype: { validate(): void } }; problem?: string };

function modelFor(apiVersion: string, kind: string): ModelLookup {
  if (!/^[a-z0-9.]+(\/v[0-9a-z]+)?$/.test(apiVersion)) return {};
  const crd = apiVersion.includes('/') ? CRD_MODELS[apiVersion.split('/')[0]] : undefined;
  if (crd) {
    try {
      require.resolve(crd.packageName);
    } catch {
      return { problem: `no schema for apiVersion "${apiVersion}" kind "${kind}": its schemas are in the package "${crd.packageName}", which is not installed. Install it in your project: npm install --save-dev ${crd.packageName}@${crd.range}` };
    }
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const models = require(`${crd ? crd.packageName : 'kubernetes-models'}/${apiVersion}`) as ModelModule;
    return { model: models[kind] };
  } catch {
    return {}; // an API group kubernetes-models does not have: reported as "no schema"
  }
}

/** Schema problems of one manifest: type errors, missing required fields, unknown fields. */
export function schemaProblems(manifest: Record<string, Json>): string[] {
  requireKubernetesModels();
  const apiVersion = String(manifest.apiVersion ?? '');
  const kind = String(manifest.kind ?? '');
  const { model, problem } = modelFor(apiVersion, kind);
  if (problem) return [problem];
  if (!model) return [`no Kubernetes schema for apiVersion "${apiVersion}" kind "${kind}"`];
  const seen: Tracked[] = [];
  const proxy = track(manifest, '', seen);
  const problems: string[] = [];
  try {
    model.prototype.validate.call(proxy);
  } catch (e) {
    problems.push(`schema: ${(e as Error).message}`);
  }
  for (const entry of seen) {
    if (entry.enumerated) continue;
    for (const key of Object.keys(entry.value)) {
      if (!entry.read.has(key)) problems.push(`unknown field ${entry.path}/${key}`);
    }
  }
  return problems;
}

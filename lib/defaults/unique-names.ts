/**
 * Two objects of one kind with one name in one namespace are one object to the API server: the
 * one applied later silently replaces the other (a backup named like its database would replace
 * the database's scripts ConfigMap and NetworkPolicy). Nothing in cdk8s checks across charts, so
 * every library construct checks its objects against the others' when it is complete (an error
 * at construction), and an app-wide check at synth catches collisions with the user's objects.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { ConfigurationError } from '../errors';
import { CLUSTER_SCOPED_KINDS } from '../kube/cluster-scoped';

const REGISTRY = Symbol.for('cdk8s-workloads.unique-names');

/** The objects library constructs created so far, per app: key -> the object. */
type Registry = Map<string, ApiObject>;

/**
 * Checks, when a library construct is complete, that none of its objects takes a name another
 * library construct already uses (a ConfigurationError naming both), and registers the app-wide
 * check at synth (once per app), which also catches the user's own objects.
 */
export function checkUniqueNames(scope: IConstruct): void {
  const root = scope.node.root;
  const holder = root as unknown as Record<symbol, Registry | undefined>;
  let registry = holder[REGISTRY];
  if (!registry) {
    registry = new Map();
    holder[REGISTRY] = registry;
    root.node.addValidation(new UniqueNames(root));
  }
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    const key = cachedKey(child);
    const first = registry.get(key);
    if (first && first !== child) {
      throw new ConfigurationError(scope, 'name', `gives ${describe(child)} a name ${owner(first)} already uses: the one applied later would replace the other`, child.name,
        'Give this construct (or the other one) another `name`, or put the charts in different namespaces.');
    }
    registry.set(key, child);
  }
}

function objectKey(object: ApiObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  const namespace = CLUSTER_SCOPED_KINDS.has(object.kind) ? '' : object.metadata.namespace ?? '';
  return `${group}|${object.kind}|${namespace}|${object.name}`;
}

function describe(object: ApiObject): string {
  const namespace = CLUSTER_SCOPED_KINDS.has(object.kind) ? undefined : object.metadata.namespace;
  return `its ${object.kind} "${object.name}"${namespace ? ` in namespace "${namespace}"` : ''}`;
}

/**
 * The app-wide check. cdk8s runs every validation of the app once per `App.synth()` and again for
 * each chart's `toJson()` (K + 1 passes for K charts), on a tree that does not change in between:
 * the check remembers its last answer and the objects it was for, and recomputes only when an
 * object was added or removed. The keys are immutable per object (kind, apiVersion, name and
 * namespace are fixed at construction), so they are computed once per object.
 */
class UniqueNames implements IValidation {
  private lastObjects: ApiObject[] = [];
  private lastProblems: string[] = [];

  constructor(private readonly root: IConstruct) {}

  public validate(): string[] {
    const objects = this.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    if (!sameObjects(objects, this.lastObjects)) {
      this.lastObjects = objects;
      this.lastProblems = problemsOf(objects);
    }
    return [...this.lastProblems];
  }
}

function sameObjects(a: ApiObject[], b: ApiObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const KEYS = new WeakMap<ApiObject, string>();

function cachedKey(object: ApiObject): string {
  let key = KEYS.get(object);
  if (key === undefined) {
    key = objectKey(object);
    KEYS.set(object, key);
  }
  return key;
}

function problemsOf(objects: ApiObject[]): string[] {
  const seen = new Map<string, ApiObject>();
  const problems: string[] = [];
  for (const child of objects) {
    const key = cachedKey(child);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, child);
      continue;
    }
    const namespace = CLUSTER_SCOPED_KINDS.has(child.kind) ? '' : child.metadata.namespace ?? '';
    const where = namespace ? ` in namespace "${namespace}"` : (CLUSTER_SCOPED_KINDS.has(child.kind) ? '' : ' (no namespace: the one kubectl uses)');
    problems.push(`${child.kind} "${child.name}"${where} is defined twice, by ${owner(first)} and by ${owner(child)}: the one applied later replaces the other. `
      + 'Give one of them another `name` (or put the charts in different namespaces).');
  }
  return problems;
}

/** The construct a user wrote: the nearest ancestor below the chart (the library construct), not its inner L1 object. */
function owner(object: ApiObject): string {
  const chart = Chart.of(object);
  const scopes = object.node.scopes;
  const index = scopes.indexOf(chart);
  const top = scopes[index + 1] ?? object;
  return top === object || top instanceof App ? object.node.path : `${top.node.path} (${object.node.path})`;
}

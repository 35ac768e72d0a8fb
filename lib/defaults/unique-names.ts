/**
 * Two objects of one kind with one name in one namespace are one object to the API server: the
 * one applied later silently replaces the other (a backup named like its database would replace
 * the database's scripts ConfigMap and NetworkPolicy). Nothing in cdk8s checks across charts, so
 * every construct of the library registers this check on the app, once; it runs at synth, when
 * every object exists, and names both construct paths.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { CLUSTER_SCOPED_KINDS } from '../kube/cluster-scoped';

const REGISTERED = Symbol.for('cdk8s-workloads.unique-names');

/** Registers the app-wide name check (once per app) for the app `scope` belongs to. */
export function checkUniqueNames(scope: IConstruct): void {
  const root = scope.node.root;
  const holder = root as unknown as Record<symbol, boolean>;
  if (holder[REGISTERED]) return;
  holder[REGISTERED] = true;
  root.node.addValidation(new UniqueNames(root));
}

class UniqueNames implements IValidation {
  constructor(private readonly root: IConstruct) {}

  public validate(): string[] {
    const seen = new Map<string, ApiObject>();
    const problems: string[] = [];
    for (const child of this.root.node.findAll()) {
      if (!(child instanceof ApiObject)) continue;
      const group = child.apiVersion.includes('/') ? child.apiVersion.split('/')[0] : '';
      const namespace = CLUSTER_SCOPED_KINDS.has(child.kind) ? '' : child.metadata.namespace ?? '';
      const key = `${group}|${child.kind}|${namespace}|${child.name}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, child);
        continue;
      }
      const where = namespace ? ` in namespace "${namespace}"` : (CLUSTER_SCOPED_KINDS.has(child.kind) ? '' : ' (no namespace: the one kubectl uses)');
      problems.push(`${child.kind} "${child.name}"${where} is defined twice, by ${owner(first)} and by ${owner(child)}: the one applied later replaces the other. `
        + 'Give one of them another `name` (or put the charts in different namespaces).');
    }
    return problems;
  }
}

/** The construct a user wrote: the nearest ancestor below the chart (the library construct), not its inner L1 object. */
function owner(object: ApiObject): string {
  const chart = Chart.of(object);
  const scopes = object.node.scopes;
  const index = scopes.indexOf(chart);
  const top = scopes[index + 1] ?? object;
  return top === object || top instanceof App ? object.node.path : `${top.node.path} (${object.node.path})`;
}

/**
 * Runtime checks of props, for callers TypeScript does not check: plain JavaScript, and Python,
 * Java or Go through jsii. A wrong type must be a ConfigurationError naming the prop, never a
 * TypeError from inside cdk8s; a misspelled key must never silently do nothing.
 */
import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';

/** Every key of a props interface; the compiler fails when a prop is added and not listed. */
export type PropKeys<T> = { readonly [K in keyof Required<T>]: true };

/** Rejects keys that are not props, suggesting the closest one (`replica` -> `replicas`). */
export function rejectUnknownProps(scope: IConstruct | string, props: unknown, known: Record<string, true>, what: string): void {
  if (props === undefined || props === null) return;
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw new ConfigurationError(scope, 'props', `must be an object of ${what}`, props, `Pass an object such as { } with the props of ${what}.`);
  }
  for (const key of Object.keys(props)) {
    if (key in known) continue;
    const suggestion = closest(key, Object.keys(known));
    throw new ConfigurationError(scope, key, `is not a prop of ${what}`, (props as Record<string, unknown>)[key],
      suggestion ? `Did you mean \`${suggestion}\`?` : `Known props: ${Object.keys(known).sort().join(', ')}.`);
  }
}

/** The kinds a prop value may have to be, as the user would call them. */
export enum PropType { SIZE = 'a cdk8s Size (e.g. Size.gibibytes(10))', DURATION = 'a cdk8s Duration (e.g. Duration.minutes(5))', BOOLEAN = 'true or false', NUMBER = 'a number', STRING = 'a string' }

/** Throws when a set prop has the wrong type (undefined passes: the default applies). */
export function checkType(scope: IConstruct | string, prop: string, value: unknown, type: PropType): void {
  if (value === undefined) return;
  const ok = type === PropType.SIZE ? value instanceof Size
    : type === PropType.DURATION ? value instanceof Duration
      : type === PropType.BOOLEAN ? typeof value === 'boolean'
        : type === PropType.NUMBER ? typeof value === 'number'
          : typeof value === 'string';
  if (!ok) throw new ConfigurationError(scope, prop, `must be ${type}`, value, `Pass ${type}.`);
}

/** Throws when a set prop is not one of the enum's values (a lowercase or misspelled string would reach the YAML). */
export function checkEnum(scope: IConstruct | string, prop: string, value: unknown, values: Record<string, string>, enumName: string): void {
  if (value === undefined) return;
  const allowed = Object.values(values);
  if (typeof value === 'string' && allowed.includes(value)) return;
  const members = Object.keys(values).map((k) => `${enumName}.${k}`);
  throw new ConfigurationError(scope, prop, `must be one of ${members.join(', ')}`, value, `Use ${members[0]}, for example.`);
}

/** The candidate within two edits, differing only in case, or extending the key, if any. */
function closest(key: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const lower = key.toLowerCase();
    const other = candidate.toLowerCase();
    // A prefix counts as one edit: `namespace` for `namespaceName` (the old name of a renamed prop).
    const d = other === lower ? 0
      : lower.length >= 4 && other.startsWith(lower) ? 0.5
        : distance(key, candidate);
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/**
 * An id the scope can take: constructs would throw "There is already a Construct with name ..."
 * (no prop, no fix) for a duplicate. Called before `super(scope, id)`.
 */
export function checkConstructId(scope: IConstruct, id: string): void {
  const where = scope.node.path ? `${scope.node.path}/${id}` : id;
  if (typeof id !== 'string' || id === '') throw new ConfigurationError(scope, 'id (the construct id)', 'must be a non-empty string', id, 'Pass an id such as "orders-db".');
  const existing = scope.node.tryFindChild(id);
  if (existing) {
    throw new ConfigurationError(where, 'id (the construct id)', `is already used in ${scope.node.path || 'the app'} by a ${existing.constructor.name}`, id, 'Give each construct in a scope its own id.');
  }
}

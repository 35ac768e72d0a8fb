import { IConstruct } from 'constructs';

/**
 * The one error type of the library: it names the construct path, the prop, the value received
 * and the fix, so a user can act on it without reading our source.
 */
export class ConfigurationError extends Error {
  constructor(scope: IConstruct | string, prop: string, problem: string, value: unknown, fix: string) {
    const where = typeof scope === 'string' ? scope : scope.node.path;
    super(`${where}: ${prop} ${problem} (got ${render(value)}). ${fix}`);
    this.name = 'ConfigurationError';
  }
}

/** Several problems found at once (conflicting props): one error listing all of them. */
export class ConfigurationErrors extends Error {
  constructor(scope: IConstruct, problems: string[]) {
    super(`${scope.node.path}: ${problems.length} configuration problem(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

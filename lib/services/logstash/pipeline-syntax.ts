/**
 * The Logstash pipeline configuration language (the subset this library writes): sections
 * `input`, `filter`, `output`, each a list of plugins `name { setting => value ... }`, values
 * being double-quoted strings, numbers, booleans, arrays and hashes. Rendering is the one
 * place this syntax is written, so what a plugin says is always well-formed.
 *
 * Strings are written without escapes: Logstash keeps a backslash literally unless
 * `config.support_escapes` is on, so a string holding `"` or `\` cannot be written
 * portably and is rejected (by `stringProblem`) before it gets here.
 */

/** A setting value. */
export type LogstashValue = string | number | boolean | LogstashValue[] | { readonly [key: string]: string };

/** One plugin block, e.g. `elasticsearch { hosts => [...] }`. */
export interface LogstashPlugin {
  readonly name: string;
  readonly settings: ReadonlyArray<readonly [string, LogstashValue]>;
}

/** Why a string cannot be written into the pipeline file, or undefined. */
export function stringProblem(value: string): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (/["\\]/.test(value)) return 'must not contain a double quote or a backslash (Logstash keeps escapes literally unless config.support_escapes is on)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'must not contain control characters or line breaks';
  return undefined;
}

function renderValue(value: LogstashValue): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  const entries = Object.entries(value);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `"${k}" => "${v}"`).join(' ')} }`;
}

function renderPlugin(plugin: LogstashPlugin, indent: string): string {
  if (plugin.settings.length === 0) return `${indent}${plugin.name} {}`;
  const inner = `${indent}  `;
  const width = Math.max(...plugin.settings.map(([key]) => key.length));
  return [
    `${indent}${plugin.name} {`,
    ...plugin.settings.map(([key, value]) => `${inner}${key.padEnd(width)} => ${renderValue(value)}`),
    `${indent}}`,
  ].join('\n');
}

/** The pipeline file: the sections in Logstash's order, empty sections left out. */
export function renderPipeline(sections: { input: LogstashPlugin[]; filter: LogstashPlugin[]; output: LogstashPlugin[] }): string {
  return (['input', 'filter', 'output'] as const)
    .filter((name) => sections[name].length > 0)
    .map((name) => [`${name} {`, ...sections[name].map((p) => renderPlugin(p, '  ')), '}'].join('\n'))
    .join('\n\n') + '\n';
}

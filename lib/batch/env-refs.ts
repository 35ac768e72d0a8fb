/**
 * Kubernetes' `$(VAR)` expansion in container command and args, done the way the kubelet does
 * it (k8s.io/kubernetes third_party/forked/golang/expansion): `$$` is an escape for `$`, `$(NAME)`
 * is replaced by the container's env var NAME, and a reference to an undeclared variable is left
 * verbatim. That last rule is the trap: a typo such as `$(JOB_COMPLETION_IDX)` reaches the
 * program as literal text instead of failing, so we reject it at construction.
 */
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';

/** Names the API server (1.27) accepts for env vars; other `$(...)` text can never resolve. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

type Piece = { text: string } | { reference: string };

/** Splits a string into literal text and `$(NAME)` references, exactly as the kubelet reads it. */
function parse(input: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 === input.length) {
      literal += input[i];
      continue;
    }
    const next = input[i + 1];
    const close = next === '(' ? input.indexOf(')', i + 2) : -1;
    if (next === '$') {
      literal += '$'; // `$$` is the escape: one `$`, and the `(` after it is plain text
      i += 1;
    } else if (close >= 0) {
      if (literal) pieces.push({ text: literal });
      literal = '';
      pieces.push({ reference: input.slice(i + 2, close) });
      i = close;
    } else {
      literal += '$';
    }
  }
  if (literal) pieces.push({ text: literal });
  return pieces;
}

/** The variable names a string references with `$(NAME)` (text that could be an env var name only). */
export function kubernetesVariableReferences(input: string): string[] {
  return parse(input)
    .flatMap((p) => ('reference' in p ? [p.reference] : []))
    .filter((name) => ENV_NAME.test(name));
}

/** What the container receives for `input` given its env (undeclared references stay verbatim). */
export function expandKubernetesVariables(input: string, env: Record<string, string>): string {
  return parse(input)
    .map((p) => ('text' in p ? p.text : Object.prototype.hasOwnProperty.call(env, p.reference) ? env[p.reference] : `$(${p.reference})`))
    .join('');
}

/**
 * Throws when a `$(NAME)` in the command or args names no declared env var of the container.
 * `prop` is the prop to blame, e.g. `command` or `args`.
 */
export function validateVariableReferences(scope: IConstruct, prop: string, values: readonly string[], declared: readonly string[]): void {
  const known = new Set(declared);
  values.forEach((value, index) => {
    const missing = kubernetesVariableReferences(value).filter((name) => !known.has(name));
    if (missing.length === 0) return;
    throw new ConfigurationError(scope, `${prop}[${index}]`, `references $(${missing[0]}), which is not a declared env var of the container`, value,
      `Kubernetes only expands variables declared in the container's env (declared: ${declared.length ? [...declared].sort().join(', ') : 'none'}); `
      + `add ${missing[0]} to env, fix the name, or write $$(${missing[0]}) to pass the text through literally.`);
  });
}

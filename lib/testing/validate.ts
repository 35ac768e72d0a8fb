/**
 * "Is this chart valid Kubernetes?" in one line: schema validation with unknown fields rejected,
 * plus the API-server rules a schema misses. Optionally the restricted Pod Security Standard and
 * production checks (explicit resources). Usable from any cdk8s project's tests.
 *
 * Schema validation needs kubernetes-models, which users install themselves (a devDependency of
 * their project): it is loaded at first use, and a clear error names it when it is missing.
 * `Harness` is the API for every jsii language; the free functions are the TypeScript shorthand.
 */
import { Chart, Testing } from 'cdk8s';
import { API_RULES, crossManifestProblems } from './api-rules';
import { Manifest } from './pod';
import type { ValidationOptions } from './index';
import { productionProblems, restrictedPodSecurityProblems } from './pod-security';
import { requireKubernetesModels, schemaProblems } from './schema';

export { restrictedPodSecurityProblems, productionProblems } from './pod-security';
export { schemaProblems } from './schema';
export type { Manifest } from './pod';


/** Every problem of a set of manifests, each prefixed with `Kind/name:`. Empty means valid. */
export function validateManifests(manifests: Manifest[], options: ValidationOptions = {}): string[] {
  requireKubernetesModels();
  const problems: string[] = [];
  for (const m of manifests) {
    const id = `${m.kind}/${m.metadata?.name}`;
    const own = [...schemaProblems(m), ...API_RULES.flatMap((rule) => rule(m))];
    if (options.restricted && !(options.restrictedExemptions ?? []).includes(id)) own.push(...restrictedPodSecurityProblems(m).map((p) => `restricted: ${p}`));
    if (options.production) own.push(...productionProblems(m).map((p) => `production: ${p}`));
    problems.push(...own.map((p) => `${id}: ${p}`));
  }
  return [...problems, ...crossManifestProblems(manifests)];
}

/** Throws one error listing every problem; returns the manifests when they are valid. */
export function assertValidManifests(manifests: Manifest[], options: ValidationOptions = {}): Manifest[] {
  const problems = validateManifests(manifests, options);
  if (problems.length > 0) throw new Error(`${problems.length} problem(s) in synthesized manifests:\n  ${problems.join('\n  ')}`);
  return manifests;
}

/** Synthesizes a chart and asserts that every manifest is valid; returns the manifests. */
export function synthValid(chart: Chart, options: ValidationOptions = {}): Manifest[] {
  return assertValidManifests(Testing.synth(chart), options);
}

/** The one manifest of a kind and name; throws listing what exists when it is missing. */
export function findManifest(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind}/${name}; have ${manifests.map((m) => `${m.kind}/${m.metadata?.name}`).join(', ')}`);
  return found;
}


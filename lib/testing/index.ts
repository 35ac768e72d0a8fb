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
import { productionProblems, restrictedPodSecurityProblems } from './pod-security';
import { requireKubernetesModels, schemaProblems } from './schema';

export { restrictedPodSecurityProblems, productionProblems } from './pod-security';
export { schemaProblems } from './schema';

export interface ValidationOptions {
  /**
   * Also require every pod to pass the restricted Pod Security Standard.
   * @default false
   */
  readonly restricted?: boolean;
  /**
   * Also require explicit cpu/memory requests and limits on every container.
   * @default false
   */
  readonly production?: boolean;
  /**
   * Names (`Kind/name`) exempt from the restricted check, e.g. node agents that need hostPath.
   * @default - none
   */
  readonly restrictedExemptions?: string[];
}

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

/**
 * The test harness as static methods, reachable from every jsii language (jsii drops free
 * functions). A manifest is the plain JSON object `Testing.synth` returns.
 *
 * `synthValid`, `validateManifests`, `assertValidManifests` and `schemaProblems` need the
 * package kubernetes-models (`npm install --save-dev kubernetes-models@~4.5.1`) and throw an
 * error naming it when it is missing; the other methods do not need it.
 */
export class Harness {
  /**
   * Synthesizes a chart and asserts that every manifest is valid.
   * @returns the synthesized manifests
   * @throws an error listing every problem, each prefixed with `Kind/name:`
   */
  public static synthValid(chart: Chart, options?: ValidationOptions): any[] {
    return synthValid(chart, options);
  }

  /**
   * Every problem of a set of manifests, each prefixed with `Kind/name:`.
   * @returns the problems; empty means valid
   */
  public static validateManifests(manifests: any[], options?: ValidationOptions): string[] {
    return validateManifests(manifests, options);
  }

  /**
   * Throws one error listing every problem.
   * @returns the manifests, when they are valid
   */
  public static assertValidManifests(manifests: any[], options?: ValidationOptions): any[] {
    return assertValidManifests(manifests, options);
  }

  /**
   * The one manifest of a kind and name.
   * @throws an error listing the manifests that exist, when it is missing
   */
  public static findManifest(manifests: any[], kind: string, name: string): any {
    return findManifest(manifests, kind, name);
  }

  /** Schema problems of one manifest: type errors, missing required fields, unknown fields. */
  public static schemaProblems(manifest: any): string[] {
    return schemaProblems(manifest);
  }

  /** Why a workload's pods fail the restricted Pod Security Standard (empty: they pass). */
  public static restrictedPodSecurityProblems(manifest: any): string[] {
    return restrictedPodSecurityProblems(manifest);
  }

  /** Containers without explicit cpu/memory requests and limits, or with cdk8s-plus's injected defaults. */
  public static productionProblems(manifest: any): string[] {
    return productionProblems(manifest);
  }

  private constructor() {}
}

export type { Manifest } from './pod';

/**
 * The exported test harness (`import { testing } from 'cdk8s-workloads'`): `Harness` and its
 * options, the jsii-visible API for every language. "Is this chart valid Kubernetes?" in one
 * line: schema validation with unknown fields rejected, plus the API-server rules a schema
 * misses, and optionally the restricted Pod Security Standard and production checks.
 *
 * Schema validation needs kubernetes-models, which users install themselves (a devDependency of
 * their project): it is loaded at first use, and a clear error names it when it is missing.
 * The functions behind it live in validate.ts (the library's own tests use them directly).
 */
import { Chart } from 'cdk8s';
import { productionProblems, restrictedPodSecurityProblems } from './pod-security';
import { schemaProblems } from './schema';
import { assertValidManifests, findManifest, synthValid, validateManifests } from './validate';

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

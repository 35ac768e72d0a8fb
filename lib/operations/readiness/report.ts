/** The structured result of a readiness check. */
import { ReadinessRule, ReadinessSeverity } from './rules';

/** One problem, naming the object by apiVersion, kind, namespace and name (names repeat across kinds). */
export interface ReadinessProblem {
  /** The rule that found it. */
  readonly rule: ReadinessRule;
  /** The rule's severity. */
  readonly severity: ReadinessSeverity;
  /**
   * The construct path of the object.
   * @default - unknown (plain manifests, or a name several objects share in the cdk8s-cli metadata)
   */
  readonly constructPath?: string;
  /** The object's apiVersion. */
  readonly apiVersion: string;
  /** The object's kind. */
  readonly kind: string;
  /**
   * The object's namespace.
   * @default - none set (the namespace the manifests are applied to)
   */
  readonly namespaceName?: string;
  /** The object's metadata.name. */
  readonly name: string;
  /**
   * Where in the object, e.g. `spec.template.spec.containers[0]`.
   * @default - the object as a whole
   */
  readonly location?: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A problem an annotation suppressed, with its reason. */
export interface ReadinessSuppressedProblem extends ReadinessProblem {
  /** The reason given in the annotation. */
  readonly reason: string;
}

function problemJson(p: ReadinessProblem): Record<string, unknown> {
  return {
    rule: p.rule, severity: p.severity, constructPath: p.constructPath, apiVersion: p.apiVersion, kind: p.kind,
    namespace: p.namespaceName, name: p.name, location: p.location, message: p.message, fix: p.fix,
  };
}

/** The problems of a check, and those suppressed. */
export class ReadinessReport {
  /** The problems, grouped by object in manifest order. */
  public readonly problems: ReadinessProblem[];
  /** The problems annotations suppressed, with their reasons. */
  public readonly suppressed: ReadinessSuppressedProblem[];

  constructor(problems: ReadinessProblem[], suppressed: ReadinessSuppressedProblem[]) {
    this.problems = problems;
    this.suppressed = suppressed;
  }

  /** The problems of severity error. */
  public get errors(): ReadinessProblem[] {
    return this.problems.filter((p) => p.severity === ReadinessSeverity.ERROR);
  }

  /** The problems of severity warning. */
  public get warnings(): ReadinessProblem[] {
    return this.problems.filter((p) => p.severity === ReadinessSeverity.WARNING);
  }

  /**
   * Whether the check fails: some problem is at least as severe as `failOn`.
   * @param failOn ERROR (default): only errors fail; WARNING: warnings fail too
   */
  public failed(failOn: ReadinessSeverity = ReadinessSeverity.ERROR): boolean {
    return failOn === ReadinessSeverity.WARNING ? this.problems.length > 0 : this.errors.length > 0;
  }

  /** The report as JSON: a summary, the problems and the suppressed problems (with `namespace`). */
  public toJson(): any {
    return {
      summary: { errors: this.errors.length, warnings: this.warnings.length, suppressed: this.suppressed.length },
      problems: this.problems.map(problemJson),
      suppressed: this.suppressed.map((p) => ({ ...problemJson(p), reason: p.reason })),
    };
  }

  /** A Markdown table of the problems and one of the suppressions, for a runbook or a pull request. */
  public toMarkdown(): string {
    const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const object = (p: ReadinessProblem) => `${p.kind}/${p.name}${p.namespaceName ? ` (${p.namespaceName})` : ''}`;
    const lines = [`${this.errors.length} error(s), ${this.warnings.length} warning(s), ${this.suppressed.length} suppressed.`, ''];
    if (this.problems.length > 0) {
      lines.push('| severity | rule | object | construct | problem | fix |', '|---|---|---|---|---|---|');
      for (const p of this.problems) lines.push(`| ${p.severity} | ${p.rule} | ${cell(object(p))} | ${cell(p.constructPath)} | ${cell(p.message)} | ${cell(p.fix)} |`);
      lines.push('');
    }
    if (this.suppressed.length > 0) {
      lines.push('| rule | object | problem | reason |', '|---|---|---|---|');
      for (const p of this.suppressed) lines.push(`| ${p.rule} | ${cell(object(p))} | ${cell(p.message)} | ${cell(p.reason)} |`);
      lines.push('');
    }
    return lines.join('\n');
  }
}

import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';

/** What a probe runs: one handler, as the API server demands. */
export class ProbeHandler {
  /** Runs a command in the container; exit code 0 means healthy. */
  public static exec(command: string[]): ProbeHandler {
    return new ProbeHandler((options) => kplus.Probe.fromCommand(command, options), `exec ${JSON.stringify(command)}`);
  }
  /** An HTTP GET; a 2xx or 3xx status means healthy. */
  public static http(path: string, port: number): ProbeHandler {
    return new ProbeHandler((options) => kplus.Probe.fromHttpGet(path, { ...options, port }), `GET :${port}${path}`);
  }
  /** A TCP connection that opens means healthy. */
  public static tcp(port: number): ProbeHandler {
    return new ProbeHandler((options) => kplus.Probe.fromTcpSocket({ ...options, port }), `tcp :${port}`);
  }
  private constructor(private readonly build: (options: kplus.ProbeOptions) => kplus.Probe, public readonly description: string) {}

  /** A cdk8s-plus probe with these timings. */
  public toProbe(timings: ProbeTimings): kplus.Probe {
    return this.build({
      initialDelaySeconds: Duration.seconds(timings.initialDelaySeconds),
      periodSeconds: Duration.seconds(timings.periodSeconds),
      timeoutSeconds: Duration.seconds(timings.timeoutSeconds),
      failureThreshold: timings.failureThreshold,
      successThreshold: timings.successThreshold ?? 1,
    });
  }
}

/** Explicit probe timings, in seconds: every probe this library writes states all of them. */
export interface ProbeTimings {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  /**
   * Consecutive successes to count as healthy again (readiness only; liveness/startup must be 1).
   * @default 1
   */
  readonly successThreshold?: number;
}

/**
 * Timings per role. They differ on purpose:
 * - startup holds off liveness while a process starts or recovers (up to failureThreshold x period);
 * - readiness reacts quickly (stop routing traffic after 30 s of failures);
 * - liveness is lenient (a restart is expensive: 60 s of failures before it happens).
 */
export const PROBE_TIMINGS = {
  /** Generic services: 2 minutes to start. */
  service: {
    startup: { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 24 },
    readiness: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    liveness: { initialDelaySeconds: 0, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
  },
  /** Databases: 10 minutes to start or finish crash recovery before liveness may restart them. */
  database: {
    startup: { initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 60 },
    readiness: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    liveness: { initialDelaySeconds: 0, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
  },
} as const;

/** The three probes of a container. */
export interface ProbeSet {
  readonly startup: kplus.Probe;
  readonly readiness: kplus.Probe;
  readonly liveness: kplus.Probe;
}

/** Probes per role from one or two handlers (liveness often checks less than readiness). */
export function probeSet(timings: { startup: ProbeTimings; readiness: ProbeTimings; liveness: ProbeTimings }, readiness: ProbeHandler, liveness: ProbeHandler = readiness): ProbeSet {
  return {
    startup: liveness.toProbe(timings.startup),
    readiness: readiness.toProbe(timings.readiness),
    liveness: liveness.toProbe(timings.liveness),
  };
}

/** Rejects timings the API server rejects or that make a probe meaningless. */
export function validateProbeTimings(scope: IConstruct, prop: string, timings: ProbeTimings, role: 'startup' | 'readiness' | 'liveness'): void {
  const fix = 'Use whole seconds with timeoutSeconds below periodSeconds and thresholds >= 1.';
  for (const [field, value, min] of [['initialDelaySeconds', timings.initialDelaySeconds, 0], ['periodSeconds', timings.periodSeconds, 1], ['timeoutSeconds', timings.timeoutSeconds, 1], ['failureThreshold', timings.failureThreshold, 1]] as const) {
    if (!Number.isInteger(value) || value < min) throw new ConfigurationError(scope, `${prop}.${field}`, `must be an integer >= ${min}`, value, fix);
  }
  if (timings.timeoutSeconds >= timings.periodSeconds) {
    throw new ConfigurationError(scope, `${prop}.timeoutSeconds`, `must be below periodSeconds (${timings.periodSeconds})`, timings.timeoutSeconds, fix);
  }
  if (role !== 'readiness' && (timings.successThreshold ?? 1) !== 1) {
    throw new ConfigurationError(scope, `${prop}.successThreshold`, `must be 1 for a ${role} probe`, timings.successThreshold, 'Only readiness probes may require several successes.');
  }
}

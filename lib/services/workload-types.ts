/** The value shapes a StatelessWorkload takes: its ports and its probes. */
import type { ProbeHandler, ProbeTimings } from '../defaults/probes';

/** A TCP port the container listens on, and the Service port of the same number. */
export interface WorkloadPort {
  /** The port name (at most 15 characters, e.g. `http`): Services with several ports need names. */
  readonly name: string;
  /** The port number, 1-65535. */
  readonly port: number;
  /**
   * Also a port of the Service and of the NetworkPolicy. Off for ports only the kubelet uses
   * (probes: kubelet traffic is not subject to NetworkPolicies on common CNIs).
   * @default true
   */
  readonly expose?: boolean;
}

/** Explicit timings per probe role (each defaults to the library's service timings). */
export interface WorkloadProbeTimings {
  /**
   * How long the process may take to start (failureThreshold x periodSeconds).
   * @default - 2 minutes: 24 x 5 s
   */
  readonly startup?: ProbeTimings;
  /**
   * @default - every 10 s, out of rotation after 3 failures
   */
  readonly readiness?: ProbeTimings;
  /**
   * @default - every 20 s, restarted after 3 failures
   */
  readonly liveness?: ProbeTimings;
}

/** The health checks of a StatelessWorkload. */
export interface WorkloadProbes {
  /** Whether the pod should receive traffic. */
  readonly readiness: ProbeHandler;
  /**
   * Whether the process is alive (restarted when it fails); also the startup check.
   * Often checks less than readiness: a dependency being down is no reason to restart.
   * @default - the readiness handler
   */
  readonly liveness?: ProbeHandler;
  /**
   * @default - the library's service timings
   */
  readonly timings?: WorkloadProbeTimings;
}

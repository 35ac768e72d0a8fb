import * as kplus from 'cdk8s-plus-27';
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { parseQuantity } from '../kube/quantity';

/**
 * Named container sizes with explicit requests and limits. Every container this library creates
 * gets one of these (or the user's own), never cdk8s-plus's injected 1000m/512Mi-1500m/2048Mi.
 */
export enum ResourcePreset {
  /** 50m / 64Mi requested, 100m / 128Mi limit: exporters and tiny agents. */
  NANO = 'nano',
  /** 100m / 128Mi requested, 250m / 256Mi limit: init containers, sidecars. */
  MICRO = 'micro',
  /** 250m / 256Mi requested, 500m / 512Mi limit: small jobs, caches. */
  SMALL = 'small',
  /** 500m / 1Gi requested, 1 CPU / 2Gi limit: a small database. */
  MEDIUM = 'medium',
  /** 1 CPU / 2Gi requested, 2 CPU / 4Gi limit. */
  LARGE = 'large',
  /** 2 CPU / 4Gi requested, 4 CPU / 8Gi limit. */
  XLARGE = 'xlarge',
}

// [cpu request m, cpu limit m, memory request Mi, memory limit Mi]
const PRESETS: Record<ResourcePreset, [number, number, number, number]> = {
  [ResourcePreset.NANO]: [50, 100, 64, 128],
  [ResourcePreset.MICRO]: [100, 250, 128, 256],
  [ResourcePreset.SMALL]: [250, 500, 256, 512],
  [ResourcePreset.MEDIUM]: [500, 1000, 1024, 2048],
  [ResourcePreset.LARGE]: [1000, 2000, 2048, 4096],
  [ResourcePreset.XLARGE]: [2000, 4000, 4096, 8192],
};

/** The cdk8s-plus resources of a preset. */
export function presetResources(preset: ResourcePreset): kplus.ContainerResources {
  const [cpuRequest, cpuLimit, memoryRequest, memoryLimit] = PRESETS[preset];
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequest), limit: kplus.Cpu.millis(cpuLimit) },
    memory: { request: Size.mebibytes(memoryRequest), limit: Size.mebibytes(memoryLimit) },
  };
}

/** Explicit resources from numbers: cpu in millicores, memory in MiB. */
export function explicitResources(cpuRequestMillis: number, cpuLimitMillis: number, memoryRequestMiB: number, memoryLimitMiB: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequestMillis), limit: kplus.Cpu.millis(cpuLimitMillis) },
    memory: { request: Size.mebibytes(memoryRequestMiB), limit: Size.mebibytes(memoryLimitMiB) },
  };
}

/**
 * Rejects what the API server or cdk8s-plus would reject later with a worse message:
 * a request above its limit, a missing cpu or memory section (cdk8s-plus would fill in its own
 * defaults), and memory that is not a whole number of MiB (cdk8s-plus throws deep in synth).
 */
export function validateResources(scope: IConstruct, prop: string, resources: kplus.ContainerResources): void {
  if (!resources.cpu || !resources.memory) {
    throw new ConfigurationError(scope, prop, 'must set both cpu and memory', Object.keys(resources), 'Pass a ResourcePreset or both cpu and memory requests and limits; otherwise cdk8s-plus injects 1000m/512Mi-1500m/2048Mi.');
  }
  const cpuRequest = resources.cpu.request && parseQuantity(resources.cpu.request.amount);
  const cpuLimit = resources.cpu.limit && parseQuantity(resources.cpu.limit.amount);
  if (cpuRequest !== undefined && cpuLimit !== undefined && cpuRequest > cpuLimit) {
    throw new ConfigurationError(scope, `${prop}.cpu`, 'has a request above its limit', `${resources.cpu.request!.amount} > ${resources.cpu.limit!.amount}`, 'Lower the request or raise the limit.');
  }
  for (const [which, size] of [['request', resources.memory.request], ['limit', resources.memory.limit]] as const) {
    if (size && !Number.isInteger(size.toMebibytes({ rounding: SizeRoundingBehavior.NONE }))) {
      throw new ConfigurationError(scope, `${prop}.memory.${which}`, 'must be a whole number of MiB', `${size.toKibibytes()}Ki`, 'Use Size.mebibytes() or Size.gibibytes().');
    }
  }
  const memoryRequest = resources.memory.request?.toKibibytes();
  const memoryLimit = resources.memory.limit?.toKibibytes();
  if (memoryRequest !== undefined && memoryLimit !== undefined && memoryRequest > memoryLimit) {
    throw new ConfigurationError(scope, `${prop}.memory`, 'has a request above its limit', `${memoryRequest / 1024}Mi > ${memoryLimit / 1024}Mi`, 'Lower the request or raise the limit.');
  }
}

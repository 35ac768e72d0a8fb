/** Validation of LogstashProps and the rendering of its files: errors name the prop and the fix. */
import * as kplus from 'cdk8s-plus-27';
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkType, PropKeys, PropType, rejectUnknownProps } from '../../defaults/props';
import { ConfigurationError, ConflictingPropsError } from '../../errors';
import type { WorkloadPort } from '../workload-types';
import type { LogstashProps } from './logstash';
import { LogstashFilter, LogstashInput, LogstashOutput, LogstashPipeline, PluginBinding, PluginSecretMount } from './pipeline';
import { LogstashPlugin, renderPipeline } from './pipeline-syntax';
import { LogstashPersistentQueue } from './queue';
import { env2yamlSetting, heapMebibytes, javaOptions, LOGSTASH, logstashSettings, renderSettings } from './settings';

const LOGSTASH_PROP_KEYS: PropKeys<LogstashProps> = {
  pipeline: true, name: true, image: true, replicas: true, autoscaling: true, resources: true, persistentQueue: true, env: true,
  clientLabels: true, allowFrom: true, allowedClients: true, disruptionBudget: true, terminationGracePeriod: true, partOf: true, clusterDomain: true,
};

/** The smallest heap that runs a small pipeline; below it Logstash spends its time in GC. */
const MIN_HEAP_MIB = 256;
/** Logstash rejects a queue no larger than one page (`queue.page_capacity`, 64mb). */
const MIN_QUEUE_MIB = 128;

export interface ResolvedLogstash {
  readonly name: string;
  readonly image: string;
  readonly resources: kplus.ContainerResources;
  readonly heapMebibytes: number;
  readonly javaOptions: string;
  readonly env: Record<string, kplus.EnvValue>;
  readonly ports: WorkloadPort[];
  readonly mounts: PluginSecretMount[];
  readonly pipelineText: string;
  readonly settingsText: string;
  readonly terminationGracePeriod: Duration;
}

export function resolveLogstash(scope: IConstruct, id: string, props: LogstashProps, defaultResources: kplus.ContainerResources): ResolvedLogstash {
  rejectUnknownProps(scope, props, LOGSTASH_PROP_KEYS, 'LogstashProps');
  if (!(props?.pipeline instanceof LogstashPipeline)) {
    throw new ConfigurationError(scope, 'pipeline', 'must be a LogstashPipeline', props?.pipeline, 'Pass e.g. LogstashPipeline.logs({ hosts: [\'https://elasticsearch:9200\'] }).');
  }
  checkType(scope, 'image', props.image, PropType.STRING);
  checkType(scope, 'terminationGracePeriod', props.terminationGracePeriod, PropType.DURATION);
  if (props.persistentQueue !== undefined && !(props.persistentQueue instanceof LogstashPersistentQueue)) {
    throw new ConfigurationError(scope, 'persistentQueue', 'must be a LogstashPersistentQueue', props.persistentQueue, 'Use LogstashPersistentQueue.emptyDir() or .persistentVolumeClaim(claim).');
  }
  queueConflicts(scope, props);
  checkImageVersion(scope, props.image);
  const name = props.name ?? id;
  const resources = props.resources ?? defaultResources;
  const heap = heapFromLimit(scope, resources);
  const bound = bindPipeline(scope, props.pipeline);
  const env = { ...bound.env, ...userEnv(scope, props.env ?? {}, bound.env) };
  const queue = props.persistentQueue;
  if (queue) {
    const mib = queue.maxBytes.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(mib) || mib < MIN_QUEUE_MIB) {
      throw new ConfigurationError(scope, 'persistentQueue.maxBytes', `must be a whole number of MiB, at least ${MIN_QUEUE_MIB} (more than one 64 MiB queue page)`, `${queue.maxBytes.toKibibytes()}Ki`, 'Use e.g. Size.gibibytes(1).');
    }
  }
  return {
    name,
    image: props.image ?? LOGSTASH.image,
    resources,
    heapMebibytes: heap,
    javaOptions: javaOptions(heap),
    env,
    ports: bound.ports,
    mounts: bound.mounts,
    pipelineText: renderPipeline(bound.sections),
    settingsText: renderSettings(logstashSettings(queue ? { maxBytes: queue.maxBytes } : undefined)),
    terminationGracePeriod: props.terminationGracePeriod ?? Duration.seconds(60),
  };
}

/**
 * The rendered settings are the 8.x names (`api.http.*`, `ssl_enabled`, `ssl_verification_mode`,
 * `ssl_certificate_authorities`: logstash-output-elasticsearch 11.14+, logstash-input-http
 * 3.7+); a 7.x image would reject them at start.
 */
function checkImageVersion(scope: IConstruct, image: string | undefined): void {
  const tag = image?.slice(image.lastIndexOf('/') + 1).split('@')[0].split(':')[1];
  const major = tag && /^(\d+)\./.exec(tag);
  if (major && Number(major[1]) < 8) {
    throw new ConfigurationError(scope, 'image', 'is Logstash 7 or older; the generated pipeline and logstash.yml use 8.x setting names', image, `Use an 8.x image, e.g. "${LOGSTASH.image}".`);
  }
}

function queueConflicts(scope: IConstruct, props: LogstashProps): void {
  if (!props.persistentQueue?._claim) return;
  const problems: string[] = [];
  if (props.replicas !== undefined && props.replicas !== 1) problems.push(`persistentQueue is on one PersistentVolumeClaim but replicas is ${props.replicas}: one claim holds one queue; set replicas: 1, or use LogstashPersistentQueue.emptyDir()`);
  else if (props.replicas === undefined && props.autoscaling === undefined) problems.push('persistentQueue is on one PersistentVolumeClaim but replicas defaults to 2: one claim holds one queue; set replicas: 1, or use LogstashPersistentQueue.emptyDir()');
  if (props.autoscaling !== undefined) problems.push('persistentQueue is on one PersistentVolumeClaim and autoscaling is set: new pods could not share the claim; drop autoscaling, or use LogstashPersistentQueue.emptyDir()');
  if (props.disruptionBudget !== undefined) problems.push('disruptionBudget is set but a queue on one claim runs one pod, which gets no PodDisruptionBudget; drop disruptionBudget');
  if (problems.length > 0) throw new ConflictingPropsError(scope, problems);
}

function heapFromLimit(scope: IConstruct, resources: kplus.ContainerResources): number {
  const limit: Size | undefined = resources?.memory?.limit;
  if (!limit) {
    throw new ConfigurationError(scope, 'resources.memory.limit', 'is required: the heap is sized from it', resources?.memory, 'Set a memory limit, e.g. Size.gibibytes(2) for a 1 GiB heap.');
  }
  const heap = heapMebibytes(limit);
  if (heap < MIN_HEAP_MIB) {
    throw new ConfigurationError(scope, 'resources.memory.limit', `gives a heap of ${heap} MiB (half the limit); Logstash needs at least ${MIN_HEAP_MIB} MiB`, `${limit.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`, `Use a limit of at least ${MIN_HEAP_MIB * 2}Mi.`);
  }
  return heap;
}

function userEnv(scope: IConstruct, env: Record<string, kplus.EnvValue>, generated: Record<string, kplus.EnvValue>): Record<string, kplus.EnvValue> {
  for (const variable of Object.keys(env)) {
    const setting = env2yamlSetting(variable);
    if (setting) {
      throw new ConfigurationError(scope, `env["${variable}"]`, `names the setting "${setting}": the image's entrypoint (env2yaml) would rewrite logstash.yml, which is a read-only ConfigMap file, and the container would not start`, variable, 'Rename the variable (e.g. with an APP_ prefix).');
    }
    if (variable === 'LS_JAVA_OPTS' || variable in generated) {
      throw new ConfigurationError(scope, `env["${variable}"]`, 'is set by the construct', variable, variable === 'LS_JAVA_OPTS' ? 'The heap follows resources.memory.limit; change the limit.' : 'Rename the variable.');
    }
  }
  return env;
}

interface BoundPipeline {
  readonly sections: { input: LogstashPlugin[]; filter: LogstashPlugin[]; output: LogstashPlugin[] };
  readonly ports: WorkloadPort[];
  readonly env: Record<string, kplus.EnvValue>;
  readonly mounts: PluginSecretMount[];
}

function bindPipeline(scope: IConstruct, pipeline: LogstashPipeline): BoundPipeline {
  const kinds = [
    { list: pipeline.inputs, type: LogstashInput, prop: 'inputs', slot: 'input', required: true, example: 'LogstashInput.beats()' },
    { list: pipeline.filters, type: LogstashFilter, prop: 'filters', slot: 'filter', required: false, example: 'LogstashFilter.json()' },
    { list: pipeline.outputs, type: LogstashOutput, prop: 'outputs', slot: 'output', required: true, example: 'LogstashOutput.elasticsearch({ hosts: [...] })' },
  ] as const;
  const bindings: PluginBinding[][] = kinds.map(({ list, type, prop, slot, required, example }) => {
    if (required && list.length === 0) throw new ConfigurationError(scope, `pipeline.${prop}`, 'must not be empty', [], `Add one, e.g. ${example}.`);
    return list.map((item: LogstashInput | LogstashFilter | LogstashOutput, i: number) => {
      if (!(item instanceof type)) throw new ConfigurationError(scope, `pipeline.${prop}[${i}]`, `must be a ${type.name}`, item, `Use e.g. ${example}.`);
      return item._bind({ scope, prop: `pipeline.${prop}[${i}]`, slot: `${slot}-${i}`, envPrefix: `LOGSTASH_${slot.toUpperCase()}_${i}` });
    });
  });
  const [inputs, filters, outputs] = bindings;
  const ports: WorkloadPort[] = [];
  inputs.forEach((b, i) => {
    if (!b.port) return;
    const taken = ports.find((p) => p.port === b.port!.number);
    if (taken || b.port.number === LOGSTASH.apiPort) {
      throw new ConfigurationError(scope, `pipeline.inputs[${i}].port`, `is already used by ${taken ? `the input on port "${taken.name}"` : 'the monitoring API'}`, b.port.number, 'Give every input its own port.');
    }
    const sameName = ports.filter((p) => p.name === b.port!.name || p.name.startsWith(`${b.port!.name}-`)).length;
    ports.push({ name: sameName === 0 ? b.port.name : `${b.port.name.slice(0, 12)}-${sameName}`, port: b.port.number });
  });
  const all = [...inputs, ...filters, ...outputs];
  return {
    sections: { input: inputs.map((b) => b.plugin), filter: filters.map((b) => b.plugin), output: outputs.map((b) => b.plugin) },
    ports,
    env: Object.assign({}, ...all.map((b) => b.env)),
    mounts: all.flatMap((b) => b.mounts),
  };
}

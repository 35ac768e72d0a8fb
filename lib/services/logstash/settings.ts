/**
 * logstash.yml and the JVM heap, from typed props. Facts from the official image
 * (elastic/logstash docker/): uid/gid 1000, home /usr/share/logstash, pipelines.yml points the
 * `main` pipeline at /usr/share/logstash/pipeline, and the entrypoint runs env2yaml, which
 * rewrites logstash.yml in place when a variable named like a setting is set.
 */
import { Size, SizeRoundingBehavior, Yaml } from 'cdk8s';

export const LOGSTASH = {
  image: 'docker.elastic.co/logstash/logstash:8.17.4',
  user: { uid: 1000, gid: 1000 },
  home: '/usr/share/logstash',
  /** The monitoring API: `GET /` answers once the process serves (probes, metrics). */
  apiPort: 9600,
  pipelineDir: '/usr/share/logstash/pipeline',
  settingsFile: '/usr/share/logstash/config/logstash.yml',
  dataDir: '/usr/share/logstash/data',
  logsDir: '/usr/share/logstash/logs',
} as const;

/** The heap: half the memory limit (the rest is metaspace, threads, direct buffers, the queue's mmapped pages). */
export function heapMebibytes(memoryLimit: Size): number {
  return Math.floor(memoryLimit.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) / 2);
}

/**
 * LS_JAVA_OPTS: the image's launcher appends it after config/jvm.options (whose -Xms1g -Xmx1g
 * ignore the container's limit), and the last -Xmx wins. Xms = Xmx: no resize pauses.
 */
export function javaOptions(heapMiB: number): string {
  return `-Xms${heapMiB}m -Xmx${heapMiB}m`;
}

/** The persisted queue's settings. */
export interface QueueSettings {
  readonly maxBytes: Size;
}

/** logstash.yml: what differs from Logstash's defaults, each for a reason. */
export function logstashSettings(queue: QueueSettings | undefined): Record<string, string | number | boolean> {
  return {
    // Every interface: probes and scrapes come from outside the pod (the default is 127.0.0.1).
    // `api.http.host` is the 8.x name of the chart's `http.host` (deprecated since 8.0).
    'api.http.host': '0.0.0.0',
    'api.http.port': LOGSTASH.apiPort,
    'path.data': LOGSTASH.dataDir,
    // Pipelines come from the ConfigMap; a reload would bypass the rollout the checksum triggers.
    'config.reload.automatic': false,
    'queue.type': queue ? 'persisted' : 'memory',
    // Drain on shutdown: an emptyDir queue is deleted with its pod, so events must leave first.
    ...(queue ? { 'queue.max_bytes': `${queue.maxBytes.toMebibytes()}mb`, 'queue.drain': true } : {}),
    // The image's own logstash.yml points legacy monitoring at http://elasticsearch:9200.
    'xpack.monitoring.enabled': false,
  };
}

/** The YAML text of the settings. */
export function renderSettings(settings: Record<string, string | number | boolean>): string {
  return Yaml.stringify(settings);
}

/**
 * The settings env2yaml maps a variable to (its list, 8.x), compared without case, `.` and
 * `_`. A variable with such a name makes the entrypoint rewrite logstash.yml, which is a
 * read-only ConfigMap file here: the container would fail to start.
 */
const ENV2YAML_SETTINGS = [
  'api.enabled', 'api.http.host', 'api.http.port', 'api.environment', 'node.name', 'path.data', 'pipeline.id', 'pipeline.workers',
  'pipeline.output.workers', 'pipeline.batch.size', 'pipeline.batch.delay', 'pipeline.unsafe_shutdown', 'pipeline.java_execution',
  'pipeline.ecs_compatibility', 'pipeline.ordered', 'pipeline.plugin_classloaders', 'pipeline.separate_logs', 'path.config',
  'config.string', 'config.test_and_exit', 'config.reload.automatic', 'config.reload.interval', 'config.debug', 'config.support_escapes',
  'config.field_reference.escape_style', 'queue.type', 'path.queue', 'queue.page_capacity', 'queue.max_events', 'queue.max_bytes',
  'queue.checkpoint.acks', 'queue.checkpoint.writes', 'queue.checkpoint.interval', 'queue.compression', 'queue.drain',
  'dead_letter_queue.enable', 'dead_letter_queue.max_bytes', 'dead_letter_queue.flush_interval', 'dead_letter_queue.storage_policy',
  'dead_letter_queue.retain.age', 'path.dead_letter_queue', 'http.enabled', 'http.environment', 'http.host', 'http.port', 'log.level',
  'log.format', 'metric.collect', 'modules', 'path.logs', 'path.plugins', 'api.auth.type', 'api.auth.basic.username',
  'api.auth.basic.password', 'allow_superuser', 'monitoring.cluster_uuid', 'xpack.monitoring.enabled', 'xpack.monitoring.elasticsearch.hosts',
  'xpack.monitoring.elasticsearch.username', 'xpack.monitoring.elasticsearch.password', 'xpack.management.enabled',
  'xpack.geoip.download.endpoint', 'xpack.geoip.downloader.enabled', 'cloud.id', 'cloud.auth',
];
const squash = (name: string) => name.toLowerCase().replace(/[._]/g, '');
const SQUASHED = new Map(ENV2YAML_SETTINGS.map((s) => [squash(s), s]));

/** The setting env2yaml would write for this variable name, or undefined. */
export function env2yamlSetting(variable: string): string | undefined {
  return SQUASHED.get(squash(variable));
}

/**
 * The Fluent Bit configuration (classic `.conf` format) generated from typed props: one
 * [SERVICE], a tail [INPUT] on the container logs, the kubernetes [FILTER] and an [OUTPUT]:
 * `es` to Elasticsearch or `http` to Logstash's http input.
 */
import { Size } from 'cdk8s';
import { ElasticsearchScheme, ES_PASSWORD_ENV, ES_USER_ENV, ResolvedElasticsearch } from './elasticsearch';
import { LOGSTASH_PASSWORD_ENV, LOGSTASH_USER_ENV, ResolvedLogOutput } from './log-output';

/** How the container runtime writes `/var/log/containers/*.log`. */
export enum ContainerLogFormat {
  /** containerd and CRI-O (every current Kubernetes): `<time> <stream> <P|F> <log>` lines. */
  CRI = 'cri',
  /** Docker's json-file driver (dockershim, before Kubernetes 1.24). */
  DOCKER = 'docker',
}

/** Fluent Bit's own paths and ports. */
export const FLUENT_BIT = {
  /** The HTTP server: health, metrics. */
  httpPort: 2020,
  healthPath: '/api/v1/health',
  metricsPath: '/api/v1/metrics/prometheus',
  /** Where the ConfigMap is mounted (the image's own /fluent-bit/etc, with parsers.conf, stays visible). */
  configDir: '/fluent-bit/etc/conf',
  configFile: 'fluent-bit.conf',
  /** The image's parsers file (used by the kubernetes filter's K8S-Logging.Parser annotation). */
  parsersFile: '/fluent-bit/etc/parsers.conf',
  /** On a writable hostPath so offsets and buffered chunks survive a pod restart. */
  stateDir: '/var/lib/fluent-bit',
} as const;

/** What the configuration is generated from. */
export interface FluentBitConfigOptions {
  readonly output: ResolvedLogOutput;
  readonly logFormat: ContainerLogFormat;
  /** Memory the tail input may buffer before it pauses (back-pressure instead of an OOM kill). */
  readonly memBufLimit: Size;
  /** Disk the output may fill with chunks it could not deliver yet. */
  readonly storageLimit: Size;
  /** Seconds between flushes to the output. */
  readonly flushSeconds: number;
}

/** One `Key Value` line of a section. */
export interface FluentBitEntry {
  /** The key, e.g. `Mem_Buf_Limit`. */
  readonly key: string;
  /** The value as written, e.g. `10M`. */
  readonly value: string;
}

/** One section: its name and its key/value lines, in order. */
export interface FluentBitSection {
  /** SERVICE, INPUT, FILTER or OUTPUT. */
  readonly name: string;
  /** The lines, in order. */
  readonly entries: FluentBitEntry[];
}

/** The sections are written as [key, value] pairs here (short to read), and exposed as entries. */
type Pair = [string, string];
const section = (name: string, pairs: Pair[]): FluentBitSection => ({ name, entries: pairs.map(([key, value]) => ({ key, value })) });

const ON = 'On';
const OFF = 'Off';
const onOff = (value: boolean): string => (value ? ON : OFF);
const megabytes = (size: Size): string => `${size.toMebibytes()}M`;

/** The sections, in the order Fluent Bit reads them. */
export function fluentBitSections(options: FluentBitConfigOptions): FluentBitSection[] {
  const output = options.output;
  return [
    section('SERVICE', [
      ['Flush', String(options.flushSeconds)],
      ['Grace', '10'],
      ['Daemon', OFF],
      ['Log_Level', 'info'],
      ['Parsers_File', FLUENT_BIT.parsersFile],
      ['HTTP_Server', ON],
      ['HTTP_Listen', '0.0.0.0'],
      ['HTTP_Port', String(FLUENT_BIT.httpPort)],
      // Without Health_Check, /api/v1/health is not served.
      ['Health_Check', ON],
      ['storage.path', `${FLUENT_BIT.stateDir}/storage/`],
      ['storage.sync', 'normal'],
      ['storage.checksum', OFF],
      ['storage.backlog.mem_limit', '5M'],
    ]),
    section('INPUT', [
      ['Name', 'tail'],
      ['Tag', 'kube.*'],
      ['Path', '/var/log/containers/*.log'],
      ['multiline.parser', options.logFormat],
      // The offset database: a restarted pod resumes where it stopped, neither re-shipping nor skipping lines.
      ['DB', `${FLUENT_BIT.stateDir}/tail-containers.db`],
      ['DB.locking', 'true'],
      ['Mem_Buf_Limit', megabytes(options.memBufLimit)],
      ['Skip_Long_Lines', ON],
      ['Refresh_Interval', '10'],
      ['storage.type', 'filesystem'],
    ]),
    section('FILTER', [
      ['Name', 'kubernetes'],
      ['Match', 'kube.*'],
      ['Kube_URL', 'https://kubernetes.default.svc:443'],
      ['Kube_CA_File', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt'],
      ['Kube_Token_File', '/var/run/secrets/kubernetes.io/serviceaccount/token'],
      ['Kube_Tag_Prefix', 'kube.var.log.containers.'],
      ['Merge_Log', ON],
      ['Keep_Log', OFF],
      ['K8S-Logging.Parser', ON],
      ['K8S-Logging.Exclude', ON],
    ]),
    section('OUTPUT', output.logstash
      ? logstashHttpEntries(output.logstash, options.storageLimit, output.caFile)
      : elasticsearchEntries(output.elasticsearch!, options.storageLimit, output.caFile)),
  ];
}

function elasticsearchEntries(es: ResolvedElasticsearch, storageLimit: Size, caFile: string | undefined): Pair[] {
  const entries: Pair[] = [
    ['Name', 'es'],
    ['Match', 'kube.*'],
    ['Host', es.host],
    ['Port', String(es.port)],
  ];
  // Fluent Bit expands ${VAR} from the environment, which comes from the Secret via secretKeyRef.
  if (es.credentials) entries.push(['HTTP_User', `\${${ES_USER_ENV}}`], ['HTTP_Passwd', `\${${ES_PASSWORD_ENV}}`]);
  if (es.index.logstashFormat) entries.push(['Logstash_Format', ON], ['Logstash_Prefix', es.index.name]);
  else entries.push(['Index', es.index.name]);
  entries.push(
    // Elasticsearch 8 rejects mapping types.
    ['Suppress_Type_Name', ON],
    ['Replace_Dots', ON],
    ['Trace_Error', ON],
    ['Retry_Limit', 'False'],
    ['storage.total_limit_size', megabytes(storageLimit)],
  );
  if (es.scheme === ElasticsearchScheme.HTTPS) entries.push(['tls', ON], ['tls.verify', onOff(es.tlsVerify)], ...caEntry(caFile));
  else entries.push(['tls', OFF]);
  return entries;
}

const caEntry = (caFile: string | undefined): Pair[] => (caFile ? [['tls.ca_file', caFile]] : []);

/**
 * Fluent Bit's http output to Logstash's http input: JSON arrays (one event per record), the
 * record time as ISO 8601 in `@timestamp`, which Logstash takes as the event time. A chunk
 * counts as delivered only on a 2xx, which Logstash sends once the events are queued.
 */
function logstashHttpEntries(ls: NonNullable<ResolvedLogOutput['logstash']>, storageLimit: Size, caFile: string | undefined): Pair[] {
  return [
    ['Name', 'http'],
    ['Match', 'kube.*'],
    ['Host', ls.host],
    ['Port', String(ls.port)],
    ['URI', '/'],
    // ${VAR} from the environment, which comes from the Secret via secretKeyRef.
    ...(ls.credentials ? [['HTTP_User', `\${${LOGSTASH_USER_ENV}}`], ['HTTP_Passwd', `\${${LOGSTASH_PASSWORD_ENV}}`]] as Pair[] : []),
    ['Format', 'json'],
    ['Json_Date_Key', '@timestamp'],
    ['Json_Date_Format', 'iso8601'],
    ['Retry_Limit', 'False'],
    ['storage.total_limit_size', megabytes(storageLimit)],
    ...(ls.tls ? [['tls', ON], ['tls.verify', onOff(ls.tlsVerify)], ...caEntry(caFile)] as Pair[] : [['tls', OFF]] as Pair[]),
  ];
}

/** The classic-format text of the sections. */
export function renderFluentBitConfig(sections: FluentBitSection[]): string {
  return sections.map(({ name, entries }) => {
    const width = Math.max(...entries.map(({ key }) => key.length)) + 1;
    return [`[${name}]`, ...entries.map(({ key, value }) => `    ${key.padEnd(width)}${value}`)].join('\n');
  }).join('\n\n') + '\n';
}

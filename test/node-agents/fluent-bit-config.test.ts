/**
 * The generated Fluent Bit configuration, checked without Fluent Bit: there is no fluent-bit
 * binary on these machines (nor a container runtime to run the image), so `fluent-bit --dry-run`
 * is not available. Instead the classic-format text is parsed by a small parser written here
 * and every section and key is checked against an allowlist taken from the Fluent Bit
 * documentation (docs.fluentbit.io: "Configuration file" [SERVICE], inputs/tail,
 * filters/kubernetes, outputs/elasticsearch, outputs/http, "Buffering and storage"), plus cross-checks against
 * the DaemonSet: every ${VAR} is defined from a Secret, every written path is on a writable mount.
 */
import * as kplus from 'cdk8s-plus-27';
import { Chart, Testing } from 'cdk8s';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';
import { CaCertificate, ContainerLogFormat, ElasticsearchIndex, ElasticsearchScheme, LogCollectorDaemon, LogCollectorDaemonProps, LogOutput } from '../../lib';

interface ParsedSection {
  readonly name: string;
  readonly entries: Map<string, string>;
}

/**
 * Classic format: `[SECTION]` headers, then indented `Key Value` lines (key up to the first
 * whitespace, value the rest), `#` comments, blank lines. Keys are case-insensitive in Fluent
 * Bit, so they are lowercased; a repeated key in one section is an error here (Fluent Bit keeps
 * the last one silently, which hides mistakes).
 */
function parseClassicConfig(text: string): ParsedSection[] {
  const sections: ParsedSection[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const header = /^\[([A-Z]+)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1], entries: new Map() });
      return;
    }
    const entry = /^\s+(\S+)\s+(\S.*)$/.exec(line);
    if (!entry) throw new Error(`line ${index + 1} is neither a section header nor an indented "Key Value" line: ${JSON.stringify(raw)}`);
    const current = sections[sections.length - 1];
    if (!current) throw new Error(`line ${index + 1}: entry before any section`);
    const key = entry[1].toLowerCase();
    if (current.entries.has(key)) throw new Error(`line ${index + 1}: key ${entry[1]} repeated in [${current.name}]`);
    current.entries.set(key, entry[2]);
  });
  return sections;
}

/** Documented keys (lowercase) per section and plugin. */
const ALLOWED: Record<string, string[]> = {
  SERVICE: [
    'flush', 'grace', 'daemon', 'dns.mode', 'log_file', 'log_level', 'parsers_file', 'plugins_file', 'streams_file',
    'http_server', 'http_listen', 'http_port', 'health_check', 'hc_errors_count', 'hc_retry_failure_count', 'hc_period',
    'coro_stack_size', 'scheduler.cap', 'scheduler.base', 'storage.path', 'storage.sync', 'storage.checksum',
    'storage.max_chunks_up', 'storage.backlog.mem_limit', 'storage.metrics', 'storage.delete_irrecoverable_chunks', 'hot_reload',
  ],
  'INPUT/tail': [
    'name', 'tag', 'alias', 'log_level', 'path', 'path_key', 'exclude_path', 'offset_key', 'read_from_head', 'refresh_interval',
    'rotate_wait', 'ignore_older', 'skip_long_lines', 'skip_empty_lines', 'db', 'db.sync', 'db.locking', 'db.journal_mode',
    'db.compare_filename', 'mem_buf_limit', 'buffer_chunk_size', 'buffer_max_size', 'exit_on_eof', 'parser', 'key',
    'inotify_watcher', 'tag_regex', 'static_batch_size', 'file_cache_advise', 'threaded', 'multiline.parser', 'multiline',
    'multiline_flush', 'parser_firstline', 'docker_mode', 'docker_mode_flush', 'docker_mode_parser', 'unicode.encoding',
    'storage.type', 'storage.pause_on_chunks_overlimit',
  ],
  'FILTER/kubernetes': [
    'name', 'match', 'match_regex', 'alias', 'buffer_size', 'kube_url', 'kube_ca_file', 'kube_ca_path', 'kube_token_file',
    'kube_token_command', 'kube_tag_prefix', 'merge_log', 'merge_log_key', 'merge_log_trim', 'merge_parser', 'keep_log',
    'tls.debug', 'tls.verify', 'use_journal', 'cache_use_docker_id', 'regex_parser', 'k8s-logging.parser', 'k8s-logging.exclude',
    'labels', 'annotations', 'kube_meta_preload_cache_dir', 'dummy_meta', 'dns_retries', 'dns_wait_time', 'use_kubelet',
    'kubelet_host', 'kubelet_port', 'kube_token_ttl', 'kube_meta_cache_ttl', 'namespace_labels', 'namespace_annotations',
    'owner_references', 'use_tag_for_meta',
  ],
  'OUTPUT/es': [
    'name', 'match', 'match_regex', 'alias', 'host', 'port', 'path', 'compress', 'buffer_size', 'pipeline', 'aws_auth',
    'aws_region', 'aws_sts_endpoint', 'aws_role_arn', 'aws_external_id', 'aws_service_name', 'aws_profile', 'cloud_id',
    'cloud_auth', 'http_user', 'http_passwd', 'http_api_key', 'index', 'type', 'logstash_format', 'logstash_prefix',
    'logstash_prefix_key', 'logstash_prefix_separator', 'logstash_dateformat', 'time_key', 'time_key_format', 'time_key_nanos',
    'include_tag_key', 'tag_key', 'generate_id', 'id_key', 'write_operation', 'replace_dots', 'trace_output', 'trace_error',
    'current_time_index', 'suppress_type_name', 'workers', 'retry_limit', 'storage.total_limit_size',
    'tls', 'tls.verify', 'tls.debug', 'tls.ca_file', 'tls.ca_path', 'tls.crt_file', 'tls.key_file', 'tls.key_passwd', 'tls.vhost',
  ],
  'OUTPUT/http': [
    'name', 'match', 'match_regex', 'alias', 'host', 'port', 'http_user', 'http_passwd', 'proxy', 'uri', 'http_method', 'compress',
    'format', 'allow_duplicated_headers', 'log_response_payload', 'header_tag', 'header', 'json_date_key', 'json_date_format',
    'gelf_timestamp_key', 'gelf_host_key', 'gelf_short_message_key', 'gelf_full_message_key', 'gelf_level_key', 'body_key', 'headers_key',
    'workers', 'retry_limit', 'storage.total_limit_size',
    'tls', 'tls.verify', 'tls.debug', 'tls.ca_file', 'tls.ca_path', 'tls.crt_file', 'tls.key_file', 'tls.key_passwd', 'tls.vhost',
  ],
};

/** Keys every section of that kind must have (what this library relies on). */
const REQUIRED: Record<string, string[]> = {
  SERVICE: ['flush', 'http_server', 'http_port', 'health_check', 'storage.path'],
  'INPUT/tail': ['name', 'tag', 'path', 'multiline.parser', 'db', 'mem_buf_limit'],
  'FILTER/kubernetes': ['name', 'match', 'kube_url', 'kube_ca_file', 'kube_token_file', 'kube_tag_prefix'],
  'OUTPUT/es': ['name', 'match', 'host', 'port', 'suppress_type_name', 'tls'],
  'OUTPUT/http': ['name', 'match', 'host', 'port', 'uri', 'format', 'json_date_key', 'json_date_format', 'tls'],
};

const BOOLEAN_KEYS = ['daemon', 'http_server', 'health_check', 'storage.checksum', 'db.locking', 'skip_long_lines', 'merge_log', 'keep_log',
  'k8s-logging.parser', 'k8s-logging.exclude', 'logstash_format', 'suppress_type_name', 'replace_dots', 'trace_error', 'tls', 'tls.verify'];
const SIZE_KEYS = ['mem_buf_limit', 'storage.backlog.mem_limit', 'storage.total_limit_size'];
/** The multiline parsers built into Fluent Bit. */
const BUILT_IN_MULTILINE = ['cri', 'docker', 'go', 'python', 'java', 'ruby'];

function sectionKind(section: ParsedSection): string {
  return section.name === 'SERVICE' ? 'SERVICE' : `${section.name}/${section.entries.get('name')}`;
}

function render(props: Partial<LogCollectorDaemonProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const output = props.output || props.elasticsearch ? {} : { elasticsearch: { host: 'elasticsearch.logging.svc.cluster.local' } };
  const agent = new LogCollectorDaemon(chart, 'logs', { ...output, ...props });
  const manifests = synthValid(chart, { production: true, restricted: true, restrictedExemptions: ['DaemonSet/logs'] });
  const text: string = findManifest(manifests, 'ConfigMap', 'logs-config').data['fluent-bit.conf'];
  return { agent, sections: parseClassicConfig(text), text, ds: findManifest(manifests, 'DaemonSet', 'logs') };
}

const secret = () => kplus.Secret.fromSecretName(new Chart(Testing.app(), 'refs'), 'es', 'es-credentials');

const VARIANTS: [string, Partial<LogCollectorDaemonProps>][] = [
  ['defaults', {}],
  ['credentials, https without verify, named index, docker logs', {
    logFormat: ContainerLogFormat.DOCKER,
    elasticsearch: { host: 'es.example.com', port: 443, scheme: ElasticsearchScheme.HTTPS, tlsVerify: false, index: ElasticsearchIndex.named('k8s-logs'), credentials: { secret: secret() } },
  }],
  ['plain http', { elasticsearch: { host: '10.0.0.5', scheme: ElasticsearchScheme.HTTP } }],
  ['Logstash over http', { output: LogOutput.logstash({ host: 'logstash.logs.svc.cluster.local' }) }],
  ['Logstash over https with a CA and basic auth', { output: LogOutput.logstash({ host: 'logstash.logs.svc.cluster.local', port: 8443, tls: { caCertificate: CaCertificate.fromSecret(secret(), 'ca.crt') }, credentials: { secret: secret() } }) }],
  ['Elasticsearch with a CA', { output: LogOutput.elasticsearch({ host: 'es', caCertificate: CaCertificate.fromSecret(secret()) }) }],
];

describe.each(VARIANTS)('generated configuration: %s', (_name, props) => {
  test('parses, has one SERVICE/tail/kubernetes/output section each, and only documented keys', () => {
    const { sections } = render(props);
    expect(sections.map(sectionKind)).toEqual(['SERVICE', 'INPUT/tail', 'FILTER/kubernetes', props.output?.kind === 'logstash' ? 'OUTPUT/http' : 'OUTPUT/es']);
    for (const section of sections) {
      const kind = sectionKind(section);
      const unknown = [...section.entries.keys()].filter((k) => !ALLOWED[kind].includes(k));
      expect({ kind, unknown }).toEqual({ kind, unknown: [] });
      const missing = REQUIRED[kind].filter((k) => !section.entries.has(k));
      expect({ kind, missing }).toEqual({ kind, missing: [] });
    }
  });

  test('values have the types Fluent Bit expects', () => {
    const { sections } = render(props);
    for (const section of sections) {
      for (const [key, value] of section.entries) {
        if (BOOLEAN_KEYS.includes(key)) expect({ key, value }).toEqual({ key, value: expect.stringMatching(/^(On|Off|true|false)$/) });
        if (SIZE_KEYS.includes(key)) expect({ key, value }).toEqual({ key, value: expect.stringMatching(/^[0-9]+[KMG]B?$/) });
        if (key === 'port' || key === 'http_port' || key === 'flush') expect({ key, value }).toEqual({ key, value: expect.stringMatching(/^[0-9]+$/) });
      }
    }
    const input = sections[1].entries;
    expect(BUILT_IN_MULTILINE).toContain(input.get('multiline.parser'));
    // The kubernetes filter derives pod names from tags: the prefix must be the tail tag + the path with / as .
    expect(sections[2].entries.get('kube_tag_prefix')).toBe(`${input.get('tag')!.replace('*', '')}var.log.containers.`);
    expect(sections[2].entries.get('match')).toBe(input.get('tag'));
    expect(sections[3].entries.get('match')).toBe(input.get('tag'));
  });

  test('every ${VAR} is defined in the container env, from a Secret', () => {
    const { text, ds } = render(props);
    const env: Manifest[] = ds.spec.template.spec.containers[0].env ?? [];
    const referenced = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]);
    for (const name of referenced) {
      expect({ name, from: env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.name }).toEqual({ name, from: expect.any(String) });
    }
  });

  test('what Fluent Bit writes (tail DB, storage) is on a writable mount; what it reads is mounted', () => {
    const { sections, ds } = render(props);
    const mounts: Manifest[] = ds.spec.template.spec.containers[0].volumeMounts;
    const under = (path: string, writable: boolean) => mounts.some((m) => (path === m.mountPath || path.startsWith(`${m.mountPath}/`)) && (!writable || m.readOnly === false));
    for (const path of [sections[0].entries.get('storage.path')!, sections[1].entries.get('db')!]) expect({ path, writable: under(path, true) }).toEqual({ path, writable: true });
    const tailPath = sections[1].entries.get('path')!;
    expect({ tailPath, mounted: under(tailPath, false) }).toEqual({ tailPath, mounted: true });
    const caFile = sections[3].entries.get('tls.ca_file');
    if (caFile) expect({ caFile, mounted: under(caFile, false) }).toEqual({ caFile, mounted: true });
    const args: string[] = ds.spec.template.spec.containers[0].args;
    const configPath = args.find((a) => a.startsWith('--config='))!.slice('--config='.length);
    expect(under(configPath, false)).toBe(true);
  });

  test('the HTTP server matches the probes and the scrape annotations', () => {
    const { sections, ds } = render(props);
    const port = Number(sections[0].entries.get('http_port'));
    const container = ds.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.port).toBe(port);
    expect(container.ports[0].containerPort).toBe(port);
    expect(ds.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(port));
  });
});

test('the es output follows the typed props', () => {
  const { sections } = render(VARIANTS[1][1]);
  const es = sections[3].entries;
  expect(Object.fromEntries(es)).toMatchObject({
    host: 'es.example.com', port: '443', http_user: '${ELASTICSEARCH_USERNAME}', http_passwd: '${ELASTICSEARCH_PASSWORD}',
    index: 'k8s-logs', tls: 'On', 'tls.verify': 'Off',
  });
  expect(es.has('logstash_format')).toBe(false);
  expect(sections[1].entries.get('multiline.parser')).toBe('docker');
});

test('defaults: logstash daily indices, TLS verified, cri parser, offsets in /var/lib/fluent-bit', () => {
  const { sections } = render();
  expect(Object.fromEntries(sections[3].entries)).toMatchObject({ logstash_format: 'On', logstash_prefix: 'logstash', tls: 'On', 'tls.verify': 'On', port: '9200' });
  expect(sections[3].entries.has('http_user')).toBe(false);
  expect(sections[1].entries.get('multiline.parser')).toBe('cri');
  expect(sections[1].entries.get('db')).toBe('/var/lib/fluent-bit/tail-containers.db');
  expect(sections[1].entries.get('path')).toBe('/var/log/containers/*.log');
  expect(sections[0].entries.get('http_port')).toBe('2020');
});

test('the parser rejects what Fluent Bit would misread', () => {
  expect(() => parseClassicConfig('[SERVICE]\nFlush 1\n')).toThrow(/neither a section header/);
  expect(() => parseClassicConfig('[SERVICE]\n    Flush 1\n    flush 2\n')).toThrow(/repeated/);
  expect(() => parseClassicConfig('    Flush 1\n')).toThrow(/before any section/);
});

/**
 * The rendered Logstash pipeline: golden strings, and a structural parse with a strict parser
 * of the config grammar (test/services/logstash-config-parser.ts). No Logstash binary exists on
 * this machine (not in Debian or npm), so the real parser does not run here.
 */
import * as kplus from 'cdk8s-plus-27';
import { Chart, Testing } from 'cdk8s';
import { Logstash, LogstashFilter, LogstashInput, LogstashOutput, LogstashPipeline } from '../../lib';
import { renderPipeline, stringProblem } from '../../lib/services/logstash/pipeline-syntax';
import { parseLogstashConfig } from './logstash-config-parser';

const ES = 'https://elasticsearch.search.svc.cluster.local:9200';

function render(pipeline: LogstashPipeline): string {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'logs' });
  return new Logstash(chart, 'logstash', { pipeline }).pipelineText;
}

function secrets() {
  const chart = new Chart(Testing.app(), 'refs');
  return { creds: kplus.Secret.fromSecretName(chart, 'c', 'es-credentials'), ca: kplus.Secret.fromSecretName(chart, 'a', 'es-ca'), tls: kplus.Secret.fromSecretName(chart, 't', 'logstash-tls') };
}

test('golden: the conventional log pipeline with credentials and a CA', () => {
  const { creds, ca } = secrets();
  expect(render(LogstashPipeline.logs({ hosts: [ES], credentials: { secret: creds }, caCertificate: { secret: ca } }))).toBe(`input {
  beats {
    port => 5044
  }
  http {
    port => 8080
  }
}

filter {
  json {
    source               => "message"
    skip_on_invalid_json => true
  }
}

output {
  elasticsearch {
    hosts                       => ["${ES}"]
    index                       => "logs-%{+YYYY.MM.dd}"
    data_stream                 => "false"
    user                        => "\${LOGSTASH_OUTPUT_0_USERNAME}"
    password                    => "\${LOGSTASH_OUTPUT_0_PASSWORD}"
    ssl_enabled                 => true
    ssl_certificate_authorities => ["/usr/share/logstash/certs/output-0/ca.crt"]
    ssl_verification_mode       => "full"
  }
}
`);
});

test('golden: passthrough (no filters) over plain http leaves the filter section out', () => {
  expect(render(new LogstashPipeline({
    inputs: [LogstashInput.http({ port: 9000 })],
    outputs: [LogstashOutput.elasticsearch({ hosts: ['http://es:9200', 'http://es-2:9200'], index: 'app' })],
  }))).toBe(`input {
  http {
    port => 9000
  }
}

output {
  elasticsearch {
    hosts       => ["http://es:9200", "http://es-2:9200"]
    index       => "app"
    data_stream => "false"
  }
}
`);
});

test('structure: every option parses back to the settings that were meant', () => {
  const { creds, ca, tls } = secrets();
  const text = render(new LogstashPipeline({
    inputs: [LogstashInput.beats({ tls: { secret: tls } }), LogstashInput.http({ tls: { secret: tls }, credentials: { secret: creds } })],
    filters: [LogstashFilter.json({ source: 'log', target: 'parsed', removeSource: true }), LogstashFilter.json()],
    outputs: [
      LogstashOutput.elasticsearch({ hosts: [ES], index: 'k8s-%{+YYYY.MM}', credentials: { secret: creds, usernameKey: 'user', passwordKey: 'pass' }, caCertificate: { secret: ca }, tlsVerify: false }),
      LogstashOutput.elasticsearch({ hosts: ['http://archive:9200'] }),
    ],
  }));
  const config = parseLogstashConfig(text);
  expect(config.input.map((p) => p.name)).toEqual(['beats', 'http']);
  expect(Object.fromEntries(config.input[1].settings)).toEqual({
    port: 8080, user: '${LOGSTASH_INPUT_1_USERNAME}', password: '${LOGSTASH_INPUT_1_PASSWORD}', ssl_enabled: true, ssl_certificate: '/usr/share/logstash/certs/input-1/tls.crt', ssl_key: '/usr/share/logstash/certs/input-1/tls.key',
  });
  expect(config.filter).toEqual([
    { name: 'json', settings: [['source', 'log'], ['target', 'parsed'], ['skip_on_invalid_json', true], ['remove_field', ['log']]] },
    { name: 'json', settings: [['source', 'message'], ['skip_on_invalid_json', true]] },
  ]);
  const first = Object.fromEntries(config.output[0].settings);
  expect(first).toMatchObject({ hosts: [ES], index: 'k8s-%{+YYYY.MM}', user: '${LOGSTASH_OUTPUT_0_USERNAME}', ssl_verification_mode: 'none' });
  const second = Object.fromEntries(config.output[1].settings);
  expect(second).toEqual({ hosts: ['http://archive:9200'], index: 'logs-%{+YYYY.MM.dd}', data_stream: 'false' });
  // Every setting once per plugin: Logstash rejects duplicate settings.
  for (const plugin of [...config.input, ...config.filter, ...config.output]) {
    const keys = plugin.settings.map(([k]) => k);
    expect(new Set(keys).size).toBe(keys.length);
  }
});

test('the structural parser rejects malformed text (so the checks above can fail)', () => {
  expect(() => parseLogstashConfig('input {\n  beats {\n    port => 5044\n  }\n')).toThrow(/expected/);
  expect(() => parseLogstashConfig('input { beats { port 5044 } }')).toThrow(/"=>"/);
  expect(() => parseLogstashConfig('inputs { }')).toThrow(/input, filter or output/);
  expect(() => parseLogstashConfig('output { es { index => "a\nb" } }')).toThrow(/one-line string/);
});

test('renderPipeline writes hashes and empty plugins in the grammar', () => {
  const text = renderPipeline({ input: [{ name: 'stdin', settings: [] }], filter: [{ name: 'mutate', settings: [['add_field', { env: 'prod' }]] }], output: [] });
  expect(text).toBe('input {\n  stdin {}\n}\n\nfilter {\n  mutate {\n    add_field => { "env" => "prod" }\n  }\n}\n');
  expect(parseLogstashConfig(text).filter[0].settings).toEqual([['add_field', { env: 'prod' }]]);
});

test('strings Logstash cannot hold without escapes are refused', () => {
  expect(stringProblem('plain')).toBeUndefined();
  expect(stringProblem('a"b')).toMatch(/double quote/);
  expect(stringProblem('a\\b')).toMatch(/backslash/);
  expect(stringProblem('a\nb')).toMatch(/line breaks/);
});

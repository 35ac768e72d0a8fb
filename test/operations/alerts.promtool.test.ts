/**
 * Every PrometheusRule the examples emit, checked by the real promtool: `check rules
 * --lint-fatal` on each rule file (the PrometheusRule's `.spec`), and `test rules` with a firing
 * and a silent input per alert. The rule files come from the synthesized example charts.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { Alerts } from '../../lib';
import { describeWithBinaries } from '../support/binaries';
import { promtoolTests } from './promtool-cases';

const PROMTOOL = '/usr/bin/promtool';
const ruleLabels = { team: 'shop' };

function exampleAlerts(): Alerts[] {
  const app = buildExamples(fs.mkdtempSync(path.join(os.tmpdir(), 'ops-examples-')));
  return app.charts.flatMap((chart) => Alerts.of(chart, { alertLabels: ruleLabels, runbookUrl: `https://runbooks.example/${chart.node.id}.RUNBOOK.md` }));
}

function promtool(args: string[], cwd: string): { code: number; output: string } {
  try {
    return { code: 0, output: execFileSync(PROMTOOL, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e: any) {
    return { code: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describeWithBinaries('alerts against the real promtool', [[PROMTOOL, 'prometheus']], () => {
  const all = exampleAlerts();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-rules-'));
  const files = all.map((alerts) => {
    const file = `${alerts.ruleName}.rules.yaml`;
    fs.writeFileSync(path.join(dir, file), Yaml.stringify(alerts.toSpec()));
    return file;
  });

  test('the examples emit rules for every kind of construct and alert', () => {
    const names = new Set(all.flatMap((a) => a.rules.map((r) => r.alert)));
    expect([...names].sort()).toEqual([
      'BackupFailed', 'BackupSuspended', 'BackupTooOld', 'DaemonSetMisScheduled', 'DaemonSetNotScheduled', 'DaemonSetRolloutStuck',
      'DatabasePrimaryNotReady', 'DeploymentGenerationMismatch', 'DeploymentReplicasMismatch', 'DeploymentRolloutStuck', 'JobFailed', 'JobNotCompleted', 'MySqlExporterDown', 'MySqlReplicationStopped', 'PatroniNoLeader', 'PatroniReplicasMissing', 'PatroniTwoLeaders', 'PersistentVolumeFillingUp', 'PostgresExporterDown',
      'PostgresReplicaNotStreaming', 'PostgresReplicationLag', 'RedisExporterDown', 'RedisReplicaLinkDown', 'RedisReplicasMissing',
      'RestoreFailed', 'RestoreNotCompleted', 'StatefulSetReplicasMismatch', 'StatefulSetUpdateNotRolledOut',
    ]);
  });

  test.each(files)('promtool check rules --lint-fatal %s', (file) => {
    const result = promtool(['check', 'rules', '--lint-fatal', file], dir);
    expect(result).toEqual({ code: 0, output: expect.stringMatching(/SUCCESS: \d+ rules found/) });
  });

  test.each(all.map((a, i) => [files[i], a] as const))('promtool test rules %s: each alert fires and stays silent', (file, alerts) => {
    const testFile = file.replace('.rules.yaml', '.test.yaml');
    fs.writeFileSync(path.join(dir, testFile), Yaml.stringify(promtoolTests(alerts, file, ruleLabels)));
    const result = promtool(['test', 'rules', testFile], dir);
    expect(result).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  }, 120_000);

  test('a wrong expectation fails (the test would catch a broken rule)', () => {
    const alerts = all.find((a) => a.rules.some((r) => r.alert === 'StatefulSetReplicasMismatch'))!;
    const file = files[all.indexOf(alerts)];
    const tests = promtoolTests(alerts, file, ruleLabels);
    const broken = { ...tests, tests: tests.tests.filter((t: any) => t.name.endsWith('stays silent')).slice(0, 1).map((t: any) => ({ ...t, input_series: tests.tests[0].input_series })) };
    fs.writeFileSync(path.join(dir, 'broken.test.yaml'), Yaml.stringify(broken));
    expect(promtool(['test', 'rules', 'broken.test.yaml'], dir).code).not.toBe(0);
  });
});

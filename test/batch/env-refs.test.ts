import * as kplus from 'cdk8s-plus-27';
import { App, Chart, Testing } from 'cdk8s';
import { batchExamples } from '../../examples/batch';
import { BatchJob, JobPattern, MigrationJob } from '../../lib';
import { expandKubernetesVariables, kubernetesVariableReferences } from '../../lib/batch/env-refs';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';

const IMAGE = 'ghcr.io/example/worker:1.0.0';

describe('Kubernetes $(VAR) expansion', () => {
  test('references', () => {
    expect(kubernetesVariableReferences('--partition=$(JOB_COMPLETION_INDEX) --total=$(TOTAL)')).toEqual(['JOB_COMPLETION_INDEX', 'TOTAL']);
  });
  test('$$(VAR) is an escape, not a reference', () => {
    expect(kubernetesVariableReferences('echo $$(HOME)')).toEqual([]);
    expect(expandKubernetesVariables('echo $$(HOME)', { HOME: '/root' })).toBe('echo $(HOME)');
  });
  test('$$$(VAR) is an escaped $ followed by a reference', () => {
    expect(kubernetesVariableReferences('$$$(A)')).toEqual(['A']);
    expect(expandKubernetesVariables('$$$(A)', { A: 'x' })).toBe('$x');
  });
  test('shell syntax that cannot name an env var is not a reference', () => {
    expect(kubernetesVariableReferences('deadline=$(( $(date +%s) + 5 )) ${HOME} $1 $')).toEqual([]);
  });
  test('expansion replaces declared variables and leaves undeclared ones verbatim', () => {
    expect(expandKubernetesVariables('a=$(A) b=$(B) $(unclosed', { A: '1' })).toBe('a=1 b=$(B) $(unclosed');
  });
  test('$$ alone becomes $ (a shell PID would be rewritten)', () => {
    expect(expandKubernetesVariables('kill $$', {})).toBe('kill $');
  });
});

describe('$(VAR) references are checked at construction', () => {
  const build = (props: { command?: string[]; args?: string[]; env?: Record<string, kplus.EnvValue>; pattern?: JobPattern }) => () =>
    new BatchJob(new Chart(Testing.app(), 'test'), 'job', { name: 'work', image: IMAGE, pattern: props.pattern ?? JobPattern.singleRun(), ...props });

  test('an undeclared variable in the command', () => {
    expect(build({ command: ['process.py', '--partition=$(JOB_COMPLETION_IDX)'], pattern: JobPattern.indexed({ completions: 4 }) }))
      .toThrow(/test\/job: command\[1\] references \$\(JOB_COMPLETION_IDX\), which is not a declared env var of the container \(got "--partition=\$\(JOB_COMPLETION_IDX\)"\)\. .*declared: JOB_COMPLETIONS, JOB_COMPLETION_INDEX/);
  });
  test('an undeclared variable in the args', () => {
    expect(build({ args: ['--region=$(REGION)'] })).toThrow(/args\[0\] references \$\(REGION\)/);
  });
  test('the index variable only exists for Indexed jobs', () => {
    expect(build({ args: ['--partition=$(JOB_COMPLETION_INDEX)'], pattern: JobPattern.fixedCompletions({ completions: 4 }) })).toThrow(/args\[0\] references \$\(JOB_COMPLETION_INDEX\)/);
  });
  test('an undeclared variable in an init container', () => {
    expect(() => new BatchJob(new Chart(Testing.app(), 'test'), 'job', {
      name: 'work', image: IMAGE, pattern: JobPattern.singleRun(),
      initContainers: [{ name: 'prepare', image: 'busybox:1.36', command: ['sh', '-c', 'echo $(TARGET)'] }],
    })).toThrow(/initContainers\[prepare\]\.command\[2\] references \$\(TARGET\)/);
  });
  test('declared user variables and escapes are accepted', () => {
    expect(build({ args: ['--region=$(REGION)', 'echo $$(date)'], env: { REGION: kplus.EnvValue.fromValue('eu') } })).not.toThrow();
  });
});

/** Every `$(NAME)` in a container's command and args, with the env names it declares. */
function unresolved(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  for (const m of manifests) {
    const pod = m.spec?.template?.spec;
    for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      const declared = new Set((container.env ?? []).map((e: Manifest) => e.name));
      for (const text of [...(container.command ?? []), ...(container.args ?? [])]) {
        for (const name of kubernetesVariableReferences(text)) if (!declared.has(name)) problems.push(`${m.metadata.name}/${container.name}: $(${name})`);
      }
    }
  }
  return problems;
}

describe('every reference the constructs write resolves', () => {
  test('the helper finds an unresolved reference (so the next tests can fail)', () => {
    expect(unresolved([{ metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ name: 'c', args: ['$(NOPE)'] }] } } } }])).toEqual(['x/c: $(NOPE)']);
  });

  test('the example chart (all four patterns and the migration job)', () => {
    const app = new App({ outdir: '/tmp/unused' });
    batchExamples(app);
    const manifests = synthValid(app.charts[0], { restricted: true, production: true });
    expect(manifests.filter((m) => m.kind === 'Job')).toHaveLength(5);
    expect(unresolved(manifests)).toEqual([]);
  });

  test('the wait script survives Kubernetes expansion unchanged with the env it is given', () => {
    const chart = new Chart(Testing.app(), 'test');
    new MigrationJob(chart, 'migrate', { name: 'migrate', host: 'db', port: 5432, image: IMAGE });
    const manifests = synthValid(chart, { restricted: true, production: true });
    const init = findManifest(manifests, 'Job', 'migrate').spec.template.spec.initContainers.find((c: Manifest) => c.name === 'wait-for-database');
    const env = Object.fromEntries(init.env.map((e: Manifest) => [e.name, e.value]));
    for (const text of init.command) expect(expandKubernetesVariables(text, env)).toBe(text);
  });
});

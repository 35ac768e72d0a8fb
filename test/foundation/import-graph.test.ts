/**
 * The architecture, checked: dependencies point one way (families -> defaults/kube ->
 * cdk8s), a family reaches a sibling family only through its contract file, and there are no
 * import cycles (type-only imports excluded: they vanish at runtime).
 */
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '../../lib');
const FAMILIES = ['databases', 'batch', 'node-agents', 'scheduled', 'services'];
/** The only files a family may import from a sibling family. */
const CONTRACTS = ['databases/backup-contract.ts', 'batch/job-builder.ts'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function resolve(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return path.relative(LIB, candidate);
  throw new Error(`${path.relative(LIB, from)}: cannot resolve ${spec}`);
}

/** Runtime imports (not `import type`) of every lib file, as lib-relative paths. */
const graph = new Map<string, string[]>(sources(LIB).map((file) => {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)(?! type)[^;]*?from '(\.[^']+)';/gms)].map((m) => m[1]);
  return [path.relative(LIB, file), specs.map((s) => resolve(file, s))];
}));
const family = (file: string) => file.split('/')[0];

describe('import graph of lib/', () => {
  test('a family imports a sibling family only through its contract file', () => {
    const crossings: string[] = [];
    for (const [file, imports] of graph) {
      if (!FAMILIES.includes(family(file))) continue;
      for (const target of imports) {
        if (FAMILIES.includes(family(target)) && family(target) !== family(file) && !CONTRACTS.includes(target)) crossings.push(`${file} -> ${target}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  test('defaults/ and kube/ import no family', () => {
    const upward = [...graph].filter(([file]) => ['defaults', 'kube'].includes(family(file)))
      .flatMap(([file, imports]) => imports.filter((t) => FAMILIES.includes(family(t))).map((t) => `${file} -> ${t}`));
    expect(upward).toEqual([]);
  });

  test('no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') { cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> ')); return; }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  test('the check sees real imports (it would catch a crossing)', () => {
    expect(graph.get('scheduled/backup-cron-job.ts')).toContain('databases/backup-contract.ts');
    expect(graph.get('scheduled/backup-cron-job.ts')).toContain('batch/job-builder.ts');
  });
});

#!/usr/bin/env node
// `npm run synth` (and cdk8s.yaml's app): runs examples/main.ts like `ts-node --transpile-only`,
// but keeps every transpiled file in node_modules/.cache/cdk8s-workloads-synth, keyed by a hash of
// the source and the compiler options. A synth where nothing changed loads no TypeScript at all;
// one edited file is transpiled again on its own. ts-node spent most of a synth re-transpiling
// lib/ (issue 18, BENCHMARK.md). The output is the same: test/foundation/synth-script.test.ts
// compares it byte for byte with ts-node's.
// Usage: node scripts/synth.js [entry.ts] (default examples/main.ts, run as the main module).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const Module = require('module');

const root = path.resolve(__dirname, '..');
const cacheDir = process.env.CDK8S_WORKLOADS_SYNTH_CACHE ?? path.join(root, 'node_modules', '.cache', 'cdk8s-workloads-synth');

let typescript;
let compilerOptions;
// The cache key covers what changes the output besides the source: tsconfig.json and the compiler.
const optionsKey = crypto.createHash('sha256')
  .update(fs.readFileSync(path.join(root, 'tsconfig.json')))
  .update(fs.readFileSync(require.resolve('typescript/package.json', { paths: [root] })))
  .digest('hex');

/** What ts-node --transpile-only does: ts.transpileModule with tsconfig.json's options. */
function transpile(source, fileName) {
  typescript ??= require('typescript');
  if (!compilerOptions) {
    const config = typescript.readConfigFile(path.join(root, 'tsconfig.json'), typescript.sys.readFile).config;
    compilerOptions = typescript.convertCompilerOptionsFromJson(config.compilerOptions, root).options;
    Object.assign(compilerOptions, { declaration: false, sourceMap: false, inlineSourceMap: false, noEmit: false, module: typescript.ModuleKind.CommonJS });
  }
  const result = typescript.transpileModule(source, { compilerOptions, fileName, reportDiagnostics: false });
  return result.outputText;
}

function compiled(fileName) {
  const source = fs.readFileSync(fileName, 'utf8');
  const key = crypto.createHash('sha256').update(optionsKey).update('\0').update(fileName).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const output = transpile(source, fileName);
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached); // atomic: a concurrent synth never reads half a file
    return output;
  }
}

Module._extensions['.ts'] = function loadTypeScript(module, fileName) {
  module._compile(compiled(fileName), fileName);
};

const entry = path.resolve(root, process.argv[2] ?? 'examples/main.ts');
// Run the entry as the main module, so its `require.main === module` block synthesizes.
process.argv.splice(1, 2, entry);
Module.runMain(entry);

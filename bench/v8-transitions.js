// The mechanism behind the super-linear synth with a client label KEY per cluster, in plain V8:
// objects built from `{}` share hidden classes (maps) through transitions recorded on the empty
// object's map, and V8 records at most 1,536 of them per map (TransitionsAccessor::
// kMaxNumberOfTransitions). Once `n` distinct first keys have used them up, objects that add a
// property to `{}` get a fresh map each, even for common keys, so every later object built that
// way (cdk8s's sanitized copies, JSON patch clones, label maps, the yaml package's input) is slower
// to build and read, and costs memory.
// Usage: node bench/v8-transitions.js
const { spawnSync } = require('child_process');

if (process.argv[2] === '--child') {
  const n = Number(process.argv[3]);
  const keep = [];
  for (let i = 0; i < n; i++) {
    const o = {};
    o[`db${i}-client`] = 'true';
    keep.push(o);
  }
  // Parsed only here, where --allow-natives-syntax is on.
  const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
  const sameMap = (key) => {
    const a = {};
    a[key] = 'x';
    const b = {};
    b[key] = 'y';
    return haveSameMap(a, b);
  };
  const newKeyShares = sameMap('probe-client');
  const commonKeyShares = sameMap('app.kubernetes.io/name');
  const t = process.hrtime.bigint();
  const out = [];
  for (let i = 0; i < 200000; i++) {
    const o = {};
    o.name = 'x';
    o.instance = `y${i}`;
    o.component = 'z';
    out.push(o);
  }
  let chars = 0;
  for (const o of out) chars += o.instance.length + o.name.length;
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  process.stdout.write(JSON.stringify({ n, newKeyShares, commonKeyShares, ms, chars }));
  process.exit(0);
}

console.log('| distinct first keys before | two `{key}` objects share a map (new key / common key) | build + read 200,000 `{name, instance, component}` (median of 5) |');
console.log('|---|---|---|');
for (const n of [0, 1000, 1500, 1600, 3000, 10000]) {
  const rows = [];
  for (let r = 0; r < 5; r++) {
    const out = spawnSync(process.execPath, ['--allow-natives-syntax', __filename, '--child', String(n)], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    rows.push(JSON.parse(out.stdout));
  }
  const median = rows.map((x) => x.ms).sort((a, b) => a - b)[2];
  console.log(`| ${n} | ${rows[0].newKeyShares} / ${rows[0].commonKeyShares} | ${median.toFixed(0)} ms |`);
}

// Sums a .cpuprofile's self time by package (or by file for the library): node bench/profile-summary.js <file> [top]
const fs = require('fs');
const profile = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 15);
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
const bucket = (url, fn) => {
  if (!url) return `(${fn || 'native'})`;
  const m = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].pop();
  if (m) return m[1];
  const b = url.match(/\/(build|lib|bench)\/(.*)$/);
  return b ? `${b[1]}/${b[2]}` : url.replace(/^.*\//, '');
};
let total = 0;
const fnSelf = new Map();
for (const [id, us] of dt) {
  const node = byId.get(id);
  const key = bucket(node.callFrame.url, node.callFrame.functionName);
  self.set(key, (self.get(key) ?? 0) + us);
  const fk = `${key} ${node.callFrame.functionName}:${node.callFrame.lineNumber}`;
  fnSelf.set(fk, (fnSelf.get(fk) ?? 0) + us);
  total += us;
}
const print = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, us]) => console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${(100 * us / total).toFixed(1).padStart(5)}%  ${k}`));
console.log(`total ${(total / 1000).toFixed(0)} ms`);
print(self);
console.log('--- functions');
print(fnSelf);
// Inclusive time of the functions named in INCLUSIVE (comma-separated), outermost frames only.
const names = (process.env.INCLUSIVE ?? 'validate,resolveDependencies,chartToKube,toJson,stringify,save').split(',');
const inclusive = new Map();
const walk = (node, open) => {
  const name = node.callFrame.functionName;
  const counted = names.includes(name) && !open.has(name);
  if (counted) open.add(name);
  const us = dt.get(node.id) ?? 0;
  for (const n of open) inclusive.set(n, (inclusive.get(n) ?? 0) + us);
  for (const child of node.children ?? []) walk(byId.get(child), open);
  if (counted) open.delete(name);
};
walk(profile.nodes[0], new Set());
console.log('--- inclusive');
print(inclusive);

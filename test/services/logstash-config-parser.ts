/**
 * A strict parser of the Logstash config language subset the library writes, following
 * logstash-core's grammar (lscl.treetop): `section { plugin { name => value ... } ... }`, values
 * being double-quoted strings (no line breaks), numbers, barewords (true/false), arrays and
 * hashes. No Logstash binary exists on this machine: this is the structural check. It throws
 * on anything the grammar would reject that we could write (unbalanced braces, a missing `=>`,
 * an unterminated string, an unknown section).
 */
export type Value = string | number | boolean | Value[] | { [key: string]: Value };
export interface Plugin { name: string; settings: Array<[string, Value]> }
export type Config = Record<'input' | 'filter' | 'output', Plugin[]>;

export function parseLogstashConfig(text: string): Config {
  let i = 0;
  const fail = (what: string): never => { throw new Error(`expected ${what} at offset ${i}: ${JSON.stringify(text.slice(i, i + 30))}`); };
  const skip = () => { while (i < text.length && /[\s]/.test(text[i]) || text[i] === '#') { if (text[i] === '#') { while (i < text.length && text[i] !== '\n') i++; } else i++; } };
  const name = (): string => { skip(); const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i)); if (!m) fail('a name'); i += m![0].length; return m![0]; };
  const expect = (token: string) => { skip(); if (!text.startsWith(token, i)) fail(`"${token}"`); i += token.length; };
  const peek = (token: string) => { skip(); return text.startsWith(token, i); };
  const value = (): Value => {
    skip();
    const c = text[i];
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) fail('a closing quote');
      const s = text.slice(i + 1, end);
      if (s.includes('\n')) fail('a one-line string');
      i = end + 1;
      return s;
    }
    if (c === '[') {
      i++; const items: Value[] = [];
      if (peek(']')) { i++; return items; }
      for (;;) { items.push(value()); if (peek(',')) { i++; continue; } expect(']'); return items; }
    }
    if (c === '{') {
      i++; const hash: Record<string, Value> = {};
      while (!peek('}')) { const k = value(); if (typeof k !== 'string') fail('a hash key'); expect('=>'); hash[k as string] = value(); }
      i++; return hash;
    }
    const number = /^-?[0-9]+(\.[0-9]+)?/.exec(text.slice(i));
    if (number) { i += number[0].length; return Number(number[0]); }
    const word = name();
    if (word === 'true' || word === 'false') return word === 'true';
    return word;
  };
  const config: Config = { input: [], filter: [], output: [] };
  skip();
  while (i < text.length) {
    const section = name();
    if (!(section in config)) fail('input, filter or output');
    expect('{');
    while (!peek('}')) {
      const plugin: Plugin = { name: name(), settings: [] };
      expect('{');
      while (!peek('}')) { const key = name(); expect('=>'); plugin.settings.push([key, value()]); }
      i++;
      config[section as keyof Config].push(plugin);
    }
    i++;
    skip();
  }
  return config;
}

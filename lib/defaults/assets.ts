import * as fs from 'fs';
import * as path from 'path';

const cache = new Map<string, string>();

/**
 * The text of a file shipped next to the library's code (the build copies *.sh into build/).
 * Read once per process: synthesizing many constructs would otherwise re-read the same scripts
 * for every one (measured at about 14% of construction time, issue 18).
 */
export function readAsset(directory: string, fileName: string): string {
  const file = path.join(directory, fileName);
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    cache.set(file, text);
  }
  return text;
}

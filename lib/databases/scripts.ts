import * as fs from 'fs';
import * as path from 'path';
import { EngineScript } from './engine';

/** A script shipped next to an engine's code (copied into build/ by the build). */
export function engineScript(directory: string, fileName: string): EngineScript {
  return { fileName, body: fs.readFileSync(path.join(directory, fileName), 'utf8') };
}

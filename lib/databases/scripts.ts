import { readAsset } from '../defaults/assets';
import { EngineScript } from './engine';

/** A script shipped next to an engine's code (copied into build/ by the build). */
export function engineScript(directory: string, fileName: string): EngineScript {
  return { fileName, body: readAsset(directory, fileName) };
}

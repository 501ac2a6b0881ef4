import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The published Turbine runtime embedded in every library (`@adobe/reactor-turbine`, Apache-2.0). */
export interface TurbineEngine {
  version: string;
  /** ISO date of the installed engine file (Turbine's package carries no build date). */
  buildDate: string;
  /** `dist/engine.js` */
  source: string;
  /** `dist/engine.min.js`, as published. */
  minifiedSource: string;
}

/** Reads the engine from the installed package (`dir` = the package folder; default: resolved from node_modules). */
export async function loadTurbineEngine(dir = dirname(require.resolve('@adobe/reactor-turbine/package.json'))): Promise<TurbineEngine> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string };
  const enginePath = join(dir, 'dist', 'engine.js');
  const [source, minifiedSource, info] = await Promise.all([
    readFile(enginePath, 'utf8'),
    readFile(join(dir, 'dist', 'engine.min.js'), 'utf8'),
    stat(enginePath),
  ]);
  return { version: pkg.version, buildDate: info.mtime.toISOString(), source, minifiedSource };
}

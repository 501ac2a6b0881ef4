import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { installedPackageDir } from '@openexp/service-runtime';

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

/** Folder of an installed package (default `@adobe/reactor-turbine`); an error naming it when it is not installed. */
export function turbinePackageDir(packageName = '@adobe/reactor-turbine'): string {
  const dir = installedPackageDir(packageName);
  if (dir === undefined) {
    throw new Error(`${packageName} is not installed (run npm ci)`);
  }
  return dir;
}

/** Reads the engine from the installed package (`dir` = the package folder). */
export async function loadTurbineEngine(dir = turbinePackageDir()): Promise<TurbineEngine> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string };
  const enginePath = join(dir, 'dist', 'engine.js');
  const [source, minifiedSource, info] = await Promise.all([
    readFile(enginePath, 'utf8'),
    readFile(join(dir, 'dist', 'engine.min.js'), 'utf8'),
    stat(enginePath),
  ]);
  return { version: pkg.version, buildDate: info.mtime.toISOString(), source, minifiedSource };
}

/**
 * Version and date of the installed `@adobe/reactor-turbine-edge`, which runs edge libraries (it is
 * not embedded in them: the event forwarding server that loads a library brings it).
 */
export async function loadEdgeEngineInfo(dir = turbinePackageDir('@adobe/reactor-turbine-edge')): Promise<{ version: string; buildDate: string }> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string; main?: string };
  const info = await stat(join(dir, pkg.main ?? 'package.json'));
  return { version: pkg.version, buildDate: info.mtime.toISOString() };
}

import type { Deliverable } from '../build/deliverable';

/** Paths written, relative to the environment's public path (`{library_path}/…`). */
export type DeployedFiles = string[];

/** The current-entry files of a delivery (what the embed code loads, or the archive users download). */
export function currentEntryNames(delivery: Deliverable): string[] {
  return [...(delivery.currentEntries ?? [delivery.layout.fileName, delivery.layout.minFileName])];
}

/**
 * `{library_path}/{build.token}/…` then, when this build became current, the current entries
 * `{library_path}/launch-….js|.min.js` (or `launch-….zip`).
 */
export function deployedPaths(delivery: Deliverable, becameCurrent = true): DeployedFiles {
  return [
    ...delivery.files.map((f) => `${delivery.layout.buildDir}/${f.path}`),
    ...(becameCurrent ? currentEntryNames(delivery).map((name) => `${delivery.layout.libraryPath}/${name}`) : []),
  ];
}

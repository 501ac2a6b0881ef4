import type { LibraryLayout } from '../build/library-names';

/** Paths written, relative to the environment's public path (`{library_path}/…`). */
export type DeployedFiles = string[];

/**
 * What a deployer sends to a host: `files` into the build directory `{library_path}/{build.token}/`,
 * then `currentEntries` (names among `files`) made current at `{library_path}/`. A built library is
 * one (its loose files, current entries `launch-….js` and `.min.js`); so is an archive (one ZIP).
 */
export interface Deliverable {
  /** The build, to decide which of two builds of one environment is the newer. */
  build: { id: string; createdAt: string };
  layout: LibraryLayout;
  files: ReadonlyArray<{ path: string; content: string | Buffer }>;
  /** Default: the library files `launch-….js` and `launch-….min.js`. */
  currentEntries?: readonly string[];
}

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

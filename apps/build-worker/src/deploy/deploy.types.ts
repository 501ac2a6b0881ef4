import type { BuiltLibrary } from '../build/library-builder';

/** Paths written, relative to the environment's public path (`{library_path}/…`). */
export type DeployedFiles = string[];

/** The current-entry files of a library (what the embed code loads). */
export function currentEntryNames(library: BuiltLibrary): string[] {
  return [library.layout.fileName, library.layout.minFileName];
}

/**
 * `{library_path}/{build.token}/…` then, when this build became current, the current entries
 * `{library_path}/launch-….js|.min.js`.
 */
export function deployedPaths(library: BuiltLibrary, becameCurrent = true): DeployedFiles {
  return [
    ...library.files.map((f) => `${library.layout.buildDir}/${f.path}`),
    ...(becameCurrent ? currentEntryNames(library).map((name) => `${library.layout.libraryPath}/${name}`) : []),
  ];
}

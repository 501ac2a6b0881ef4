import type { LibraryLayout } from './library-names';

/**
 * What a build hands to the deployers: `files` into the build directory `{library_path}/{build.token}/`,
 * then `currentEntries` (names among `files`) made current at `{library_path}/`. A built library is
 * one (its loose files, current entries `launch-….js` and `.min.js`); so is an archive (one ZIP).
 * It lives with the build so that `deploy/` depends on `build/` and never the other way round.
 */
export interface Deliverable {
  /** The build, to decide which of two builds of one environment is the newer. */
  build: { id: string; createdAt: string };
  layout: LibraryLayout;
  files: ReadonlyArray<{ path: string; content: string | Buffer }>;
  /** Default: the library files `launch-….js` and `launch-….min.js`. */
  currentEntries?: readonly string[];
}

import type { BuiltLibrary } from '../build/library-builder';

/**
 * Which build the current entry points at, kept next to it (`.launch-….current.json`). Two builds
 * of one environment may finish out of order (concurrent workers, a retry after a newer build): the
 * current entry only ever moves forward, to a build created later than the one it shows.
 */
export interface CurrentMarker {
  buildId: string;
  createdAt: string;
}

export function markerName(library: BuiltLibrary): string {
  return `.${library.layout.minFileName.replace(/\.min\.js$/, '')}.current.json`;
}

export function markerOf(library: BuiltLibrary): CurrentMarker {
  return { buildId: library.build.id, createdAt: library.build.createdAt };
}

/** Parses a stored marker; anything unreadable counts as absent. */
export function parseMarker(text: string | undefined): CurrentMarker | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CurrentMarker>;
    return typeof parsed.buildId === 'string' && typeof parsed.createdAt === 'string' ? { buildId: parsed.buildId, createdAt: parsed.createdAt } : undefined;
  } catch {
    return undefined;
  }
}

/** True when `candidate` may become current: nothing is, the same build is (a retry), or it is newer. */
export function mayBecomeCurrent(candidate: CurrentMarker, existing: CurrentMarker | undefined): boolean {
  if (existing === undefined || existing.buildId === candidate.buildId) {
    return true;
  }
  const a = Date.parse(candidate.createdAt);
  const b = Date.parse(existing.createdAt);
  return a > b || (a === b && candidate.buildId > existing.buildId);
}

/**
 * Which build the current entry points at, kept next to it (`.launch-….current.json`). Two builds
 * of one environment may finish out of order (concurrent workers, a retry after a newer build): the
 * current entry only ever moves forward, to a build created later than the one it shows.
 *
 * A republish moves it back to an older build on purpose; it is ordered by the time it was
 * requested (`republishedAt`) instead: the latest request wins — a build created, or another
 * republish requested, after it replaces it, and nothing requested before it does.
 */
export interface CurrentMarker {
  buildId: string;
  createdAt: string;
  /** Set when the entry was made current by a republish requested at this time. */
  republishedAt?: string;
}

/** `.launch-{token}[-stage].current.json`, from the library's base name. */
export function markerNameFor(baseName: string): string {
  return `.${baseName}.current.json`;
}

export function markerName(library: { layout: { baseName: string } }): string {
  return markerNameFor(library.layout.baseName);
}

export function markerOf(library: { build: { id: string; createdAt: string } }): CurrentMarker {
  return { buildId: library.build.id, createdAt: library.build.createdAt };
}

/** Parses a stored marker; anything unreadable counts as absent. */
export function parseMarker(text: string | undefined): CurrentMarker | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CurrentMarker>;
    if (typeof parsed.buildId !== 'string' || typeof parsed.createdAt !== 'string') {
      return undefined;
    }
    return typeof parsed.republishedAt === 'string'
      ? { buildId: parsed.buildId, createdAt: parsed.createdAt, republishedAt: parsed.republishedAt }
      : { buildId: parsed.buildId, createdAt: parsed.createdAt };
  } catch {
    return undefined;
  }
}

/** When the action that made `marker` current was requested: its republish, else its build's creation. */
function requestedAt(marker: CurrentMarker): number {
  return Date.parse(marker.republishedAt ?? marker.createdAt);
}

/**
 * True when `candidate` may become current: nothing is, the same action is (a retry), or it was
 * requested later than what is current (ties broken by build id, so two workers agree).
 */
export function mayBecomeCurrent(candidate: CurrentMarker, existing: CurrentMarker | undefined): boolean {
  if (existing === undefined || (existing.buildId === candidate.buildId && existing.republishedAt === candidate.republishedAt)) {
    return true;
  }
  const a = requestedAt(candidate);
  const b = requestedAt(existing);
  return a > b || (a === b && candidate.buildId > existing.buildId);
}

/** A build directory `{library_path}/{token}/` of the environment, complete in managed storage. */
export interface StoredBuild {
  id: string;
  token: string;
  createdAt: string;
}

/**
 * What a managed host's marker file holds: the current marker's fields at the top level (as SFTP
 * hosts and earlier workers write them), plus `builds`, the register of the environment's complete
 * build directories that retention reads (see build-retention.ts). Read and written only under the
 * environment's lock.
 */
export interface EnvironmentState {
  current: CurrentMarker | undefined;
  builds: StoredBuild[];
}

/** Parses a managed marker file; anything unreadable counts as an empty state. */
export function parseEnvironmentState(text: string | undefined): EnvironmentState {
  const current = parseMarker(text);
  let builds: StoredBuild[] = [];
  try {
    const parsed = text === undefined ? undefined : (JSON.parse(text) as { builds?: unknown });
    if (Array.isArray(parsed?.builds)) {
      builds = parsed.builds.filter(
        (b): b is StoredBuild =>
          typeof b === 'object' &&
          b !== null &&
          typeof (b as StoredBuild).id === 'string' &&
          typeof (b as StoredBuild).createdAt === 'string' &&
          typeof (b as StoredBuild).token === 'string' &&
          /^[A-Za-z0-9_-]+$/.test((b as StoredBuild).token),
      );
    }
  } catch {
    builds = [];
  }
  return { current, builds };
}

export function serializeEnvironmentState(state: EnvironmentState): string {
  return JSON.stringify({ ...state.current, builds: state.builds });
}

/**
 * What the worker remembers about a published asset, in the record itself: the ignored column
 * `.Published` (§4.1: columns whose name starts with `.` are not read by image-server), written in
 * the same atomic record update as `Path`. It makes jobs idempotent (a job run again after it
 * published finds its own id) and ordered (a request older than the one published is not applied).
 * Format: `v=<version>;job=<job id>;at=<requestedAt>;fmt=<source format>[;prev=<Path before>]`,
 * values percent-encoded.
 */
export const STAMP_COLUMN = '.Published';

export interface PublicationStamp {
  /** Bumped by every successful ingest of the asset (restarts at 1 after an unpublish). */
  version: number;
  jobId: string;
  /** When the API accepted the request that published this version (ISO 8601). */
  requestedAt: string;
  sourceFormat: string;
  /** `Path` of the version this one replaced, when the worker had published it: deleted when the next version is published. */
  previousPath?: string | undefined;
}

export function formatStamp(stamp: PublicationStamp): string {
  const e = encodeURIComponent;
  const prev = stamp.previousPath === undefined ? '' : `;prev=${e(stamp.previousPath)}`;
  return `v=${stamp.version};job=${e(stamp.jobId)};at=${e(stamp.requestedAt)};fmt=${e(stamp.sourceFormat)}${prev}`;
}

/** The stamp of a record's fields; `undefined` when it has none (a record written by hand) or it does not parse. */
export function stampOf(fields: ReadonlyMap<string, string> | undefined): PublicationStamp | undefined {
  const text = fieldOf(fields, STAMP_COLUMN);
  if (text === undefined || text === '') {
    return undefined;
  }
  const parts = new Map<string, string>();
  for (const pair of text.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) {
      try {
        parts.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)));
      } catch {
        return undefined;
      }
    }
  }
  const version = Number(parts.get('v'));
  const jobId = parts.get('job');
  const requestedAt = parts.get('at');
  if (!Number.isInteger(version) || version < 1 || jobId === undefined || requestedAt === undefined) {
    return undefined;
  }
  return { version, jobId, requestedAt, sourceFormat: parts.get('fmt') ?? 'unknown', previousPath: parts.get('prev') };
}

/** A record field by name, case-insensitively (as the loader matches header names). */
export function fieldOf(fields: ReadonlyMap<string, string> | undefined, name: string): string | undefined {
  return [...(fields ?? new Map<string, string>())].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

/** True when a request made at `requestedAt` is older than the one that published `stamp`. */
export function isOlderThan(requestedAt: string, stamp: PublicationStamp | undefined): boolean {
  if (stamp === undefined) {
    return false;
  }
  const mine = Date.parse(requestedAt);
  const theirs = Date.parse(stamp.requestedAt);
  return Number.isFinite(mine) && Number.isFinite(theirs) && mine < theirs;
}

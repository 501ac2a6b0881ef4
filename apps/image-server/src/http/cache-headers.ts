import { NO_CACHE_HEADERS } from '@openexp/errors';

/** One year: the TTL written for "never expires" (-1). */
const NEVER_SECONDS = 365 * 24 * 3600;

/** Caching of one successful reply (image-serving.md §6). */
export interface CachePolicy {
  /** TTL in hours (0 = expire now, -1 = never), or `null` for replies that are never cacheable. */
  ttlHours: number | null;
  /** False when `cache=` turned client caching off (ignored when `ttlHours` is -1). */
  client: boolean;
}

/** HTTP dates by whole second (V8 formats a Date slowly); a handful of TTLs are in use at a time. */
const httpDates = new Map<number, string>();

/** `Expires`/`Date` text of a time: RFC 7231 IMF-fixdate, what `Date#toUTCString` gives. */
export function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  let text = httpDates.get(second);
  if (text === undefined) {
    if (httpDates.size >= 64) {
      httpDates.clear();
    }
    text = new Date(second * 1000).toUTCString();
    httpDates.set(second, text);
  }
  return text;
}

/** `Cache-Control` and `Expires` for a successful reply. */
export function cacheHeaders(policy: CachePolicy, now: Date): Record<string, string> {
  const { ttlHours } = policy;
  if (ttlHours === null) {
    return { ...NO_CACHE_HEADERS };
  }
  if (ttlHours === -1) {
    return { 'Cache-Control': `public, max-age=${NEVER_SECONDS}`, Expires: httpDate(now.getTime() + NEVER_SECONDS * 1000) };
  }
  if (!policy.client) {
    return { 'Cache-Control': 'no-cache, no-store', Expires: httpDate(now.getTime()) };
  }
  const seconds = Math.max(0, Math.round(ttlHours * 3600));
  if (seconds === 0) {
    return { 'Cache-Control': 'no-cache, max-age=0', Expires: httpDate(now.getTime()) };
  }
  return { 'Cache-Control': `public, max-age=${seconds}`, Expires: httpDate(now.getTime() + seconds * 1000) };
}

/** The conditional request headers that matter. */
export interface Conditionals {
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
}

/**
 * True when a conditional GET may be answered with 304 (§6): `If-None-Match` first (weak
 * comparison, `*` matches), `If-Modified-Since` only when there is no `If-None-Match` and the
 * reply has a `Last-Modified`. A reply that never expires (-1) answers any conditional GET with 304.
 */
export function notModified(c: Conditionals, etag: string, lastModified: Date | undefined, neverExpires: boolean): boolean {
  if (neverExpires && (c.ifNoneMatch !== undefined || c.ifModifiedSince !== undefined)) {
    return true;
  }
  if (c.ifNoneMatch !== undefined) {
    const bare = (t: string) => t.trim().replace(/^W\//, '');
    return c.ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
  }
  if (c.ifModifiedSince !== undefined && lastModified !== undefined) {
    const since = Date.parse(c.ifModifiedSince);
    return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

/** Headers on every reply of the image server: no sniffing, no active content. */
export const SAFETY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
});

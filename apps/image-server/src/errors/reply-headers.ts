import { createHash } from 'node:crypto';

const ONE_YEAR_SECONDS = 31_536_000;

/**
 * Cache headers for a cacheable image reply with a TTL in hours (image-serving.md §6):
 * `-1` never expires (one year), `0` expires at once, otherwise `public, max-age`.
 */
export function ttlHeaders(hours: number, now: Date = new Date()): Record<string, string> {
  if (hours < 0) {
    return { 'Cache-Control': `public, max-age=${ONE_YEAR_SECONDS}`, Expires: new Date(now.getTime() + ONE_YEAR_SECONDS * 1000).toUTCString() };
  }
  const seconds = Math.round(hours * 3600);
  if (seconds === 0) {
    return { 'Cache-Control': 'no-cache, max-age=0', Expires: now.toUTCString() };
  }
  return { 'Cache-Control': `public, max-age=${seconds}`, Expires: new Date(now.getTime() + seconds * 1000).toUTCString() };
}

/** `"<md5 hex>"` of a body: Image Serving's ETag is the MD5 of the response data (§6). */
export function md5Etag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** Headers every image reply of the errors module carries. */
export const IMAGE_SAFETY_HEADERS = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'",
});

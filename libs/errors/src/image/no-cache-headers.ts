/**
 * Headers for every error reply, including a 200 error image (image-serving.md §5.7): never
 * stored by browsers, CDNs or proxies. Send no `ETag` and no `Last-Modified` with them.
 */
export const NO_CACHE_HEADERS = Object.freeze({
  'Cache-Control': 'no-cache, no-store, max-age=0',
  Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
  Pragma: 'no-cache',
} as const);

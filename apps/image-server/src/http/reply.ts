import { hash } from 'node:crypto';
import { cacheHeaders, notModified, SAFETY_HEADERS, type CachePolicy, type Conditionals } from './cache-headers';

/**
 * A complete HTTP reply: the controller copies it to Fastify as is. Every reply of the image
 * server (images, properties, content, error replies) is one; it lives here, with the HTTP rules
 * that build it, so the errors module depends on `http` and never the other way round.
 */
export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Quoted MD5 hex of a body: the Image Serving ETag (§6). */
export function md5Etag(body: Buffer | string): string {
  return `"${hash('md5', body, 'hex')}"`;
}

/** The parts of the HTTP request a reply depends on. */
export interface ReplyContext {
  method: 'GET' | 'HEAD';
  conditionals: Conditionals;
  now: Date;
}

/** A successful reply before HTTP rules apply. */
export interface SuccessReply {
  contentType: string;
  body: Buffer | string;
  /** Quoted MD5 of the body; computed here when not given (the result cache keeps it precomputed). */
  etag?: string;
  cache: CachePolicy;
  /** `Last-Modified` (only when `UseLastModified=1`, §6). */
  lastModified?: Date;
  /** Extra headers, e.g. `X-IS-Cache`. */
  headers?: Record<string, string>;
}

/**
 * Turns a successful reply into HTTP (image-serving.md §6): `ETag` = MD5 of the body on every
 * 200, `Cache-Control`/`Expires` from the policy, 304 without body for a matching conditional
 * GET, the same headers without body for HEAD, safety headers always. Non-cacheable replies get
 * no ETag (nothing may be revalidated against them).
 */
export function successResponse(reply: SuccessReply, ctx: ReplyContext, md5: (body: Buffer | string) => string): PlainResponse {
  const cacheable = reply.cache.ttlHours !== null;
  const headers: Record<string, string> = {
    ...SAFETY_HEADERS,
    ...cacheHeaders(reply.cache, ctx.now),
    'Content-Type': reply.contentType,
    ...reply.headers,
  };
  if (reply.lastModified !== undefined && cacheable) {
    headers['Last-Modified'] = reply.lastModified.toUTCString();
  }
  if (!cacheable) {
    return bodyFor(ctx, headers, reply.body);
  }
  const etag = reply.etag ?? md5(reply.body);
  headers['ETag'] = etag;
  if (notModified(ctx.conditionals, etag, reply.lastModified, reply.cache.ttlHours === -1)) {
    delete headers['Content-Type'];
    return { status: 304, headers, body: '' };
  }
  return bodyFor(ctx, headers, reply.body);
}

/**
 * HEAD gets the GET's body too: Fastify's automatic HEAD route (the controller serves GET) sets
 * `Content-Length` from it and sends no body, so HEAD and GET carry identical headers.
 */
function bodyFor(_ctx: ReplyContext, headers: Record<string, string>, body: Buffer | string): PlainResponse {
  return { status: 200, headers, body };
}

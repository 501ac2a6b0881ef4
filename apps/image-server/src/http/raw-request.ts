import type { FastifyRequest } from 'fastify';
import type { Conditionals } from './cache-headers';

/** What every Image Serving route (`/is/image`, `/is/content`) reads from the raw request, nothing decoded (§1.2). */
export interface RawServingRequest {
  requestId: string;
  method: 'GET' | 'HEAD';
  /** Raw (%-encoded) path elements after the route's prefix: decoded later, element by element. */
  pathSegments: string[];
  /** Raw query after `?`, '' when none. */
  rawQuery: string;
  conditionals: Conditionals;
}

/** A request header as one string (repeated headers joined with `, `), undefined when absent. */
export function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Splits the raw URL into raw path elements after `prefix` (e.g. `/is/image`) and the raw query. */
export function toRawServingRequest(request: FastifyRequest, prefix: string): RawServingRequest {
  const url = request.raw.url ?? request.url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rest = path.slice(prefix.length).replace(/^\/+/, '');
  return {
    requestId: String(request.id),
    method: request.method === 'HEAD' ? 'HEAD' : 'GET',
    pathSegments: rest === '' ? [] : rest.split('/'),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    conditionals: { ifNoneMatch: header(request, 'if-none-match'), ifModifiedSince: header(request, 'if-modified-since') },
  };
}

/** The path and query of a request as the client sent them (`/is/image/cat/id?wid=200`): what a URL purge names. */
export function servingUrl(prefix: string, request: Pick<RawServingRequest, 'pathSegments' | 'rawQuery'>): string {
  const path = `${prefix}/${request.pathSegments.join('/')}`;
  return request.rawQuery === '' ? path : `${path}?${request.rawQuery}`;
}

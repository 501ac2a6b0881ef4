import type { FastifyRequest } from 'fastify';
import type { Conditionals } from '../http/cache-headers';

/** One `/is/content` HTTP request as the controller hands it over: raw, nothing decoded. */
export interface ContentHttpRequest {
  requestId: string;
  method: 'GET' | 'HEAD';
  /** Raw (%-encoded) path elements after `/is/content/`. */
  pathSegments: string[];
  /** Raw query after `?`, '' when none. */
  rawQuery: string;
  conditionals: Conditionals;
  /** `Range` header, if any. */
  range: string | undefined;
  /** `If-Range` header, if any. */
  ifRange: string | undefined;
}

const PREFIX = '/is/content';

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Splits the raw URL into raw path elements after `/is/content` and the raw query (§1.2: decoded later, element by element). */
export function toContentHttpRequest(request: FastifyRequest): ContentHttpRequest {
  const url = request.raw.url ?? request.url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rest = path.slice(PREFIX.length).replace(/^\/+/, '');
  return {
    requestId: String(request.id),
    method: request.method === 'HEAD' ? 'HEAD' : 'GET',
    pathSegments: rest === '' ? [] : rest.split('/'),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    conditionals: { ifNoneMatch: header(request, 'if-none-match'), ifModifiedSince: header(request, 'if-modified-since') },
    range: header(request, 'range'),
    ifRange: header(request, 'if-range'),
  };
}

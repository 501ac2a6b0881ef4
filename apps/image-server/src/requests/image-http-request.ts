import type { FastifyRequest } from 'fastify';
import type { ImageHttpRequest } from './request-context';

const PREFIX = '/is/image';

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Splits the raw URL into raw path elements after `/is/image` and the raw query (nothing decoded, §1.2). */
export function toImageHttpRequest(request: FastifyRequest): ImageHttpRequest {
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
    client: { accept: header(request, 'accept'), dprHint: header(request, 'sec-ch-dpr') ?? header(request, 'dpr') },
  };
}

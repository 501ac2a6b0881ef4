import type { FastifyRequest } from 'fastify';
import { header, toRawServingRequest } from '../http/raw-request';
import type { ImageHttpRequest } from './request-context';

/** Splits the raw URL into raw path elements after `/is/image` and the raw query (nothing decoded, §1.2), with the negotiation headers. */
export function toImageHttpRequest(request: FastifyRequest): ImageHttpRequest {
  return {
    ...toRawServingRequest(request, '/is/image'),
    client: { accept: header(request, 'accept'), dprHint: header(request, 'sec-ch-dpr') ?? header(request, 'dpr') },
  };
}

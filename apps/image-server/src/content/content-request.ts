import type { FastifyRequest } from 'fastify';
import { header, toRawServingRequest, type RawServingRequest } from '../http/raw-request';

/** One `/is/content` HTTP request as the controller hands it over: raw, nothing decoded. */
export interface ContentHttpRequest extends RawServingRequest {
  /** `Range` header, if any. */
  range: string | undefined;
  /** `If-Range` header, if any. */
  ifRange: string | undefined;
}

/** Splits the raw URL into raw path elements after `/is/content` and the raw query (§1.2: decoded later, element by element), with the range headers. */
export function toContentHttpRequest(request: FastifyRequest): ContentHttpRequest {
  return { ...toRawServingRequest(request, '/is/content'), range: header(request, 'range'), ifRange: header(request, 'if-range') };
}

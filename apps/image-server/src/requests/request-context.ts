import type { ResolvedRequest } from '@openexp/catalogs';
import type { RawServingRequest } from '../http/raw-request';
import type { ClientFacts } from '../pipeline/format-negotiation';
import type { ReqSpec } from './request-type';

/** One `/is/image` HTTP request: raw, nothing decoded (path elements after `/is/image/`). */
export interface ImageHttpRequest extends RawServingRequest {
  /** The headers format and DPR negotiation read (`Accept`, `Sec-CH-DPR`/`DPR`); absent: nothing is negotiated. */
  client?: ClientFacts;
}

/** A request being answered: the HTTP facts, the resolved request and its `req=`. */
export interface RequestScope {
  http: ImageHttpRequest;
  resolved: ResolvedRequest;
  req: ReqSpec;
  now: Date;
}

/** Record `Expiration`, else a rule set's `Expiration`, else `attribute::Expiration`, in hours (§6 "TTL"). */
export function imageTtlHours(resolved: ResolvedRequest): number {
  return resolved.expirationHours;
}

/**
 * `Last-Modified` when `UseLastModified=1`: the most recent `TimeStamp` of the catalogs and
 * record involved (§6); `undefined` otherwise.
 */
export function lastModifiedOf(resolved: ResolvedRequest): Date | undefined {
  if (!resolved.attributes.useLastModified) {
    return undefined;
  }
  const stamps = [resolved.attributes.timeStamp, resolved.object.catalog.attributes.timeStamp, resolved.object.record?.timeStamp ?? 0];
  return new Date(Math.max(...stamps));
}

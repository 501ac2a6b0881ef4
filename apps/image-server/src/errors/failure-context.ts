/**
 * The seam between the image server's request flow and the errors module: what the request flow
 * knows about a failed request, and the plain response the errors module answers with.
 */
import type { Conditionals } from '../http/cache-headers';
import type { ErrorCatalog } from '../catalogs/error-catalog';

/** The reply format the failed request asked for: `image` for `req=img|tmb|mask`, else its `req=<type>,<format>`. */
export type ErrorReplyFormat = 'image' | 'text' | 'javascript' | 'xml' | 'json';

/** The commands a default image inherits from the failed request in `DefaultImageMode=0` (§5.5). */
export interface CarriedCommands {
  wid?: string;
  hei?: string;
  fmt?: string;
  qlt?: string;
}

/** Default-image facts of the failed request (image-serving.md §5.5). */
export interface DefaultImageRequest {
  /**
   * The `defaultImage=` URL command: `undefined` when absent (the catalog attribute applies),
   * `''` when present and empty (disabled for this request), else the object to substitute.
   */
  command?: string;
  /** `wid=`, `hei=`, `fmt=`, `qlt=` of the failed request, raw as written. */
  carried: CarriedCommands;
}

/** What the request flow tells {@link ErrorResponder.respond} about a failed request. */
export interface FailureContext {
  /** Correlation id of the HTTP request (logged, never shown in bodies except through `jsonpId`). */
  requestId: string;
  /** The request's main catalog once known (after catalog selection); `undefined` → `default.ini` settings. */
  catalog?: ErrorCatalog;
  /** `req=` type as parsed (`img`, `tmb`, `props`, ...); anything unknown is counted as `other`. */
  reqType: string;
  /** Reply format the request asked for. */
  format: ErrorReplyFormat;
  /** `json` format: the `id=` request id echoed as the JSONP second argument. */
  jsonpId?: string;
  /** HEAD replies carry the same headers and no body. */
  method: 'GET' | 'HEAD';
  /** Set by the request flow for `req=img|tmb` so a default image can replace a missing one. */
  defaultImage?: DefaultImageRequest;
  /** `If-None-Match`/`If-Modified-Since`, so a cacheable default image can be revalidated (304). */
  conditionals?: Conditionals;
  /** False when `cache=` turned client caching off for this request; default true. */
  clientCache?: boolean;
}

/** The reply type of the errors module, defined with the HTTP reply rules it goes through. */
export type { PlainResponse } from '../http/reply';

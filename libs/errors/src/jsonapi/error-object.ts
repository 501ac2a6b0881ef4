import { randomUUID } from 'node:crypto';
import type { ReactorErrorCode } from '../reactor/reactor-codes';
import { ReactorError } from '../reactor/reactor-error';

/** `meta` of an error object. `request_id` is always set on immediate errors. */
export interface JsonApiErrorMeta {
  /** Correlation id of the HTTP request (also sent as `x-request-id`), or of the job for deferred errors. */
  request_id?: string;
  /** Other occurrence facts (e.g. `step`, `host_id`, `attempt`, `context`). */
  [key: string]: unknown;
}

/** A JSON:API error object as Reactor sends it (reactor-api.md §3.1). */
export interface JsonApiErrorObject {
  /** A fresh UUID for this occurrence. */
  id: string;
  /** HTTP status as a **string** (`"404"`); for deferred errors see `DeferredStatus`. */
  status: string;
  /** Stable catalogue code. */
  code: ReactorErrorCode;
  /** Constant title of the code. */
  title: string;
  /** Occurrence-specific sentence for a person (the SDK builds its exception message from it). */
  detail: string;
  /**
   * Where the problem is: a member of the request document (`pointer`) or a query parameter
   * (`parameter`); absent when neither is at fault.
   */
  source?: { pointer: string } | { parameter: string };
  /** Correlation id and other facts. */
  meta: JsonApiErrorMeta;
}

/** A top-level error document: `{ "errors": [...] }`, never together with `data`. */
export interface JsonApiErrorDocument {
  /** One or more error objects. */
  errors: JsonApiErrorObject[];
}

/** Options for building error objects. */
export interface ErrorObjectOptions {
  /** Generates the per-occurrence `id`; defaults to `crypto.randomUUID`. Tests pass a fixed one. */
  newId?: () => string;
}

/** Detail used whenever an error is not a {@link ReactorError}: it must never carry internal messages. */
export const GENERIC_INTERNAL_DETAIL = 'An unexpected error occurred on the server. Please try again later.';

/** Serialises one occurrence for an HTTP response. `meta.request_id` cannot be overridden by `err.meta`. */
export function toJsonApiError(
  err: ReactorError,
  requestId: string,
  options: ErrorObjectOptions = {},
): JsonApiErrorObject {
  const object: JsonApiErrorObject = {
    id: (options.newId ?? randomUUID)(),
    status: String(err.status),
    code: err.code,
    title: err.title,
    detail: err.detail,
    meta: { ...err.meta, request_id: requestId },
  };
  if (err.pointer !== undefined) {
    object.source = { pointer: err.pointer };
  } else if (err.parameter !== undefined) {
    object.source = { parameter: err.parameter };
  }
  return object;
}

/** Wraps error objects in a document. Throws `RangeError` on an empty list (an error document needs errors). */
export function errorDocument(errors: readonly JsonApiErrorObject[]): JsonApiErrorDocument {
  if (errors.length === 0) {
    throw new RangeError('An error document needs at least one error object.');
  }
  return { errors: [...errors] };
}

import { ReactorError, ReactorErrors } from '../reactor/reactor-error';
import {
  errorDocument,
  GENERIC_INTERNAL_DETAIL,
  toJsonApiError,
  type ErrorObjectOptions,
  type JsonApiErrorDocument,
} from './error-object';

/** Media type of every Reactor response with a body, errors included (the SDK ignores other bodies). */
export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json';

/** What an exception filter sends: HTTP status and error document. */
export interface ErrorResponse {
  /** HTTP status of the response. */
  status: number;
  /** Body, to be sent as {@link JSON_API_MEDIA_TYPE}. */
  document: JsonApiErrorDocument;
}

/** The occurrences carried by a thrown value; anything that is not a Reactor error becomes `internal-error`. */
export function reactorErrorsOf(err: unknown): readonly [ReactorError, ...ReactorError[]] {
  if (err instanceof ReactorErrors) {
    return err.errors;
  }
  if (err instanceof ReactorError) {
    return [err];
  }
  return [new ReactorError('internal-error', GENERIC_INTERNAL_DETAIL, { cause: err })];
}

/**
 * Turns anything thrown while handling a request into the HTTP answer. Unknown errors become a
 * single `internal-error` with a generic detail: their message and stack are for the log only.
 */
export function errorResponse(err: unknown, requestId: string, options: ErrorObjectOptions = {}): ErrorResponse {
  const errors = reactorErrorsOf(err);
  return {
    status: err instanceof ReactorErrors ? err.status : errors[0].status,
    document: errorDocument(errors.map((e) => toJsonApiError(e, requestId, options))),
  };
}

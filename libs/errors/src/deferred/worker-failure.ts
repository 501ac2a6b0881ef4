import { GENERIC_INTERNAL_DETAIL } from '../jsonapi/error-object';
import { isPlainObject } from '../jsonapi/error-object-check';
import { isReactorErrorCode, REACTOR_ERRORS, type ReactorErrorCode } from '../reactor/reactor-codes';
import { ReactorError, ReactorErrors } from '../reactor/reactor-error';

/**
 * A failure as it crosses Redis from the worker to reactor-api: plain JSON, codes never classes
 * (DESIGN.md "Error codes cross process boundaries; error classes do not").
 */
export interface WorkerFailure {
  /** Catalogue code; should be deferrable (`isDeferrable`), anything else is reported as-is. */
  code: ReactorErrorCode;
  /** A sentence for a person, e.g. "All configured authentication methods failed for deploy@sftp.example.com:22". */
  detail: string;
  /**
   * JSON-serialisable facts about where it happened (file, line, column, excerpt, rule_component_id...).
   * Becomes `meta.context` of the deferred error object. Never secrets or stack traces.
   */
  context?: Record<string, unknown>;
}

/** The catch-all codes {@link failureFromUnknown} may fall back to. */
export type FailureFallbackCode = 'internal-error' | 'unknown-error';

const GENERIC_DETAILS: Record<FailureFallbackCode, string> = {
  'internal-error': GENERIC_INTERNAL_DETAIL,
  'unknown-error': 'The operation failed for a reason that could not be determined.',
};

function fromReactorError(err: ReactorError): WorkerFailure {
  return err.meta === undefined ? { code: err.code, detail: err.detail } : { code: err.code, detail: err.detail, context: { ...err.meta } };
}

/**
 * Every failure carried by a thrown value: the occurrences of a `ReactorError`/`ReactorErrors`,
 * or a single `fallback` failure with a generic detail. The message of an unknown error is
 * **never** copied into `detail` (it may hold paths, hosts or secrets): log it instead.
 */
export function failuresFromUnknown(
  err: unknown,
  fallback: FailureFallbackCode = 'internal-error',
): [WorkerFailure, ...WorkerFailure[]] {
  if (err instanceof ReactorErrors) {
    const [first, ...rest] = err.errors;
    return [fromReactorError(first), ...rest.map(fromReactorError)];
  }
  if (err instanceof ReactorError) {
    return [fromReactorError(err)];
  }
  return [{ code: fallback, detail: GENERIC_DETAILS[fallback] }];
}

/** Like {@link failuresFromUnknown}, keeping only the first failure. */
export function failureFromUnknown(err: unknown, fallback: FailureFallbackCode = 'internal-error'): WorkerFailure {
  return failuresFromUnknown(err, fallback)[0];
}

/**
 * Validates a value read back from Redis/JSON (a job result) as a {@link WorkerFailure}. Unknown
 * codes are rejected, so the API never stores a code it cannot title.
 */
export function isWorkerFailure(x: unknown): x is WorkerFailure {
  return (
    isPlainObject(x) &&
    typeof x['code'] === 'string' &&
    isReactorErrorCode(x['code']) &&
    typeof x['detail'] === 'string' &&
    (x['context'] === undefined || isPlainObject(x['context']))
  );
}

/** Rebuilds a throwable from a failure (e.g. to rethrow in the API); `context` becomes `meta`. */
export function reactorErrorFromFailure(failure: WorkerFailure): ReactorError {
  return new ReactorError(failure.code, failure.detail, failure.context === undefined ? {} : { meta: failure.context });
}

/** The deferred `status` string of a code; immediate-only codes fall back to their HTTP status. */
export function deferredStatusOf(code: ReactorErrorCode): string {
  const definition = REACTOR_ERRORS[code];
  return definition.deferredStatus ?? String(definition.status);
}

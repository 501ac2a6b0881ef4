import { REACTOR_ERRORS, type ReactorErrorCode } from './reactor-codes';
import type { ReactorHttpStatus } from './reactor-error-definition';

/** Optional parts of a {@link ReactorError} occurrence. */
export interface ReactorErrorOptions {
  /**
   * JSON Pointer (RFC 6901) into the request document at the member at fault, e.g.
   * `/data/attributes/name`. Becomes `source.pointer`. See `pointerIsAcceptable` for the rule it must meet.
   */
  pointer?: string;
  /**
   * The URI query parameter at fault (e.g. `page[number]`), for errors about the query string rather
   * than the request document. Becomes `source.parameter` (JSON:API 1.0); `pointer` wins if both are set.
   */
  parameter?: string;
  /**
   * Extra, JSON-serialisable facts about this occurrence, merged into the error object's `meta`
   * (immediate) or carried as `meta.context` (deferred). Never put secrets or stack traces here.
   */
  meta?: Record<string, unknown>;
  /** The underlying error, for logs only; never serialised to clients. */
  cause?: unknown;
}

/**
 * One occurrence of a catalogued Reactor error. Throw it from services (and the worker); the
 * exception filter turns it into a JSON:API error document, the worker into a `WorkerFailure`.
 * `status` and `title` always come from the catalogue, so they cannot drift per call site.
 *
 * @example throw new ReactorError('environment-required', `Library ${id} has no environment.`)
 * @example throw new ReactorError('validation-error', 'name is required.', { pointer: '/data/attributes/name' })
 */
export class ReactorError<C extends ReactorErrorCode = ReactorErrorCode> extends Error {
  override readonly name = 'ReactorError';
  /** Stable catalogue code. */
  readonly code: C;
  /** A sentence for a person about this occurrence (JSON:API `detail`). */
  readonly detail: string;
  /** JSON Pointer into the request document, if a member of it is at fault. */
  readonly pointer: string | undefined;
  /** The query parameter at fault, if the query string rather than the document is. */
  readonly parameter: string | undefined;
  /** Extra JSON-serialisable facts about this occurrence. */
  readonly meta: Readonly<Record<string, unknown>> | undefined;

  constructor(code: C, detail: string, options: ReactorErrorOptions = {}) {
    super(`${code}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.pointer = options.pointer;
    this.parameter = options.parameter;
    this.meta = options.meta;
  }

  /** HTTP status from the catalogue. */
  get status(): ReactorHttpStatus {
    return REACTOR_ERRORS[this.code].status;
  }

  /** Constant title from the catalogue. */
  get title(): string {
    return REACTOR_ERRORS[this.code].title;
  }
}

/**
 * The HTTP status for a response carrying several errors, "the most generally applicable" per
 * JSON:API: all equal → that status; any 5xx → 500; otherwise (mixed 4xx) → 400.
 */
export function aggregateStatus(statuses: readonly number[]): number {
  const [first, ...rest] = statuses;
  if (first === undefined) {
    return 500;
  }
  if (rest.every((s) => s === first)) {
    return first;
  }
  return statuses.some((s) => s >= 500) ? 500 : 400;
}

/**
 * Several errors raised together (e.g. one `validation-error` per invalid field). The response
 * lists every one of them; its status follows {@link aggregateStatus}.
 */
export class ReactorErrors extends Error {
  override readonly name = 'ReactorErrors';
  /** The occurrences, in the order they should be reported; never empty. */
  readonly errors: readonly [ReactorError, ...ReactorError[]];

  constructor(errors: readonly [ReactorError, ...ReactorError[]]) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
  }

  /** Collects errors and throws only if there is at least one: `ReactorErrors.throwIfAny(problems)`. */
  static throwIfAny(errors: readonly ReactorError[]): void {
    const [first, ...rest] = errors;
    if (first === undefined) {
      return;
    }
    throw rest.length === 0 ? first : new ReactorErrors([first, ...rest]);
  }

  /** HTTP status of the whole response. */
  get status(): number {
    return aggregateStatus(this.errors.map((e) => e.status));
  }
}

/**
 * The shape every Reactor error catalogue entry must have. All fields are required, so an entry
 * without a title, status or kind does not compile (the catalogues use `satisfies`).
 */

/**
 * Where a code can occur.
 * - `immediate`: returned as the HTTP response of the request that caused it.
 * - `deferred`: found later by the build worker, reported in `meta.status_details` of the resource.
 * - `both`: either, depending on when the problem is detected (e.g. a zip checked on upload or by the worker).
 */
export type ReactorErrorKind = 'immediate' | 'deferred' | 'both';

/**
 * Whether repeating the same operation, unchanged, may succeed.
 * - `transient`: yes (network hiccups, timeouts, overload). The worker retries these with backoff and
 *   keeps the resource `pending` until the last attempt (reactor-api.md §3.4).
 * - `permanent`: no; the input, the configuration or the rights must change first. The worker fails
 *   the job at once (BullMQ `UnrecoverableError`).
 */
export type ReactorRetryPolicy = 'transient' | 'permanent';

/**
 * The `status` string of a deferred error object in `meta.status_details` (reactor-api.md §3.2).
 * It has no HTTP meaning; by our convention:
 * - `"422"` the content is at fault (extension package, settings, custom code, the host's key);
 * - `"500"` infrastructure, other: our own faults and the remote host rejecting credentials/operations;
 * - `"502"` infrastructure, the network path to a remote host broke (refused, reset, disconnected);
 * - `"504"` infrastructure, an operation on a remote host timed out.
 */
export type DeferredStatus = '422' | '500' | '502' | '504';

/** HTTP statuses a Reactor error response may carry. */
export type ReactorHttpStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503 | 504;

/** Fields every catalogue entry has, whatever its kind. */
interface ReactorErrorDefinitionBase {
  /** Short, constant, human-readable summary; identical for every occurrence of the code (JSON:API `title`). */
  readonly title: string;
  /**
   * HTTP status of the response when the code is returned immediately. For deferred-only codes it
   * mirrors `deferredStatus`, so an accidental immediate use still answers with a sensible status.
   */
  readonly status: ReactorHttpStatus;
  /** Whether the same operation may succeed if repeated unchanged (drives worker retries). */
  readonly retry: ReactorRetryPolicy;
  /** One line, in our own words: when the code is raised. Used for docs, not sent to clients. */
  readonly description: string;
}

/** A code that is only ever returned as an HTTP response. */
export interface ImmediateReactorErrorDefinition extends ReactorErrorDefinitionBase {
  /** See {@link ReactorErrorKind}. */
  readonly kind: 'immediate';
  /** Immediate-only codes never appear in `meta.status_details`, so they have no deferred status. */
  readonly deferredStatus: null;
}

/** A code that can appear in `meta.status_details` (and, for `both`, also as an HTTP response). */
export interface DeferrableReactorErrorDefinition extends ReactorErrorDefinitionBase {
  /** See {@link ReactorErrorKind}. */
  readonly kind: 'deferred' | 'both';
  /** The `status` string used in `meta.status_details` (see {@link DeferredStatus}). */
  readonly deferredStatus: DeferredStatus;
}

/** One entry of the Reactor error catalogue. */
export type ReactorErrorDefinition = ImmediateReactorErrorDefinition | DeferrableReactorErrorDefinition;

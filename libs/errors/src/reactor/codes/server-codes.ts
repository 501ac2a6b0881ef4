import type { ReactorErrorDefinition } from '../reactor-error-definition';

/**
 * Faults of the service itself rather than of the request.
 *
 * Retry decision for the two catch-alls (reactor-api.md §3.4 leaves it open):
 * - `internal-error` is **transient**: Adobe describes it as "try again later", and it is what
 *   `failureFromUnknown` produces for any unexpected exception in the worker (a crashed connection,
 *   a full disk, a bug). Retrying a few times with backoff is cheap because handlers are idempotent,
 *   and it rescues the real transient causes we have not classified yet.
 * - `unknown-error` is **permanent**: it is reported deliberately by code that saw a failure it
 *   could not classify (e.g. an unexpected answer from a remote system). Repeating the same call is
 *   not expected to change the answer, so we fail fast and show it to the user.
 */
export const SERVER_ERRORS = {
  'internal-error': {
    title: 'Internal Error',
    status: 500,
    kind: 'both',
    retry: 'transient',
    deferredStatus: '500',
    description: 'Something unexpected failed on our side; the caller may try again later.',
  },
  'unknown-error': {
    title: 'Unknown Error',
    status: 500,
    kind: 'both',
    retry: 'permanent',
    deferredStatus: '500',
    description: 'An operation failed in a way we could not classify.',
  },
  'too-many-requests': {
    title: 'Too Many Requests',
    status: 429,
    kind: 'immediate',
    retry: 'transient',
    deferredStatus: null,
    description: 'The caller exceeded a rate limit; retry after the delay in Retry-After.',
  },
  'service-unavailable': {
    title: 'Service Unavailable',
    status: 503,
    kind: 'immediate',
    retry: 'transient',
    deferredStatus: null,
    description: 'A dependency (database, queue) is unreachable, so the request cannot be served right now.',
  },
} as const satisfies Record<string, ReactorErrorDefinition>;

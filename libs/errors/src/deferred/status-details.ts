import { randomUUID } from 'node:crypto';
import type { JsonApiErrorObject } from '../jsonapi/error-object';
import { errorObjectProblems, isPlainObject } from '../jsonapi/error-object-check';
import { REACTOR_ERRORS } from '../reactor/reactor-codes';
import { deferredStatusOf, type WorkerFailure } from './worker-failure';

/** The value of `meta.status_details` on a failed build, host, extension package or secret (reactor-api.md §3.2). */
export interface StatusDetails {
  /** Error objects; reactor-uploader prints `errors[0]`. Never has `source` (there is no request document). */
  errors: JsonApiErrorObject[];
}

/** Options for {@link toStatusDetails}. */
export interface StatusDetailsOptions {
  /**
   * Facts shared by every failure of the job, spread into each error's `meta` before `context`,
   * e.g. `{ step: 'deploy', host_id: 'HT…', attempt: 3 }`. Include `request_id` (the job id) if useful.
   */
  meta?: Record<string, unknown>;
  /** Generates the per-occurrence `id`; defaults to `crypto.randomUUID`. */
  newId?: () => string;
}

/**
 * Builds `meta.status_details` from the failures a job reported: catalogue title, deferred
 * status string (see `DeferredStatus`), a fresh id, and `context` under `meta.context`.
 */
export function toStatusDetails(failures: readonly WorkerFailure[], options: StatusDetailsOptions = {}): StatusDetails {
  const newId = options.newId ?? randomUUID;
  return {
    errors: failures.map((failure) => {
      const meta: Record<string, unknown> = { ...options.meta };
      if (failure.context !== undefined) {
        meta['context'] = failure.context;
      }
      return {
        id: newId(),
        status: deferredStatusOf(failure.code),
        code: failure.code,
        title: REACTOR_ERRORS[failure.code].title,
        detail: failure.detail,
        meta,
      };
    }),
  };
}

/**
 * Lists what is wrong with a `status_details` value (empty = valid): an object with a non-empty
 * `errors` array whose objects have deferrable codes, the code's deferred status string, the
 * catalogue title, a non-empty detail, a `meta` object, and no `source`.
 */
export function statusDetailsProblems(details: unknown): string[] {
  if (!isPlainObject(details) || !Array.isArray(details['errors']) || details['errors'].length === 0) {
    return ['status_details: must be an object with a non-empty errors array'];
  }
  return details['errors'].flatMap((error: unknown, i) => {
    const at = `status_details.errors[${i}]`;
    const { problems, pointer } = errorObjectProblems(error, at, 'deferred');
    return pointer === undefined ? problems : [...problems, `${at}.source: deferred errors have no request document`];
  });
}

/** Throws an `Error` listing every problem found by {@link statusDetailsProblems}. */
export function assertValidStatusDetails(details: unknown): void {
  const problems = statusDetailsProblems(details);
  if (problems.length > 0) {
    throw new Error(`Invalid status_details:\n- ${problems.join('\n- ')}`);
  }
}

import { isReactorErrorCode, REACTOR_ERRORS } from '../reactor/reactor-codes';

/** Which status a checked error object must carry: the HTTP one (immediate) or the deferred one. */
export type ErrorStatusContext = 'immediate' | 'deferred';

/** True for a non-null, non-array object. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Problems of one error object, independent of any request document: id, status string, code
 * in the catalogue, title equal to the catalogue's, non-empty detail, `meta` an object. Pointers
 * are returned for the caller to check. Each problem is prefixed with `at`.
 */
export function errorObjectProblems(
  error: unknown,
  at: string,
  context: ErrorStatusContext,
): { problems: string[]; pointer: string | undefined } {
  const problems: string[] = [];
  if (!isPlainObject(error)) {
    return { problems: [`${at}: not an object`], pointer: undefined };
  }
  if (typeof error['id'] !== 'string' || error['id'] === '') {
    problems.push(`${at}.id: must be a non-empty string`);
  }
  const status = error['status'];
  if (typeof status !== 'string' || !/^[1-5][0-9]{2}$/.test(status)) {
    problems.push(`${at}.status: must be an HTTP status as a string, got ${JSON.stringify(status)}`);
  }
  const code = error['code'];
  if (typeof code !== 'string' || !isReactorErrorCode(code)) {
    problems.push(`${at}.code: ${JSON.stringify(code)} is not in the Reactor error catalogue`);
  } else {
    const definition = REACTOR_ERRORS[code];
    if (error['title'] !== definition.title) {
      problems.push(`${at}.title: must be ${JSON.stringify(definition.title)} for ${code}`);
    }
    if (context === 'immediate' && typeof status === 'string' && status !== String(definition.status)) {
      problems.push(`${at}.status: must be "${definition.status}" for ${code}, got ${JSON.stringify(status)}`);
    }
    if (context === 'deferred') {
      if (definition.deferredStatus === null) {
        problems.push(`${at}.code: ${code} is immediate-only and cannot be reported in status_details`);
      } else if (status !== definition.deferredStatus) {
        problems.push(`${at}.status: must be "${definition.deferredStatus}" for deferred ${code}`);
      }
    }
  }
  if (typeof error['detail'] !== 'string' || error['detail'] === '') {
    problems.push(`${at}.detail: must be a non-empty string`);
  }
  if (!isPlainObject(error['meta'])) {
    problems.push(`${at}.meta: must be an object`);
  }
  let pointer: string | undefined;
  if (error['source'] !== undefined) {
    const source = error['source'];
    if (isPlainObject(source) && typeof source['pointer'] === 'string') {
      pointer = source['pointer'];
    } else if (!isPlainObject(source) || typeof source['parameter'] !== 'string' || source['parameter'] === '') {
      problems.push(`${at}.source: must be an object with a string pointer or a non-empty string parameter`);
    }
  }
  return { problems, pointer };
}

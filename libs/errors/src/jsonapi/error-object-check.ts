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
  problems.push(...codeProblems(error['code'], error['title'], status, at, context));
  if (typeof error['detail'] !== 'string' || error['detail'] === '') {
    problems.push(`${at}.detail: must be a non-empty string`);
  }
  if (!isPlainObject(error['meta'])) {
    problems.push(`${at}.meta: must be an object`);
  }
  const pointer = sourcePointer(error['source'], at, problems);
  return { problems, pointer };
}

/** The code is in the catalogue, and the title and status are the catalogue's for it in `context`. */
function codeProblems(code: unknown, title: unknown, status: unknown, at: string, context: ErrorStatusContext): string[] {
  if (typeof code !== 'string' || !isReactorErrorCode(code)) {
    return [`${at}.code: ${JSON.stringify(code)} is not in the Reactor error catalogue`];
  }
  const problems: string[] = [];
  const definition = REACTOR_ERRORS[code];
  if (title !== definition.title) {
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
  return problems;
}

/** `source.pointer` for the caller to check; a `source` with neither pointer nor parameter is a problem. */
function sourcePointer(source: unknown, at: string, problems: string[]): string | undefined {
  if (source === undefined) {
    return undefined;
  }
  if (isPlainObject(source) && typeof source['pointer'] === 'string') {
    return source['pointer'];
  }
  if (!isPlainObject(source) || typeof source['parameter'] !== 'string' || source['parameter'] === '') {
    problems.push(`${at}.source: must be an object with a string pointer or a non-empty string parameter`);
  }
  return undefined;
}

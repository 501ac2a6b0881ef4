import { errorObjectProblems, isPlainObject } from './error-object-check';
import { parseJsonPointer, pointerIsAcceptable } from './json-pointer';

/**
 * Lists what is wrong with an immediate error document (empty list = valid):
 * - top level: an object with a non-empty `errors` array and no `data`;
 * - each error: non-empty `id`; `status` a string equal to the catalogue's HTTP status of its
 *   `code`; `code` in the catalogue; `title` equal to the catalogue's; non-empty `detail`;
 *   `meta.request_id` a non-empty string, the same on every error of the document;
 * - pointers: syntactically valid; and, when a request document is given (second argument
 *   present, even if `undefined` = "the request had no body"), acceptable per
 *   `pointerIsAcceptable` (resolves, or its parent is an object/array in the request).
 */
export function errorDocumentProblems(document: unknown, ...request: [] | [requestDocument: unknown]): string[] {
  if (!isPlainObject(document)) {
    return ['document: not an object'];
  }
  const problems: string[] = [];
  if ('data' in document) {
    problems.push('document: must not contain `data` next to `errors`');
  }
  const errors = document['errors'];
  if (!Array.isArray(errors) || errors.length === 0) {
    return [...problems, 'document.errors: must be a non-empty array'];
  }
  const requestIds = new Set<unknown>();
  errors.forEach((error: unknown, i) => {
    const at = `errors[${i}]`;
    const checked = errorObjectProblems(error, at, 'immediate');
    problems.push(...checked.problems);
    if (isPlainObject(error) && isPlainObject(error['meta'])) {
      const requestId = error['meta']['request_id'];
      requestIds.add(requestId);
      if (typeof requestId !== 'string' || requestId === '') {
        problems.push(`${at}.meta.request_id: must be a non-empty string`);
      }
    }
    const pointer = checked.pointer;
    if (pointer === undefined) {
      return;
    }
    if (parseJsonPointer(pointer) === null) {
      problems.push(`${at}.source.pointer: ${JSON.stringify(pointer)} is not a valid JSON Pointer`);
    } else if (request.length === 1 && !pointerIsAcceptable(request[0], pointer)) {
      problems.push(`${at}.source.pointer: ${JSON.stringify(pointer)} does not resolve in the request document`);
    }
  });
  if (requestIds.size > 1) {
    problems.push('document: all errors of one response must share meta.request_id');
  }
  return problems;
}

/**
 * Throws an `Error` listing every problem found by {@link errorDocumentProblems}. For tests in any
 * project: `assertValidErrorDocument(res.body, requestBody)`.
 */
export function assertValidErrorDocument(document: unknown, ...request: [] | [requestDocument: unknown]): void {
  const problems = errorDocumentProblems(document, ...request);
  if (problems.length > 0) {
    throw new Error(`Invalid JSON:API error document:\n- ${problems.join('\n- ')}`);
  }
}

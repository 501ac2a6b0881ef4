/**
 * JSON Pointer (RFC 6901) helpers for `source.pointer` of JSON:API error objects.
 * Only own members are followed (`/data/constructor` never resolves through a prototype), and
 * array members are addressed by canonical indices (`0`, `1`, ... — no `-`, no leading zeros).
 */

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Splits a pointer into unescaped reference tokens (`~1` → `/`, then `~0` → `~`).
 * `""` is the whole document (no tokens). Returns `null` for a syntactically invalid pointer:
 * one that is neither empty nor starts with `/`, or has a `~` not followed by `0` or `1`.
 */
export function parseJsonPointer(pointer: string): string[] | null {
  if (pointer === '') {
    return [];
  }
  if (!pointer.startsWith('/') || /~(?![01])/.test(pointer)) {
    return null;
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a pointer from raw tokens, escaping `~` and `/`: `['data','attributes','a/b']` → `/data/attributes/a~1b`. */
export function formatJsonPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Outcome of {@link resolveJsonPointer}. */
export type JsonPointerResolution = { found: true; value: unknown } | { found: false };

function child(container: unknown, token: string): JsonPointerResolution {
  if (Array.isArray(container)) {
    if (!ARRAY_INDEX.test(token)) {
      return { found: false };
    }
    const index = Number(token);
    return index < container.length ? { found: true, value: container[index] as unknown } : { found: false };
  }
  if (typeof container === 'object' && container !== null && Object.prototype.hasOwnProperty.call(container, token)) {
    return { found: true, value: (container as Record<string, unknown>)[token] };
  }
  return { found: false };
}

/** Follows a pointer through a parsed JSON document. Invalid pointers are never found. */
export function resolveJsonPointer(document: unknown, pointer: string): JsonPointerResolution {
  const tokens = parseJsonPointer(pointer);
  if (tokens === null || document === undefined) {
    return { found: false };
  }
  let current: JsonPointerResolution = { found: true, value: document };
  for (const token of tokens) {
    current = child(current.value, token);
    if (!current.found) {
      return current;
    }
  }
  return current;
}

/** True when the pointer identifies an existing value (possibly `null`) in the document. */
export function pointerResolves(document: unknown, pointer: string): boolean {
  return resolveJsonPointer(document, pointer).found;
}

/**
 * The rule every `source.pointer` in an error response must meet with respect to the request
 * document it refers to:
 *
 * 1. the pointer is syntactically valid, and
 * 2. either it resolves ({@link pointerResolves}), **or** it is not the root pointer and its
 *    **parent** resolves to an object or an array. The second case is how an error points at a
 *    member that is missing but required: `/data/attributes/name` when `attributes` exists but has
 *    no `name`. For an array parent the last token must still be a canonical index.
 *
 * So `/data/attributes/name` is acceptable for `{data:{attributes:{}}}` but not for `{data:{}}`
 * (point at `/data/attributes` then) nor for a request without a body.
 */
export function pointerIsAcceptable(requestDocument: unknown, pointer: string): boolean {
  const tokens = parseJsonPointer(pointer);
  if (tokens === null) {
    return false;
  }
  if (pointerResolves(requestDocument, pointer)) {
    return true;
  }
  const last = tokens.pop();
  if (last === undefined) {
    return false;
  }
  const parent = resolveJsonPointer(requestDocument, formatJsonPointer(tokens));
  if (!parent.found || typeof parent.value !== 'object' || parent.value === null) {
    return false;
  }
  return !Array.isArray(parent.value) || ARRAY_INDEX.test(last);
}

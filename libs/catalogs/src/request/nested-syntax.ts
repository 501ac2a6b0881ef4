import { ImageServingError } from '@openexp/errors';
import type { MergedCommand } from './command-merge';
import { NESTED_VALUE } from './modifier-tokens';
import { usageError } from './request-errors';

/**
 * Deepest nesting of `src=is{…}`/`mask=is{…}` served: a request (depth 0) may embed requests
 * (depth 1) that embed requests (depth 2) that embed requests (depth 3); one more level is the
 * usage error `IMG_NESTING_LIMIT`. Adobe documents "unlimited nesting"; spec §7 recommends a cap,
 * and every level is a full render (its own sources, pixel budget and admission slot).
 */
export const MAX_NESTING_DEPTH = 3;

/**
 * Commands a nested request ignores, wherever they come from (its URL, macros, the `Modifier` or
 * `PostModifier` of its record): the embedding layer decides format, quality, background and
 * request type (§3.5, Adobe's "Request nesting and embedding"). Dropped from the merged commands.
 */
export const NESTED_IGNORED_COMMANDS: ReadonlySet<string> = new Set(['fmt', 'qlt', 'iccembed', 'printres', 'quantize', 'req', 'bgc']);

/** A nested request value taken apart: its kind, raw path elements and raw query. */
export interface NestedRequestText {
  /** `is` (Image Serving), `ir` (Image Rendering), `fxg` (FXG render): case-sensitive tokens. */
  readonly kind: 'is' | 'ir' | 'fxg';
  /** Raw (still %-encoded) path elements of the nested request's object; `[]` for `is{?…}`. */
  readonly pathSegments: readonly string[];
  /** Raw query of the nested request (after its first `?`), `''` when none. */
  readonly rawQuery: string;
}

const CLOSING: Readonly<Record<string, string>> = { '(': ')', '{': '}' };

/** True when a command value is a nested request (`is{…}`, `is(…)`, `ir…`, `fxg…`). */
export function isNestedRequest(value: string): boolean {
  return NESTED_VALUE.test(value);
}

/**
 * Takes a nested request value apart: `is{cat/img?wid=100&hei=50}` or `is(cat/img?wid=100)`.
 * Inside, delimiters (`? & = ( ) { }`) are written as in the outer request, not %-encoded (§1.2
 * item 4); brackets inside the nested request must balance, so a literal `{`/`}`/`(`/`)` in one
 * of its values (RTF text, say) is written `%7B`/`%7D`/`%28`/`%29`, or kept balanced. The value
 * must end with the bracket that closes the one after the prefix.
 * @throws ImageServingError `IMG_INVALID_COMMAND_VALUE` for anything else.
 */
export function parseNestedRequest(value: string, command = 'src'): NestedRequestText {
  const match = /^(is|ir|fxg)([({])/.exec(value);
  const open = match?.[2] ?? '';
  const close = Object.hasOwn(CLOSING, open) ? CLOSING[open] : undefined;
  if (match === null || close === undefined || !value.endsWith(close) || !balanced(value.slice(match[0].length, -1))) {
    throw usageError(`${command}=${value}: a nested request is is{object?commands} or is(object?commands) with balanced brackets`, { command, value });
  }
  const body = value.slice(match[0].length, -1);
  const q = body.indexOf('?');
  const path = q < 0 ? body : body.slice(0, q);
  const rawQuery = q < 0 ? '' : body.slice(q + 1);
  return { kind: match[1] as NestedRequestText['kind'], pathSegments: path.split('/').filter((s) => s !== ''), rawQuery };
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(' || c === '{') {
      depth++;
    } else if (c === ')' || c === '}') {
      depth--;
      if (depth < 0) {
        return false;
      }
    }
  }
  return depth === 0;
}

/** Commands whose value may be a nested request. */
const NESTING_COMMANDS: ReadonlySet<string> = new Set(['src', 'mask']);

/** How many nested requests are nested in a value, at most (`is{?src=is{x}}` → 2). */
export function nestedDepthOf(value: string): number {
  const stack: boolean[] = [];
  let depth = 0;
  let max = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === '(' || c === '{') {
      const opens = /(?:^|[=&?])(is|ir|fxg)$/.test(value.slice(Math.max(0, i - 4), i));
      stack.push(opens);
      depth += opens ? 1 : 0;
      max = Math.max(max, depth);
    } else if (c === ')' || c === '}') {
      depth -= stack.pop() === true ? 1 : 0;
    }
  }
  return max;
}

/**
 * Checks the nested requests of a request's merged commands before anything is rendered (so
 * `req=validate` and `req=resolve` see them too): each `src=`/`mask=` nested value parses, and
 * the nesting it writes out stays within {@link MAX_NESTING_DEPTH} counted from `depth`, the
 * request's own depth. Nesting that only templates add is caught when it is resolved.
 * @throws ImageServingError `IMG_INVALID_COMMAND_VALUE`, `IMG_NESTING_LIMIT`.
 */
export function checkNestedValues(commands: readonly MergedCommand[], depth: number): void {
  for (const c of commands) {
    if (!c.nested || !NESTING_COMMANDS.has(c.name)) {
      continue;
    }
    parseNestedRequest(c.value, c.originalName);
    const total = depth + nestedDepthOf(c.value);
    if (total > MAX_NESTING_DEPTH) {
      throw nestingLimit(c.originalName, c.value, total);
    }
  }
}

/** The `IMG_NESTING_LIMIT` error for a request nested `depth` deep. */
export function nestingLimit(command: string, value: string, depth: number): ImageServingError {
  return new ImageServingError('IMG_NESTING_LIMIT', `${command}=${value}: requests nested ${depth} deep, more than the limit of ${MAX_NESTING_DEPTH}`, { command, value });
}

import { ImageServingError } from '@openexp/errors';
import type { CommandRouting } from './command-merge';
import { NESTED_VALUE } from './modifier-tokens';
import { usageError } from './request-errors';
import { resolveIn } from './resolve-request';
import type { ResolvedRequest } from './resolved-request';

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

/** Options of {@link resolveNestedRequest}. */
export interface NestedRequestOptions {
  /** The server's command routing (as for the top-level request); its `check` applies too. */
  readonly routing?: CommandRouting;
  /** The command the value came from (`src`, `mask`), for error messages. */
  readonly command?: string;
}

/**
 * Resolves a nested request (`src=is{…}`, `mask=is{…}`) of `parent` like a request of its own in
 * the same catalog snapshot (§3.5): its catalog's rule set applies, macros expand, its record's
 * `Modifier`/`PostModifier` merge, `template=` works; RequestLock and obfuscation do not (they
 * cover the outer request string, which includes this one). Without a path (`is{?…}`) it is
 * resolved in the parent's main catalog. The parent's variables, `$object$`
 * included, are defined in it unless it redefines them (§1.4). {@link NESTED_IGNORED_COMMANDS}
 * are dropped; `cache=` stays (`cache=on` opts in to caching the nested result).
 * @throws ImageServingError `IMG_NESTING_LIMIT` deeper than {@link MAX_NESTING_DEPTH};
 * `IMG_UNSUPPORTED_REQUEST` for `ir{…}`/`fxg{…}` (no Image Rendering or FXG renderer here);
 * `IMG_INVALID_COMMAND_VALUE` for a malformed value; whatever resolving the request throws.
 */
export function resolveNestedRequest(value: string, parent: ResolvedRequest, options: NestedRequestOptions = {}): ResolvedRequest {
  const command = options.command ?? 'src';
  const depth = parent.nestingDepth + 1;
  if (depth > MAX_NESTING_DEPTH) {
    throw new ImageServingError('IMG_NESTING_LIMIT', `${command}=${value}: requests nested ${depth} deep, more than the limit of ${MAX_NESTING_DEPTH}`, { command, value });
  }
  const text = parseNestedRequest(value, command);
  if (text.kind !== 'is') {
    throw new ImageServingError('IMG_UNSUPPORTED_REQUEST', `${command}=${value}: embedded ${text.kind}{…} requests are not supported by this server`, { command, value });
  }
  // `is{?…}` names no object: it is resolved in the catalog of the request it is nested in.
  const pathSegments = text.pathSegments.length === 0 && !parent.catalog.isDefault ? [parent.catalog.rootId] : text.pathSegments;
  const resolved = resolveIn(parent.catalogs, { pathSegments, rawQuery: text.rawQuery }, {
    routing: options.routing,
    unlock: false,
    inherited: parent.variables,
    ignored: NESTED_IGNORED_COMMANDS,
    nestingDepth: depth,
  });
  options.routing?.check?.(resolved.commands, 'is');
  return resolved;
}

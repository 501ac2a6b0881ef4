import type { Catalog } from '../catalog/catalog';
import type { CatalogMacro } from '../catalog/catalog-record';
import { ImageServingError } from '@openexp/errors';
import { tokenizeModifiers, type ModifierToken } from './modifier-tokens';
import { usageError } from './request-errors';

/** The catalogs macros are looked up in: the main catalog, then the default catalog (§1.4). */
export interface MacroScope {
  readonly main: Catalog;
  readonly defaultCatalog: Catalog;
}

/** Deeper nesting than this is refused; the ordering rule already excludes cycles. */
export const MAX_MACRO_DEPTH = 16;

interface Origin {
  readonly catalog: Catalog;
  readonly macro: CatalogMacro;
}

/**
 * Replaces every `$name$` token by the tokens of its definition, in place (§1.4), so "last
 * occurrence wins" gives the positional semantics: a command before the macro is overridden by
 * it, one after overrides it. Inside a definition, only macros defined earlier in the same file,
 * or (for a non-default catalog) any macro of the default catalog, may be used. An unknown macro
 * is a usage error.
 */
export function expandMacros(tokens: readonly ModifierToken[], scope: MacroScope): ModifierToken[] {
  return expand(tokens, scope, null, null, 0);
}

function expand(tokens: readonly ModifierToken[], scope: MacroScope, from: Origin | null, outer: string | null, depth: number): ModifierToken[] {
  const out: ModifierToken[] = [];
  for (const t of tokens) {
    if (t.kind !== 'macro') {
      out.push(t.kind === 'command' && outer !== null ? { ...t, macro: outer } : t);
      continue;
    }
    const found = lookup(t.name, scope, from);
    if (found === undefined) {
      throw usageError(`unknown macro $${t.name}$`, { command: `$${t.name}$` });
    }
    if (depth >= MAX_MACRO_DEPTH) {
      throw new ImageServingError('IMG_NESTING_LIMIT', `macros nested deeper than ${MAX_MACRO_DEPTH}`, { command: `$${t.name}$` });
    }
    const inner = tokenizeModifiers(found.macro.definition, 'lenient', t.source);
    out.push(...expand(inner, scope, found, outer ?? found.macro.name.toLowerCase(), depth + 1));
  }
  return out;
}

function lookup(name: string, scope: MacroScope, from: Origin | null): Origin | undefined {
  const { main, defaultCatalog } = scope;
  if (from === null) {
    const m = main.macro(name);
    if (m !== undefined) {
      return { catalog: main, macro: m };
    }
    const d = defaultCatalog.macro(name);
    return d === undefined ? undefined : { catalog: defaultCatalog, macro: d };
  }
  const same = from.catalog.macro(name);
  if (same !== undefined && same.index < from.macro.index) {
    return { catalog: from.catalog, macro: same };
  }
  if (from.catalog !== defaultCatalog) {
    const d = defaultCatalog.macro(name);
    return d === undefined ? undefined : { catalog: defaultCatalog, macro: d };
  }
  return undefined;
}

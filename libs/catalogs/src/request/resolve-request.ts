import type { CatalogSet } from '../catalog/catalog-set';
import { mergeCommands } from './command-merge';
import { expandMacros } from './macro-expansion';
import { tokenizeModifiers, type CommandSource, type CommandToken, type ModifierToken } from './modifier-tokens';
import { decodePathSegments } from './object-path';
import { resolvePathObject, selectMainCatalog } from './object-resolution';
import { deobfuscateModifiers, stripRequestLock } from './request-lock';
import { ResolvedRequest } from './resolved-request';
import { substituteVariables } from './variables';

/** The raw request as the HTTP layer sees it, nothing decoded. */
export interface RequestInput {
  /** Raw (still %-encoded) path elements after `/is/image/`. */
  readonly pathSegments: readonly string[];
  /** Raw query string after `?` (a leading `?` is tolerated), still %-encoded. */
  readonly rawQuery: string;
}

/** Something that gives a consistent catalog set: a `CatalogStore` or a `CatalogSet` itself. */
export type CatalogSource = CatalogSet | { snapshot(): CatalogSet };

/** Commands whose values never get variable substitution (§1.4). */
const NO_SUBSTITUTION: ReadonlySet<string> = new Set(['layer', 'effect']);

/**
 * Resolves one Image Serving request (§1.2-1.6), without deciding which commands are known:
 * 1. decode the path elements one by one and refuse unsafe ones; pick the main catalog;
 * 2. (rule sets are not implemented);
 * 3. `RequestObfuscation`: base64-decode the whole query;
 * 4. `RequestLock`: verify and strip the `&xxxx` suffix;
 * 5. tokenize (`&` only, first `=`, per-value %-decoding, balanced nested brackets), drop
 *    comments, expand macros in place, collect `$var=` definitions;
 * 6. resolve the object; merge record `Modifier` < URL < record `PostModifier` (last wins per layer);
 * 7. substitute variables (one pass; definitions from every source are visible everywhere, as
 *    templates in `Modifier` use variables defined in the URL; `$object$` is predefined).
 *
 * @throws ImageServingError `IMG_REQUEST_REFUSED` (unsafe path), `IMG_INVALID_COMMAND_VALUE`
 * (bad escape, unknown macro ...), `IMG_REQUEST_LOCKED`, `IMG_OBFUSCATION_FAILED`, `IMG_NESTING_LIMIT`.
 */
export function resolveRequest(input: RequestInput, source: CatalogSource): ResolvedRequest {
  const catalogs = 'snapshot' in source ? source.snapshot() : source;
  const segments = decodePathSegments(input.pathSegments);
  const selected = selectMainCatalog(segments, catalogs).catalog;

  let query = input.rawQuery.startsWith('?') ? input.rawQuery.slice(1) : input.rawQuery;
  if (selected.attributes.requestObfuscation) {
    query = deobfuscateModifiers(query);
  }
  if (selected.attributes.requestLock) {
    query = stripRequestLock(query);
  }
  const defaultCatalog = catalogs.defaultCatalog;
  const urlTokens = expandMacros(tokenizeModifiers(query, 'strict', 'url'), { main: selected, defaultCatalog });

  const { main, object } = resolvePathObject(segments, catalogs);
  const recordTokens = (text: string, src: CommandSource): ModifierToken[] =>
    text === '' ? [] : expandMacros(tokenizeModifiers(text, 'lenient', src), { main: object.catalog, defaultCatalog });
  const record = object.record;
  const all = [
    ...(record === null ? [] : recordTokens(record.modifier, 'modifier')),
    ...urlTokens,
    ...(record === null ? [] : recordTokens(record.postModifier, 'postModifier')),
  ];

  const pathObject = segments.join('/');
  const variables = new Map<string, string>([['object', pathObject]]);
  for (const t of all) {
    if (t.kind === 'variable') {
      variables.set(t.name.toLowerCase(), t.value);
    }
  }
  const commands: CommandToken[] = [];
  for (const t of all) {
    if (t.kind === 'command') {
      commands.push(NO_SUBSTITUTION.has(t.name.toLowerCase()) ? t : { ...t, value: substituteVariables(t.value, variables) });
    }
  }
  return new ResolvedRequest({
    catalogs,
    catalog: main,
    selectedCatalog: selected,
    pathObject,
    object,
    commands: mergeCommands(commands),
    variables,
  });
}

import type { Catalog } from '../catalog/catalog';
import type { CatalogRecord } from '../catalog/catalog-record';
import type { CatalogSet } from '../catalog/catalog-set';
import { mergeCommands, type CommandRouting } from './command-merge';
import { expandMacros } from './macro-expansion';
import { NESTED_VALUE, tokenizeModifiers, type CommandSource, type CommandToken, type ModifierToken } from './modifier-tokens';
import { decodePathSegments } from './object-path';
import { resolveObjectReference, resolvePathObject, selectMainCatalog, type ResolvedObject } from './object-resolution';
import { deobfuscateModifiers, stripRequestLock } from './request-lock';
import { ResolvedRequest, type RuleEffect } from './resolved-request';
import type { RuleRequestType } from '../rules/rule-set';
import { substituteVariables } from './variables';

/** The raw request as the HTTP layer sees it, nothing decoded. */
export interface RequestInput {
  /** Raw (still %-encoded) path elements after `/is/image/`. */
  readonly pathSegments: readonly string[];
  /** Raw query string after `?` (a leading `?` is tolerated), still %-encoded. */
  readonly rawQuery: string;
  /** Which rules of the rule set apply: `is` (`/is/image`, the default) or `static` (`/is/content`). */
  readonly requestType?: RuleRequestType;
}

/** Something that gives a consistent catalog set: a `CatalogStore` or a `CatalogSet` itself. */
export type CatalogSource = CatalogSet | { snapshot(): CatalogSet };

/** Commands whose values never get variable substitution (§1.4). */
const NO_SUBSTITUTION: ReadonlySet<string> = new Set(['layer', 'effect']);

/**
 * Resolves one Image Serving request (§1.2-1.6), without deciding which commands are known:
 * 1. decode the path elements one by one and refuse unsafe ones; pick the main catalog;
 * 2. run the selected catalog's rule set on the raw request string `path?query` (see `RuleSet`);
 *    when a rule rewrote it, the new path is resolved again (it may name another catalog, whose
 *    rules do not run: one rule set per request, as each rule runs at most once);
 * 3. `RequestObfuscation`: base64-decode the whole query;
 * 4. `RequestLock`: verify and strip the `&xxxx` suffix;
 * 5. tokenize (`&` only, first `=`, per-value %-decoding, balanced nested brackets), drop
 *    comments, expand macros in place, collect `$var=` definitions;
 * 6. resolve the object; merge record `Modifier` < URL < record `PostModifier` (last wins per layer);
 * 7. substitute variables (one pass; definitions from every source are visible everywhere, as
 *    templates in `Modifier` use variables defined in the URL; `$object$` is predefined).
 *
 *
 * `routing` (the server's command table) routes global commands to the composite wherever they
 * stand and may refuse what the server does not implement (see {@link CommandRouting}); without
 * it commands stay in the layer they are written in.
 *
 * @throws ImageServingError `IMG_REQUEST_REFUSED` (unsafe path, rule budget), `IMG_RULE_REJECTED`, `IMG_INVALID_COMMAND_VALUE`
 * (bad escape, unknown macro ...), `IMG_REQUEST_LOCKED`, `IMG_OBFUSCATION_FAILED`, `IMG_NESTING_LIMIT`, and
 * whatever `routing.check` throws.
 */
export function resolveRequest(input: RequestInput, source: CatalogSource, routing?: CommandRouting): ResolvedRequest {
  const catalogs = 'snapshot' in source ? source.snapshot() : source;
  let path = resolvePath(input.pathSegments, catalogs);
  let query = input.rawQuery.startsWith('?') ? input.rawQuery.slice(1) : input.rawQuery;
  let rules: RuleEffect | undefined;
  const ruleSet = path.selected.ruleSet;
  if (ruleSet.size > 0) {
    const request = query === '' ? input.pathSegments.join('/') : `${input.pathSegments.join('/')}?${query}`;
    const outcome = ruleSet.apply(request, input.requestType ?? 'is');
    if (outcome.matched.length > 0) {
      rules = outcome; // a RuleEffect (matched, expiration), frozen and shared by repeats of the URL
    }
    if (outcome.request !== request) {
      const q = outcome.request.indexOf('?');
      const rewrittenPath = (q < 0 ? outcome.request : outcome.request.slice(0, q)).replace(/^\/+/, '');
      query = q < 0 ? '' : outcome.request.slice(q + 1);
      path = resolvePath(rewrittenPath === '' ? [] : rewrittenPath.split('/'), catalogs);
    }
  }
  const { selected, main, object, pathObject } = path;
  if (selected.attributes.requestObfuscation) {
    query = deobfuscateModifiers(query);
  }
  if (selected.attributes.requestLock) {
    query = stripRequestLock(query);
  }
  const urlTokens = expandMacros(tokenizeModifiers(query, 'strict', 'url'), { main: selected, defaultCatalog: catalogs.defaultCatalog });
  const resolved = assemble({ catalogs, selected, main, object, pathObject, urlTokens, rules, routing });
  routing?.check?.(resolved.commands, input.requestType ?? 'is');
  return resolved;
}

/** What the URL path of a request resolves to in one catalog set (§1.5): immutable, so it is remembered. */
interface PathResolution {
  readonly selected: Catalog;
  readonly main: Catalog;
  readonly object: ResolvedObject;
  readonly pathObject: string;
}

/** Paths remembered per catalog set at most; beyond that the memo starts over. */
const MAX_REMEMBERED_PATHS = 4096;

/**
 * Resolved URL paths per catalog set, by raw path. A reload makes a new set, so nothing here
 * outlives the catalogs it was resolved in; a refused path (traversal, bad escape) throws and is
 * never remembered, so it is refused again every time.
 */
const pathMemo = new WeakMap<CatalogSet, Map<string, PathResolution>>();

function resolvePath(rawSegments: readonly string[], catalogs: CatalogSet): PathResolution {
  const key = rawSegments.join('/');
  let memo = pathMemo.get(catalogs);
  const known = memo?.get(key);
  if (known !== undefined) {
    return known;
  }
  const segments = decodePathSegments(rawSegments);
  const selected = selectMainCatalog(segments, catalogs).catalog;
  const { main, object } = resolvePathObject(segments, catalogs);
  const resolved: PathResolution = Object.freeze({ selected, main, object: Object.freeze(object), pathObject: segments.join('/') });
  if (memo === undefined || memo.size >= MAX_REMEMBERED_PATHS) {
    memo = new Map();
    pathMemo.set(catalogs, memo);
  }
  memo.set(key, resolved);
  return resolved;
}

/** Parameters of {@link resolveObjectRequest}. */
export interface ObjectRequestInput {
  /** The catalog the reference is resolved in (RootId; `''` or unknown = default catalog). */
  readonly rootId: string;
  /** Object reference as in `defaultImage=`/`ErrorImage`/`src=` (decoded): record id, `rootId/id` or path. */
  readonly object: string;
  /** Decoded commands in URL position (between the record's Modifier and PostModifier). */
  readonly commands?: readonly { readonly name: string; readonly value: string }[];
}

/**
 * Resolves an object reference as if it were requested with `commands` (§1.5 for `src=`-style
 * objects): for default images, error images and watermarks, rendered like a request for that
 * object. No RequestLock/Obfuscation (the request is the server's own); the reference is checked
 * like a path (no `..`, NUL ...) and must stay inside the roots. `$object$` is the reference.
 * The attributes in effect are those of the catalog the object belongs to (`cat/img1` → `cat`),
 * or of the given catalog for its own and default-catalog records.
 * @throws ImageServingError `IMG_REQUEST_REFUSED`, `IMG_INVALID_COMMAND_VALUE` (record data).
 */
export function resolveObjectRequest(input: ObjectRequestInput, source: CatalogSource): ResolvedRequest {
  const catalogs = 'snapshot' in source ? source.snapshot() : source;
  const selected = catalogs.catalog(input.rootId) ?? catalogs.defaultCatalog;
  const object = resolveObjectReference(input.object, selected, catalogs);
  const urlTokens: CommandToken[] = (input.commands ?? []).map((c) => ({
    kind: 'command',
    name: c.name,
    value: c.value,
    nested: NESTED_VALUE.test(c.value),
    source: 'url',
    macro: null,
  }));
  // Attributes as for a URL request of the object: those of the catalog it belongs to, except that
  // a record found through the default-catalog fallback keeps the given catalog's attributes.
  const main = object.catalog.isDefault && !input.object.startsWith('/') ? selected : object.catalog;
  return assemble({ catalogs, selected, main, object, pathObject: input.object, urlTokens });
}

interface AssemblyInput {
  readonly catalogs: CatalogSet;
  readonly selected: Catalog;
  readonly main: Catalog;
  readonly object: ResolvedObject;
  readonly pathObject: string;
  readonly urlTokens: readonly ModifierToken[];
  readonly rules?: RuleEffect | undefined;
  readonly routing?: CommandRouting | undefined;
}

/** §1.6 steps 5-7 after the object is known: record tokens, variables, merge. */
function assemble({ catalogs, selected, main, object, pathObject, urlTokens, rules, routing }: AssemblyInput): ResolvedRequest {
  const defaultCatalog = catalogs.defaultCatalog;
  const record = object.record;
  const own = record === null ? undefined : recordTokens(record, object.catalog, defaultCatalog);
  const all = [...(own?.modifier ?? []), ...urlTokens, ...(own?.postModifier ?? [])];

  const variables = new Map<string, string>([['object', pathObject]]);
  for (const t of all) {
    if (t.kind === 'variable') {
      variables.set(t.name.toLowerCase(), t.value);
    }
  }
  const commands: CommandToken[] = [];
  for (const t of all) {
    if (t.kind !== 'command') {
      continue;
    }
    const value = NO_SUBSTITUTION.has(t.name.toLowerCase()) ? t.value : substituteVariables(t.value, variables);
    commands.push(value === t.value ? t : { ...t, value });
  }
  return new ResolvedRequest({
    catalogs,
    catalog: main,
    selectedCatalog: selected,
    pathObject,
    object,
    commands: mergeCommands(commands, routing),
    variables,
    ...(rules === undefined ? {} : { rules }),
  });
}

interface RecordTokens {
  readonly defaultCatalog: Catalog;
  readonly modifier: readonly ModifierToken[];
  readonly postModifier: readonly ModifierToken[];
}

/**
 * Tokenized, macro-expanded `Modifier`/`PostModifier` of a record. Cached per record object:
 * a reload builds new records, and the default catalog (whose macros may be used) is part of the
 * key. Errors (unknown macro) are not cached and surface on every request.
 */
const recordTokenCache = new WeakMap<CatalogRecord, RecordTokens>();

function recordTokens(record: CatalogRecord, owner: Catalog, defaultCatalog: Catalog): RecordTokens {
  const cached = recordTokenCache.get(record);
  if (cached !== undefined && cached.defaultCatalog === defaultCatalog) {
    return cached;
  }
  const expand = (text: string, src: CommandSource): ModifierToken[] =>
    text === '' ? [] : expandMacros(tokenizeModifiers(text, 'lenient', src), { main: owner, defaultCatalog });
  const tokens: RecordTokens = { defaultCatalog, modifier: expand(record.modifier, 'modifier'), postModifier: expand(record.postModifier, 'postModifier') };
  recordTokenCache.set(record, tokens);
  return tokens;
}

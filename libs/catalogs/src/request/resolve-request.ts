import type { Catalog } from '../catalog/catalog';
import type { CatalogSet } from '../catalog/catalog-set';
import type { CommandRouting } from './command-merge';
import { expandMacros } from './macro-expansion';
import { NESTED_VALUE, tokenizeModifiers, type CommandToken } from './modifier-tokens';
import { decodePathSegments } from './object-path';
import { resolveObjectReference, resolvePathObject, selectMainCatalog, type ResolvedObject } from './object-resolution';
import { checkNestedValues } from './nested-syntax';
import { assemble } from './request-assembly';
import { deobfuscateModifiers, stripRequestLock } from './request-lock';
import type { ResolvedRequest, RuleEffect } from './resolved-request';
import type { RuleRequestType } from '../rules/rule-set';
import { checkTemplateSource, resolveTemplate, templateReference } from './template-request';

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
 *    with `template=T` the record `T` takes the object's place (its `Modifier` is the body, its
 *    `Path` layer 0's image if any), the path object is only `$object$`, and no `PostModifier`
 *    applies (§3.5 `template=`, §4.3);
 * 7. substitute variables (one pass; definitions from every source are visible everywhere, as
 *    templates in `Modifier` use variables defined in the URL; `$object$` is predefined).
 *
 * Nested requests (`src=is{…}`, `mask=is{…}`) are checked here (syntax, nesting written out
 * deeper than `MAX_NESTING_DEPTH`) and resolved later, by `resolveNestedRequest`, when their layer is drawn.
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
  const resolved = resolveIn(catalogs, input, { routing, unlock: true });
  routing?.check?.(resolved.commands, input.requestType ?? 'is');
  return resolved;
}

/** How {@link resolveIn} treats the request: a top-level one, or one nested in another. */
export interface ResolveOptions {
  readonly routing?: CommandRouting | undefined;
  /** Undo `RequestObfuscation` and check `RequestLock` (a top-level request only). */
  readonly unlock: boolean;
  /** Variables of the nesting request (§1.4: definitions propagate into nested requests). */
  readonly inherited?: ReadonlyMap<string, string>;
  /** Commands a nested request ignores (§3.5). */
  readonly ignored?: ReadonlySet<string>;
  /** Nesting depth of the request being resolved (0 = top level). */
  readonly nestingDepth?: number;
}

/**
 * §1.6 steps 1-7 for a request (top level or nested) in one catalog set: path, rule set,
 * obfuscation and lock (top level only), tokens and macros, `template=`, then the merge.
 */
export function resolveIn(catalogs: CatalogSet, input: RequestInput, options: ResolveOptions): ResolvedRequest {
  const { selected, main, object, pathObject, query, rules } = preprocess(catalogs, input);
  let modifiers = query;
  if (options.unlock && selected.attributes.requestObfuscation) {
    modifiers = deobfuscateModifiers(modifiers);
  }
  if (options.unlock && selected.attributes.requestLock) {
    modifiers = stripRequestLock(modifiers);
  }
  const urlTokens = expandMacros(tokenizeModifiers(modifiers, 'strict', 'url'), { main: selected, defaultCatalog: catalogs.defaultCatalog });
  // template=: the template record supplies the body (its Modifier) and layer 0; the path object
  // is only $object$, and no PostModifier applies (§3.5, §4.3).
  const template = templateReference(urlTokens, options.inherited?.get('object') ?? pathObject);
  const resolved = assemble({
    catalogs, selected, main, pathObject, urlTokens, rules,
    object: template === undefined ? object : resolveTemplate(template, main, catalogs),
    postModifier: template === undefined,
    routing: options.routing,
    inherited: options.inherited,
    ignored: options.ignored,
    nestingDepth: options.nestingDepth ?? 0,
  });
  checkNestedValues(resolved.commands, resolved.nestingDepth);
  checkTemplateSource(resolved);
  return resolved;
}

/** The path resolved and the rule set of its catalog applied (§1.6 steps 1-2). */
function preprocess(catalogs: CatalogSet, input: RequestInput): PathResolution & { query: string; rules: RuleEffect | undefined } {
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
  return { ...path, query, rules };
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

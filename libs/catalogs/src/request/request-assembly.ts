import type { Catalog } from '../catalog/catalog';
import type { CatalogRecord } from '../catalog/catalog-record';
import type { CatalogSet } from '../catalog/catalog-set';
import { mergeCommands, type CommandRouting } from './command-merge';
import { expandMacros } from './macro-expansion';
import { tokenizeModifiers, type CommandSource, type CommandToken, type ModifierToken } from './modifier-tokens';
import type { ResolvedObject } from './object-resolution';
import { percentEncodeValue } from './percent-decoding';
import { ResolvedRequest, type RuleEffect } from './resolved-request';
import { substituteVariables } from './variables';

/** Commands whose values never get variable substitution (§1.4). */
const NO_SUBSTITUTION: ReadonlySet<string> = new Set(['layer', 'effect']);

/** What §1.6 steps 5-7 need once the object is known. */
export interface AssemblyInput {
  readonly catalogs: CatalogSet;
  readonly selected: Catalog;
  readonly main: Catalog;
  /** The object whose record supplies `Modifier`/`PostModifier`: the path object, or the `template=` record. */
  readonly object: ResolvedObject;
  /** The path object as written: the predefined `$object$` unless `inherited` defines it. */
  readonly pathObject: string;
  readonly urlTokens: readonly ModifierToken[];
  readonly rules?: RuleEffect | undefined;
  readonly routing?: CommandRouting | undefined;
  /** False with `template=`: the record's `PostModifier` is not applied (§4.3). Default true. */
  readonly postModifier?: boolean;
  /** Variables of the request a nested request is part of (§1.4: definitions propagate), lowest precedence. */
  readonly inherited?: ReadonlyMap<string, string> | undefined;
  /** Commands dropped after the merge (those a nested request ignores, §3.5). */
  readonly ignored?: ReadonlySet<string> | undefined;
  /** 0 for a request, n for a request nested n deep (`src=is{…}`). */
  readonly nestingDepth?: number;
}

/** §1.6 steps 5-7 after the object is known: record tokens, variables, merge. */
export function assemble(input: AssemblyInput): ResolvedRequest {
  const { catalogs, object, urlTokens } = input;
  const own = object.record === null ? undefined : recordTokens(object.record, object.catalog, catalogs.defaultCatalog);
  const post = input.postModifier === false ? [] : (own?.postModifier ?? []);
  const all = [...(own?.modifier ?? []), ...urlTokens, ...post];

  const variables = new Map<string, string>(input.inherited ?? [['object', input.pathObject]]);
  for (const t of all) {
    if (t.kind === 'variable') {
      variables.set(t.name.toLowerCase(), t.value);
    }
  }
  const commands: CommandToken[] = [];
  for (const t of all) {
    if (t.kind !== 'command' || input.ignored?.has(t.name.toLowerCase()) === true) {
      continue;
    }
    const value = substituted(t, variables);
    commands.push(value === t.value ? t : { ...t, value });
  }
  return new ResolvedRequest({
    catalogs,
    catalog: input.main,
    selectedCatalog: input.selected,
    pathObject: input.pathObject,
    object,
    commands: mergeCommands(commands, input.routing),
    variables,
    nestingDepth: input.nestingDepth ?? 0,
    ...(input.rules === undefined ? {} : { rules: input.rules }),
  });
}

/**
 * A command value with variables substituted. In a nested request the substituted values are
 * %-encoded for its own parser, and the variables it defines itself (`is{?$a=x&text=$a$}`) are
 * left for it: its own definitions win inside it.
 */
function substituted(t: CommandToken, variables: ReadonlyMap<string, string>): string {
  if (NO_SUBSTITUTION.has(t.name.toLowerCase())) {
    return t.value;
  }
  if (!t.nested) {
    return substituteVariables(t.value, variables);
  }
  const own = [...t.value.matchAll(/[?&({]\$([A-Za-z0-9_.-]+)=/g)].map((m) => (m[1] ?? '').toLowerCase());
  const visible = own.length === 0 ? variables : new Map([...variables].filter(([name]) => !own.includes(name)));
  return substituteVariables(t.value, visible, percentEncodeValue);
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

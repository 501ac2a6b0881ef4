import { ImageServingError } from '@openexp/errors';
import type { CommandRouting } from './command-merge';
import { MAX_NESTING_DEPTH, NESTED_IGNORED_COMMANDS, nestingLimit, parseNestedRequest } from './nested-syntax';
import { resolveIn } from './resolve-request';
import type { ResolvedRequest } from './resolved-request';

export { isNestedRequest, MAX_NESTING_DEPTH, NESTED_IGNORED_COMMANDS, parseNestedRequest, type NestedRequestText } from './nested-syntax';

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
    throw nestingLimit(command, value, depth);
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

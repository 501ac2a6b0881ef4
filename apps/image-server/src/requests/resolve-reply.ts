import { percentEncodeValue, resolveNestedRequest, type MergedCommand, type ResolvedRequest } from '@openexp/catalogs';
import { IMAGE_COMMAND_ROUTING, isKnownCommand } from '../commands/command-table';

/** What `req=resolve` answers: the expanded request string and the unknown command names it carries (nested requests' included). */
export interface ResolveText {
  request: string;
  unknown: string[];
}

/**
 * The request string of `req=resolve` (§1.6, §3.5): {@link ResolvedRequest.resolvedString} with
 * every nested request (`src=is{…}`, `mask=is{…}`, in the bracket it was written with) replaced
 * by the request it resolves to, as the renderer resolves it: its catalog's rules, macros, its
 * record's `Modifier`/`PostModifier`, `template=` bodies, the outer variables (`$object$`
 * included) substituted, the commands a nested request ignores (`fmt`, `qlt`, `bgc`, `req` …)
 * left out; recursively, so every level a render reads is shown. Templates of the outer request
 * are expanded by the resolver already. A nested request that cannot be resolved (nesting limit,
 * `ir{…}`) fails as rendering it would.
 */
export function resolveText(req: ResolvedRequest): ResolveText {
  const unknown = new Set<string>();
  return { request: expanded(req, unknown), unknown: [...unknown] };
}

function expanded(req: ResolvedRequest, unknown: Set<string>): string {
  req.commands.filter((c) => !isKnownCommand(c.name)).forEach((c) => unknown.add(c.originalName));
  const query = req.commands.map((c) => `${c.name}=${c.nested ? expandedNested(c, req, unknown) : percentEncodeValue(c.value)}`).join('&');
  const object = req.pathObject.split('/').map(percentEncodeValue).join('/');
  return query === '' ? object : `${object}?${query}`;
}

function expandedNested(c: MergedCommand, parent: ResolvedRequest, unknown: Set<string>): string {
  const nested = resolveNestedRequest(c.value, parent, { routing: IMAGE_COMMAND_ROUTING, command: c.originalName });
  const round = c.value.trimStart().charAt(2) === '(';
  return `is${round ? '(' : '{'}${expanded(nested, unknown)}${round ? ')' : '}'}`;
}

import { ImageServingError } from '@openexp/errors';
import type { Catalog } from '../catalog/catalog';
import type { CatalogSet } from '../catalog/catalog-set';
import type { ModifierToken } from './modifier-tokens';
import { resolveObjectReference, type ResolvedObject } from './object-resolution';
import type { ResolvedRequest } from './resolved-request';
import { substituteVariables } from './variables';

/**
 * `template=` of a request (§3.5, Adobe's "Templates"): the last `template=` among the request's
 * own commands (URL, macros expanded), with the URL's variables and `$object$` substituted, or
 * `undefined` when there is none or its value is empty. Record modifiers cannot name a template
 * (Adobe: "must not occur in `catalog::PostModifier`"), so only these tokens are looked at.
 */
export function templateReference(urlTokens: readonly ModifierToken[], pathObject: string): string | undefined {
  let raw: string | undefined;
  const variables = new Map<string, string>([['object', pathObject]]);
  for (const t of urlTokens) {
    if (t.kind === 'variable') {
      variables.set(t.name.toLowerCase(), t.value);
    } else if (t.kind === 'command' && t.name.toLowerCase() === 'template') {
      raw = t.value;
    }
  }
  const value = raw === undefined ? '' : substituteVariables(raw, variables).trim();
  return value === '' ? undefined : value;
}

/**
 * Resolves a `template=` reference like a `src=` object (§1.5: the main catalog's records, then
 * `rootId/id` in another catalog, else a path). A template is a catalog record whose `Modifier`
 * is the body and whose `Path` (a fixed background) may be empty. A reference that is no record
 * is a path object like any other (§1.5), so a missing template fails where images are opened,
 * as `IMG_NOT_FOUND` with the default-image rules of §5.5, not while the request is parsed.
 * @throws ImageServingError `IMG_REQUEST_REFUSED` for an unsafe reference.
 */
export function resolveTemplate(ref: string, main: Catalog, catalogs: CatalogSet): ResolvedObject {
  return resolveObjectReference(ref, main, catalogs);
}

/**
 * Refuses a `template=` that comes from a record's `Modifier` or `PostModifier` (Adobe allows it
 * only in a nested request's record, and never in `PostModifier`): this server applies templates
 * named by the request itself, and says so rather than ignoring one.
 * @throws ImageServingError `IMG_UNSUPPORTED_REQUEST`.
 */
export function checkTemplateSource(req: ResolvedRequest): void {
  const t = req.command('template');
  if (t !== undefined && t.source !== 'url' && t.value.trim() !== '') {
    const field = t.source === 'modifier' ? 'Modifier' : 'PostModifier';
    throw new ImageServingError('IMG_UNSUPPORTED_REQUEST', `${t.originalName}=${t.value} in the record's ${field}: templates named by a record are not supported by this server (name it in the request)`, {
      command: t.originalName,
      value: t.value,
    });
  }
}

import { ReactorError, ReactorErrors } from '@openexp/errors';

/** Ids and URLs a purge names at most (together). */
export const MAX_PURGE_ENTRIES = 1000;

/**
 * Reads a purge document: `{"data": {"type": "purges", "attributes": {"ids": [...], "urls": [...]}}}`.
 * URLs are paths with query (`/is/image/<catalog>/<id>?wid=200`) in the catalog being purged.
 */
export function parsePurgeDocument(body: unknown, catalog: string): { ids: string[]; urls: string[] } {
  if (typeof body === 'string') {
    throw new ReactorError('unsupported-media-type', 'Send the purge document as application/vnd.api+json (or application/json).');
  }
  const data = isObject(body) ? body['data'] : undefined;
  if (!isObject(data)) {
    throw new ReactorError('invalid-document', 'Send a JSON:API document whose data is a "purges" resource object.', { pointer: '/data' });
  }
  if (data['type'] !== 'purges') {
    throw new ReactorError('type-mismatch', 'The resource type of this endpoint is "purges".', { pointer: '/data/type' });
  }
  const attributes = isObject(data['attributes']) ? data['attributes'] : {};
  const errors: ReactorError[] = [];
  const ids = stringList(attributes['ids'], '/data/attributes/ids', errors);
  const urls = stringList(attributes['urls'], '/data/attributes/urls', errors);
  urls.forEach((url, i) => {
    const prefixes = [`/is/image/${catalog}/`, `/is/content/${catalog}/`];
    if (!prefixes.some((p) => url.startsWith(p))) {
      errors.push(new ReactorError('validation-error', `A URL to purge must be a path of this catalog (${prefixes.join(' or ')}…).`, { pointer: `/data/attributes/urls/${i}` }));
    }
  });
  if (errors.length === 0 && ids.length + urls.length === 0) {
    errors.push(new ReactorError('validation-error', 'Name at least one id or URL to purge.', { pointer: '/data/attributes' }));
  }
  if (ids.length + urls.length > MAX_PURGE_ENTRIES) {
    errors.push(new ReactorError('validation-error', `A purge names at most ${MAX_PURGE_ENTRIES} ids and URLs together.`, { pointer: '/data/attributes' }));
  }
  ReactorErrors.throwIfAny(errors);
  return { ids: [...new Set(ids)], urls: [...new Set(urls)] };
}

function stringList(value: unknown, pointer: string, errors: ReactorError[]): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    errors.push(new ReactorError('validation-error', 'Must be an array of strings.', { pointer }));
    return [];
  }
  return value.filter((v, i) => {
    // eslint-disable-next-line no-control-regex
    const ok = typeof v === 'string' && v !== '' && v.length <= 2048 && !/[\u0000-\u001f\u007f]/.test(v);
    if (!ok) {
      errors.push(new ReactorError('validation-error', 'Must be a non-empty string without control characters (at most 2048 characters).', { pointer: `${pointer}/${i}` }));
    }
    return ok;
  }) as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

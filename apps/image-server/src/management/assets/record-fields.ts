import { ReactorError } from '@openexp/errors';
import type { AssetRecordFields } from '@openexp/queue-contracts';

/**
 * Record fields of image-serving.md §4.3 an API caller may set, in their canonical spelling.
 * `Id` comes from the path or the `id` field and `Path` is written by the worker; `TimeStamp` too.
 */
export const SETTABLE_RECORD_FIELDS = [
  'Modifier',
  'PostModifier',
  'Expiration',
  'UserData',
  'ImageSet',
  'MaskPath',
  'Anchor',
  'Resolution',
  'PrintResolution',
  'Size',
  'ThumbRes',
  'ThumbType',
  'Targets',
  'Map',
  'AssetType',
  'DigimarcInfo',
  'UserType',
] as const;

const CANONICAL = new Map<string, string>(SETTABLE_RECORD_FIELDS.map((name) => [name.toLowerCase(), name]));

/** Longest field value accepted (a record is one line of a tab-separated file). */
export const MAX_FIELD_CHARS = 64 * 1024;
/** Longest asset id accepted. */
export const MAX_ASSET_ID_CHARS = 512;

/** The canonical name of a record field (case-insensitive, like the catalog's header), or `undefined`. */
export function recordFieldName(name: string): string | undefined {
  return CANONICAL.get(name.toLowerCase());
}

/**
 * Problems of one field value: control characters (TAB, CR, LF, NUL …) cannot be written to a
 * tab-separated record unquoted and are refused, as are overlong values and a non-numeric Expiration.
 */
export function fieldValueProblem(name: string, value: string): string | undefined {
  if (value.length > MAX_FIELD_CHARS) {
    return `${name} is longer than ${MAX_FIELD_CHARS} characters.`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return `${name} must not contain control characters (tab, line breaks …).`;
  }
  if (name === 'Expiration' && value !== '' && !/^-?\d+(?:\.\d+)?$/.test(value)) {
    return 'Expiration must be a number of hours (0 = expire now, -1 = never, -2 or empty = the catalog default).';
  }
  return undefined;
}

/** Problems of an asset id (record `Id`: case-sensitive, may look like a path). */
export function assetIdProblem(id: string): string | undefined {
  if (id === '' || id.length > MAX_ASSET_ID_CHARS) {
    return `The asset id must have 1 to ${MAX_ASSET_ID_CHARS} characters.`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id) || id.startsWith('/') || id.endsWith('/') || id.includes('//') || /(^|\/)\.\.?(\/|$)/.test(id)) {
    return 'The asset id must not contain control characters, empty, "." or ".." path elements, or start or end with "/".';
  }
  return undefined;
}

/** Collects record fields from named values, one `validation-error` per bad field (pointer `/<field>`). */
export function collectRecordFields(entries: readonly (readonly [string, string])[], errors: ReactorError[]): AssetRecordFields {
  const record: AssetRecordFields = {};
  for (const [name, value] of entries) {
    const canonical = recordFieldName(name);
    if (canonical === undefined) {
      errors.push(new ReactorError('validation-error', `"${name}" is not a record field an upload may set (settable: ${SETTABLE_RECORD_FIELDS.join(', ')}).`, { pointer: `/${name}` }));
      continue;
    }
    const problem = fieldValueProblem(canonical, value);
    if (problem !== undefined) {
      errors.push(new ReactorError('validation-error', problem, { pointer: `/${canonical}` }));
      continue;
    }
    record[canonical] = value;
  }
  return record;
}

import { ReactorError } from '@openexp/errors';

/*
 * The query document of `POST /search` (Adobe's search endpoint): `{data:{from, size, query, sort,
 * resource_types}}`, parsed into plain values with a JSON pointer on every refusal. Nothing here
 * knows SQL; see search.repository.ts.
 */

/** The types answered here: the revisioned resources (one table, indexed for search by migration 007). */
export const SEARCHABLE_TYPES = ['extensions', 'data_elements', 'rules', 'rule_components'] as const;
export type SearchableType = (typeof SEARCHABLE_TYPES)[number];

/** Adobe's other searchable types: named, so a request for them is refused as not searchable here rather than unknown. */
const OTHER_ADOBE_TYPES = ['audit_events', 'builds', 'callbacks', 'environments', 'extension_packages', 'hosts', 'libraries', 'properties'];

export type FieldKind = 'text' | 'boolean' | 'integer' | 'timestamp';

/** `attributes.<field>` paths a query or sort may name, and their kinds (columns of `revisioned`). */
export const SEARCH_FIELDS: Readonly<Record<string, FieldKind>> = {
  name: 'text',
  display_name: 'text',
  delegate_descriptor_id: 'text',
  settings: 'text',
  version: 'text',
  review_status: 'text',
  default_value: 'text',
  storage_duration: 'text',
  enabled: 'boolean',
  published: 'boolean',
  dirty: 'boolean',
  negate: 'boolean',
  delay_next: 'boolean',
  force_lower_case: 'boolean',
  clean_text: 'boolean',
  revision_number: 'integer',
  order: 'integer',
  rule_order: 'integer',
  timeout: 'integer',
  created_at: 'timestamp',
  updated_at: 'timestamp',
  published_at: 'timestamp',
};

/** The kind of a search field; undefined for names that are not one (own properties only). */
function kindOf(field: string | undefined): FieldKind | undefined {
  return field !== undefined && Object.hasOwn(SEARCH_FIELDS, field) ? SEARCH_FIELDS[field] : undefined;
}

const TEXT_FIELDS = Object.keys(SEARCH_FIELDS).filter((f) => kindOf(f) === 'text');
const INT4 = 2_147_483_647;
export const MAX_SEARCH_SIZE = 100;
const MAX_FROM = 10_000;

export type SearchValue = string | number | boolean | Date;
export type RangeBounds = Partial<Record<'gt' | 'gte' | 'lt' | 'lte', number>>;

/** One member of `query`: `value` (any of `fields`: several for `attributes.*`), `exists` or `range`. */
export type SearchClause =
  | { kind: 'value'; fields: string[]; value: SearchValue }
  | { kind: 'exists'; field: string; exists: boolean }
  | { kind: 'range'; field: string; bounds: RangeBounds };

export interface SearchSort {
  field: string;
  descending: boolean;
}

export interface SearchQuery {
  from: number;
  size: number;
  clauses: SearchClause[];
  sort: SearchSort[];
  types: SearchableType[];
}

type Doc = Record<string, unknown>;

function isObject(x: unknown): x is Doc {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A JSON pointer token (RFC 6901): `~` → `~0`, `/` → `~1`. */
function token(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function refuse(pointer: string, detail: string): never {
  throw new ReactorError('validation-error', detail, { pointer });
}

/** Parses the search document; 400 `invalid-document` for its shape, 422 `validation-error` for its values, each at its pointer. */
export function parseSearchDocument(body: unknown): SearchQuery {
  const data = isObject(body) ? body['data'] : undefined;
  if (!isObject(data)) {
    throw new ReactorError('invalid-document', 'A search request is {"data":{"query":{…},"from","size","sort","resource_types"}}.', isObject(body) ? { pointer: '/data' } : {});
  }
  for (const key of Object.keys(data)) {
    if (!['from', 'size', 'query', 'sort', 'resource_types'].includes(key)) {
      refuse(`/data/${token(key)}`, `Unknown search member "${key}" (from, size, query, sort, resource_types).`);
    }
  }
  return {
    from: integerMember(data['from'], '/data/from', 0, 0, MAX_FROM),
    size: integerMember(data['size'], '/data/size', 25, 1, MAX_SEARCH_SIZE),
    clauses: parseQuery(data['query']),
    sort: parseSort(data['sort']),
    types: parseTypes(data['resource_types']),
  };
}

function integerMember(value: unknown, pointer: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null) {
    return fallback;
  }
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    refuse(pointer, `${pointer.split('/').pop()} must be an integer from ${min} to ${max}.`);
  }
  return n;
}

/** `attributes.<field>` → the field; `attributes.*` → every text field; anything else refused at `pointer`. */
function fieldsOf(path: string, pointer: string): string[] {
  if (path === 'attributes.*') {
    return TEXT_FIELDS;
  }
  const field = path.startsWith('attributes.') ? path.slice('attributes.'.length) : '';
  if (!Object.hasOwn(SEARCH_FIELDS, field)) {
    refuse(pointer, `"${path}" is not a searchable field: use attributes.<name> with one of ${Object.keys(SEARCH_FIELDS).join(', ')}, or attributes.*.`);
  }
  return [field];
}

function parseQuery(query: unknown): SearchClause[] {
  if (query === undefined || query === null) {
    return [];
  }
  if (!isObject(query)) {
    throw new ReactorError('invalid-document', '`query` must be an object of field paths.', { pointer: '/data/query' });
  }
  return Object.entries(query).map(([path, condition]) => parseClause(path, condition, `/data/query/${token(path)}`));
}

function parseClause(path: string, condition: unknown, pointer: string): SearchClause {
  const fields = fieldsOf(path, pointer);
  if (!isObject(condition)) {
    throw new ReactorError('invalid-document', `The condition on ${path} must be an object with value, exists or range.`, { pointer });
  }
  const members = Object.keys(condition);
  const known = members.filter((m) => m === 'value' || m === 'exists' || m === 'range');
  const other = members.find((m) => m !== 'value' && m !== 'exists' && m !== 'range');
  if (other !== undefined) {
    const why = other === 'value_operator' ? 'value_operator is not supported here: a value matches the whole field' : `unknown member "${other}"`;
    refuse(`${pointer}/${token(other)}`, `${why} (value, exists or range).`);
  }
  if (known.length !== 1) {
    refuse(pointer, `The condition on ${path} needs exactly one of value, exists, range.`);
  }
  const [field = ''] = fields;
  if (known[0] === 'exists') {
    if (typeof condition['exists'] !== 'boolean' || fields.length !== 1) {
      refuse(`${pointer}/exists`, 'exists must be true or false, on one field.');
    }
    return { kind: 'exists', field, exists: condition['exists'] };
  }
  if (known[0] === 'range') {
    return { kind: 'range', field, bounds: parseRange(fields, condition['range'], `${pointer}/range`) };
  }
  return { kind: 'value', fields, value: parseValue(fields, condition['value'], `${pointer}/value`) };
}

/** A value of the field's kind; across several fields (`attributes.*`) any scalar, compared as text. */
function parseValue(fields: string[], value: unknown, pointer: string): SearchValue {
  const kind = fields.length === 1 ? kindOf(fields[0]) : 'text';
  if (fields.length > 1 && (typeof value === 'number' || typeof value === 'boolean')) {
    return String(value);
  }
  switch (kind) {
    case 'boolean':
      if (typeof value === 'boolean') {
        return value;
      }
      return refuse(pointer, 'This field holds true or false.');
    case 'integer':
      return integerMember(value ?? NaN, pointer, 0, -INT4 - 1, INT4);
    case 'timestamp': {
      const time = typeof value === 'string' ? new Date(value) : undefined;
      if (time === undefined || Number.isNaN(time.getTime()) || time.getUTCFullYear() < 1 || time.getUTCFullYear() > 9999) {
        return refuse(pointer, 'This field holds an ISO-8601 timestamp.');
      }
      return time;
    }
    default:
      if (typeof value === 'string' && value.length <= 1024) {
        return value;
      }
      return refuse(pointer, 'This field holds text (at most 1024 characters).');
  }
}

/** `range` on an integer field: `gt`, `gte`, `lt`, `lte` (integers or integer strings, as Adobe's example sends). */
function parseRange(fields: string[], range: unknown, pointer: string): RangeBounds {
  if (fields.length !== 1 || kindOf(fields[0]) !== 'integer') {
    refuse(pointer, 'range applies to one integer field (Adobe: range queries support integers only).');
  }
  if (!isObject(range) || Object.keys(range).length === 0) {
    refuse(pointer, 'range must be an object with gt, gte, lt and/or lte.');
  }
  const bounds: RangeBounds = {};
  for (const [key, value] of Object.entries(range)) {
    if (key !== 'gt' && key !== 'gte' && key !== 'lt' && key !== 'lte') {
      refuse(`${pointer}/${token(key)}`, `Unknown range bound "${key}" (gt, gte, lt, lte).`);
    }
    bounds[key] = integerMember(value ?? NaN, `${pointer}/${key}`, 0, -INT4 - 1, INT4);
  }
  return bounds;
}

function parseSort(sort: unknown): SearchSort[] {
  if (sort === undefined || sort === null) {
    return [];
  }
  if (!Array.isArray(sort)) {
    throw new ReactorError('invalid-document', '`sort` must be an array of {"attributes.<field>": "asc"|"desc"}.', { pointer: '/data/sort' });
  }
  return sort.map((item: unknown, i) => {
    const entries = isObject(item) ? Object.entries(item) : [];
    const [path, direction] = entries[0] ?? ['', undefined];
    if (entries.length !== 1) {
      refuse(`/data/sort/${i}`, 'Each sort item is one {"attributes.<field>": "asc"|"desc"}.');
    }
    const pointer = `/data/sort/${i}/${token(path)}`;
    const [field = ''] = fieldsOf(path, pointer);
    if (path === 'attributes.*' || (direction !== 'asc' && direction !== 'desc')) {
      refuse(pointer, 'A sort names one field, "asc" or "desc".');
    }
    return { field, descending: direction === 'desc' };
  });
}

function parseTypes(types: unknown): SearchableType[] {
  if (types === undefined || types === null) {
    return [...SEARCHABLE_TYPES];
  }
  if (!Array.isArray(types) || types.length === 0) {
    refuse('/data/resource_types', 'resource_types must be a non-empty array of resource types.');
  }
  return types.map((type: unknown, i) => {
    if (typeof type === 'string' && (SEARCHABLE_TYPES as readonly string[]).includes(type)) {
      return type as SearchableType;
    }
    const why = typeof type === 'string' && OTHER_ADOBE_TYPES.includes(type) ? `${type} are not searchable on this server` : `"${String(type)}" is not a resource type`;
    return refuse(`/data/resource_types/${i}`, `${why}; searchable: ${SEARCHABLE_TYPES.join(', ')}.`);
  });
}

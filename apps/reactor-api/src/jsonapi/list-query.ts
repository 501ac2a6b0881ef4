import { ReactorError } from '@openexp/errors';

/*
 * Pagination, filtering and sorting of list endpoints (reactor-api.md §1.5-1.7), parsed from the
 * query string into plain values. Nothing here knows about SQL; see database/list-sql.ts.
 */

export type ColumnKind = 'text' | 'boolean' | 'integer' | 'number' | 'timestamp';

/** Attributes a list can be filtered and sorted by, and the type of each. */
export type ListColumns = Readonly<Record<string, ColumnKind>>;

export type FilterOp = 'EQ' | 'NOT' | 'LT' | 'GT' | 'BETWEEN' | 'CONTAINS';

export type FilterValue = string | number | boolean | Date;

/** One `[OP ]value` item (BETWEEN carries two values). Items of one attribute are OR-ed. */
export type FilterTerm =
  | { op: 'EQ' | 'NOT' | 'LT' | 'GT'; value: FilterValue }
  | { op: 'CONTAINS'; value: string }
  | { op: 'BETWEEN'; from: FilterValue; to: FilterValue };

export interface AttributeFilter {
  attribute: string;
  terms: FilterTerm[];
}

export interface SortKey {
  attribute: string;
  descending: boolean;
}

export interface PageRequest {
  number: number;
  size: number;
}

export interface ListQuery {
  page: PageRequest;
  /** AND-ed across attributes. */
  filters: AttributeFilter[];
  sort: SortKey[];
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

const OPS: readonly FilterOp[] = ['EQ', 'NOT', 'LT', 'GT', 'BETWEEN', 'CONTAINS'];
const ITEM = /^(EQ|NOT|LT|GT|BETWEEN|CONTAINS) (.*)$/is;

type Query = Record<string, unknown>;

/** Last value of a query parameter (a repeated parameter arrives as an array: the last one wins). */
function last(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    return last(value[value.length - 1]);
  }
  return typeof value === 'string' ? value : undefined;
}

/**
 * The largest `page[number]`: PostgreSQL's `integer`. Its offset, (number − 1) × 100 at most, stays
 * far inside both `bigint` and JavaScript's safe integers; a larger number used to reach SQL as an
 * offset past `bigint` (`page[number]=99999999999999999999` → 500). Beyond it → 400.
 */
export const MAX_PAGE_NUMBER = 2_147_483_647;

/**
 * `page[number]` (default 1; 1..{@link MAX_PAGE_NUMBER}) and `page[size]` (default 25, clamped to
 * 1..100; clients ask 999). Values that are not numbers, and numbers below 1, keep their lenient
 * defaults (page 1, size 1); a page number above the maximum is a 400 `invalid-parameter`, since no
 * page that far exists and clamping it would answer a page that was not asked for.
 */
export function parsePage(query: Query): PageRequest {
  const number = Number.parseInt(last(query['page[number]']) ?? '', 10);
  const size = Number.parseInt(last(query['page[size]']) ?? '', 10);
  if (number > MAX_PAGE_NUMBER) {
    throw new ReactorError('invalid-parameter', `page[number] must be an integer from 1 to ${MAX_PAGE_NUMBER}.`, { parameter: 'page[number]' });
  }
  return {
    number: Number.isFinite(number) && number >= 1 ? number : 1,
    size: Number.isFinite(size) ? Math.min(Math.max(size, 1), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE,
  };
}

/**
 * The kind of a list column, or undefined when `attribute` is not one. Own properties only: the
 * name comes from the caller, and `columns` is a plain object, so `in` or `columns[name]` would also
 * accept inherited names (`constructor`, `__proto__`, `toString`) and send them to SQL as columns.
 */
export function columnKind(columns: ListColumns, attribute: string): ColumnKind | undefined {
  return Object.hasOwn(columns, attribute) ? columns[attribute] : undefined;
}

/**
 * `sort=+name,-org_id`. An unencoded `+` arrives as a space, so a leading space means ascending.
 * Unknown attributes are ignored; the default order (created_at, then id) is applied by the caller.
 */
export function parseSort(query: Query, columns: ListColumns): SortKey[] {
  const raw = last(query['sort']);
  if (raw === undefined) {
    return [];
  }
  const keys: SortKey[] = [];
  for (const item of raw.split(',')) {
    const descending = item.trimStart().startsWith('-');
    const attribute = item.trim().replace(/^[+-]/, '').trim();
    if (columnKind(columns, attribute) !== undefined && !keys.some((k) => k.attribute === attribute)) {
      keys.push({ attribute, descending });
    }
  }
  return keys;
}

/**
 * `filter[attr]=OP value[,[OP ]value…]`: an item without an operator inherits the previous one;
 * items are OR-ed. Unknown attributes and malformed filters are ignored (the list is not narrowed).
 */
export function parseFilters(query: Query, columns: ListColumns): AttributeFilter[] {
  const filters: AttributeFilter[] = [];
  for (const [key, rawValue] of Object.entries(query)) {
    const match = /^filter\[([a-z_]+)\]$/.exec(key);
    const attribute = match?.[1];
    const raw = last(rawValue);
    const kind = attribute !== undefined ? columnKind(columns, attribute) : undefined;
    if (attribute === undefined || raw === undefined || kind === undefined) {
      continue;
    }
    const terms = parseFilterValue(raw, kind);
    if (terms !== null) {
      filters.push({ attribute, terms });
    }
  }
  return filters;
}

/** Parses one filter value; null when malformed. */
export function parseFilterValue(raw: string, kind: ColumnKind): FilterTerm[] | null {
  let op: FilterOp | undefined;
  const terms: FilterTerm[] = [];
  let pendingFrom: FilterValue | undefined;
  for (const [index, item] of raw.split(',').entries()) {
    const read = readItem(index === 0 ? item : item.trimStart(), op);
    // No operator before the first value, nor between the two values of a BETWEEN.
    if (read === null || (read.explicit && pendingFrom !== undefined)) {
      return null;
    }
    op = read.op;
    if (op === 'CONTAINS') {
      if (kind !== 'text') {
        return null;
      }
      terms.push({ op, value: read.valueText });
      continue;
    }
    const value = convert(read.valueText, kind);
    if (value === undefined) {
      return null;
    }
    if (op !== 'BETWEEN') {
      terms.push({ op, value });
    } else if (pendingFrom === undefined) {
      pendingFrom = value;
    } else {
      terms.push({ op, from: pendingFrom, to: value });
      pendingFrom = undefined;
    }
  }
  return terms.length > 0 && pendingFrom === undefined ? terms : null;
}

/** One comma-separated item: its own operator (`explicit`) or the previous one's; null when it has neither. */
function readItem(text: string, previous: FilterOp | undefined): { op: FilterOp; valueText: string; explicit: boolean } | null {
  const m = ITEM.exec(text);
  const named = (m?.[1] ?? '').toUpperCase() as FilterOp;
  if (m !== null && OPS.includes(named)) {
    return { op: named, valueText: m[2] ?? '', explicit: true };
  }
  return previous === undefined ? null : { op: previous, valueText: text, explicit: false };
}

/** `integer` columns are PostgreSQL's 32-bit `integer`: a value outside it fails the cast in SQL. */
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;
/**
 * Timestamps a filter may compare with: years 1 to 9999. JavaScript dates reach ±275760, PostgreSQL's
 * `timestamptz` only 4713 BC ("timestamp out of range" → 500 before this check).
 */
const MIN_TIME = new Date('0001-01-01T00:00:00.000Z').getTime();
const MAX_TIME = new Date('9999-12-31T23:59:59.999Z').getTime();

/**
 * A filter operand of `kind`, or undefined when it is not one (the filter is then malformed and
 * ignored, §1.6): integers and timestamps outside what their column stores are not operands either.
 */
function convert(text: string, kind: ColumnKind): FilterValue | undefined {
  switch (kind) {
    case 'text':
      return text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'integer': {
      const n = /^-?\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
      return n >= INT4_MIN && n <= INT4_MAX ? n : undefined;
    }
    case 'number': {
      const n = Number(text.trim());
      return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
    }
    case 'timestamp': {
      const t = Date.parse(text.trim());
      return t >= MIN_TIME && t <= MAX_TIME ? new Date(t) : undefined;
    }
  }
}

export function parseListQuery(query: unknown, columns: ListColumns): ListQuery {
  const q = typeof query === 'object' && query !== null ? (query as Query) : {};
  return { page: parsePage(q), filters: parseFilters(q, columns), sort: parseSort(q, columns) };
}

// The pagination meta is the libs/errors one, shared with the image server's management API.
export { paginationMeta, type Pagination } from '@openexp/errors';

/** A page of rows and the total count of the filtered set. */
export interface Page<T> {
  items: T[];
  page: PageRequest;
  total: number;
}

import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from './database';
import { PreparedQuery, type Scalar } from './prepared-query';
import type { Database } from './schema';
import { columnKind, type AttributeFilter, type FilterTerm, type ListColumns, type ListQuery, type Page } from '../jsonapi/list-query';

/*
 * Applies a parsed ListQuery to a Kysely select. Attribute names are checked against the list's
 * column allowlist before they reach here, and every value is a bound parameter.
 */

type AnyEb = ExpressionBuilder<Database, keyof Database>;

function column(table: string, attribute: string): Expression<unknown> {
  return sql.ref(`${table}.${attribute}`);
}

/** CONTAINS matches anywhere; wildcards in the value are deliberately not escaped: clients rely on `CONTAINS P%(` (§1.6). */
function containsPattern(value: string): string {
  return `%${value}%`;
}

/**
 * The SQL operands of a term, in the order they are bound: what a prepared list binds per call
 * (CONTAINS already wrapped in `%`).
 */
function termValues(term: FilterTerm): unknown[] {
  switch (term.op) {
    case 'BETWEEN':
      return [term.from, term.to];
    case 'CONTAINS':
      return [containsPattern(term.value)];
    default:
      return [term.value];
  }
}

/** `values` are the term's operands as termValues() gives them (or placeholders for them). */
function termExpression(eb: AnyEb, ref: Expression<unknown>, op: FilterTerm['op'], values: unknown[]): Expression<SqlBool> {
  switch (op) {
    case 'EQ':
      return eb(ref, '=', values[0]);
    case 'NOT':
      return eb.or([eb(ref, '<>', values[0]), eb(ref, 'is', null)]);
    case 'LT':
      return eb(ref, '<', values[0]);
    case 'GT':
      return eb(ref, '>', values[0]);
    case 'BETWEEN':
      return eb.between(ref, values[0], values[1]);
    case 'CONTAINS':
      return eb(ref, 'ilike', values[0]);
  }
}

/**
 * Items of one attribute are OR-ed; `NOT` items mean "none of these", so they are AND-ed.
 * `operands(term, j)` gives the operands of term j (its values, or a prepared list's placeholders).
 */
function filterExpression(eb: AnyEb, table: string, filter: AttributeFilter, operands: Operands): Expression<SqlBool> {
  const ref = column(table, filter.attribute);
  const positive: Expression<SqlBool>[] = [];
  const parts: Expression<SqlBool>[] = [];
  filter.terms.forEach((term, j) => (term.op === 'NOT' ? parts : positive).push(termExpression(eb, ref, term.op, operands(term, j))));
  if (positive.length > 0) {
    parts.push(eb.or(positive));
  }
  return eb.and(parts);
}

type AnySelect<O> = SelectQueryBuilder<Database, keyof Database, O>;

/** The operands of term `j` of a filter: its values (termValues) or placeholders for them. */
type Operands = (term: FilterTerm, j: number) => unknown[];

/**
 * `base` filtered, sorted and paged, plus the count of the filtered set (for the page past the end).
 * The page carries the total as an uncorrelated scalar subquery over the same filtered set, which
 * PostgreSQL evaluates once (an InitPlan): unlike `count(*) over ()`, the page stops after
 * `page[size]` rows read in index order (migration 002's `revisioned_heads`) while the count reads
 * only the index. Operands, limit and offset come from the callbacks, as values or placeholders.
 */
function shapeList<O>(
  base: AnySelect<O>,
  table: string,
  query: ListQuery,
  columns: ListColumns,
  operands: (filter: number) => Operands,
  limit: unknown,
  offset: unknown,
): { page: AnySelect<O & { __total: number }>; count: AnySelect<{ n: number }> } {
  let filtered = base;
  query.filters.forEach((filter, i) => {
    if (columnKind(columns, filter.attribute) !== undefined) {
      filtered = filtered.where((eb) => filterExpression(eb as unknown as AnyEb, table, filter, operands(i)));
    }
  });
  const count = filtered.clearSelect().select(sql<number>`count(*)`.as('n'));
  let ordered = filtered;
  for (const key of query.sort) {
    ordered = ordered.orderBy(sql.ref(`${table}.${key.attribute}`), key.descending ? 'desc' : 'asc');
  }
  if (!query.sort.some((k) => k.attribute === 'created_at')) {
    ordered = ordered.orderBy(sql.ref(`${table}.created_at`), 'asc');
  }
  ordered = ordered.orderBy(sql.ref(`${table}.id`), 'asc');
  const page = ordered
    .select(count.as('__total'))
    .limit(limit as number)
    .offset(offset as number) as unknown as AnySelect<O & { __total: number }>;
  return { page, count: count as unknown as AnySelect<{ n: number }> };
}

/** Rows of a page without the total they carry; the total from the first row, or counted when the page is empty. */
async function toPage<O>(rows: Array<O & { __total?: number | string }>, query: ListQuery, count: () => Promise<{ n: number } | undefined>): Promise<Page<O>> {
  const first = rows[0];
  const total = Number(first !== undefined ? first.__total : ((await count())?.n ?? 0));
  for (const row of rows) {
    // The last property of each row: V8 drops it without leaving the fast object shape.
    delete row.__total;
  }
  return { items: rows, page: query.page, total };
}

/** Runs `base` filtered, sorted and paged, in one round trip (see shapeList). */
export async function runList<TB extends keyof Database, O>(
  base: SelectQueryBuilder<Database, TB, O>,
  table: string,
  query: ListQuery,
  columns: ListColumns,
): Promise<Page<O>> {
  const { page, count } = shapeList(
    base as unknown as AnySelect<O>,
    table,
    query,
    columns,
    () => termValues,
    query.page.size,
    (query.page.number - 1) * query.page.size,
  );
  return toPage(await page.execute(), query, () => count.executeTakeFirst());
}

/** Shapes of a list kept compiled per PreparedList; past this many, further shapes are built per call. */
const MAX_SHAPES = 32;

/**
 * A list whose base query is built from placeholders (like PreparedQuery): each shape of list query
 * (which attributes are filtered with which operators, the sort) is built and compiled once, and
 * every call only binds its values, page size and offset. For the lists every client reads (a
 * property's rules, data elements ...), where building and compiling the query with its count
 * cost more than the rest of the request's own JavaScript.
 */
export class PreparedList<A extends Record<string, Scalar>, O> {
  private readonly shapes = new Map<string, { page: PreparedQuery<Record<string, Scalar>, O & { __total: number }>; count: PreparedQuery<Record<string, Scalar>, { n: number }> }>();

  constructor(
    private readonly table: string,
    private readonly columns: ListColumns,
    private readonly build: (db: Db, args: A) => SelectQueryBuilder<Database, keyof Database, O>,
  ) {}

  async run(db: Db, args: A, query: ListQuery): Promise<Page<O>> {
    const filters = query.filters.filter((f) => columnKind(this.columns, f.attribute) !== undefined);
    const shaped = { ...query, filters };
    const key = JSON.stringify([filters.map((f) => [f.attribute, f.terms.map((t) => t.op)]), query.sort]);
    let prepared = this.shapes.get(key);
    if (prepared === undefined) {
      if (this.shapes.size >= MAX_SHAPES) {
        return runList(this.build(db, args), this.table, shaped, this.columns);
      }
      const slots = (on: Db, all: Record<string, Scalar>) => ({
        base: this.build(on, all as A),
        operands: (i: number): Operands => (term, j) => termValues(term).map((_, k) => all[`f${i}_${j}_${k}`]),
      });
      prepared = {
        page: new PreparedQuery((on, all) => {
          const { base, operands } = slots(on, all);
          return shapeList(base, this.table, shaped, this.columns, operands, all['limit'], all['offset']).page;
        }),
        count: new PreparedQuery((on, all) => {
          const { base, operands } = slots(on, all);
          return shapeList(base, this.table, shaped, this.columns, operands, 0, 0).count;
        }),
      };
      this.shapes.set(key, prepared);
    }
    const values: Record<string, Scalar> = { ...args, limit: query.page.size, offset: (query.page.number - 1) * query.page.size };
    filters.forEach((filter, i) =>
      filter.terms.forEach((term, j) =>
        termValues(term).forEach((value, k) => {
          values[`f${i}_${j}_${k}`] = value as Scalar;
        }),
      ),
    );
    const { page, count } = prepared;
    return toPage(await page.execute(db, values), query, () => count.executeTakeFirst(db, values));
  }
}

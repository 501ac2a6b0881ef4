import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from '../database/schema';
import type { AttributeFilter, FilterTerm, ListColumns, ListQuery, Page } from './list-query';

/*
 * Applies a parsed ListQuery to a Kysely select. Attribute names are checked against the list's
 * column allowlist before they reach here, and every value is a bound parameter.
 */

type AnyEb = ExpressionBuilder<Database, keyof Database>;

function column(table: string, attribute: string): Expression<unknown> {
  return sql.ref(`${table}.${attribute}`);
}

function termExpression(eb: AnyEb, ref: Expression<unknown>, term: FilterTerm): Expression<SqlBool> {
  switch (term.op) {
    case 'EQ':
      return eb(ref, '=', term.value);
    case 'NOT':
      return eb.or([eb(ref, '<>', term.value), eb(ref, 'is', null)]);
    case 'LT':
      return eb(ref, '<', term.value);
    case 'GT':
      return eb(ref, '>', term.value);
    case 'BETWEEN':
      return eb.between(ref, term.from, term.to);
    case 'CONTAINS':
      // Wildcards in the value are deliberately not escaped: clients rely on `CONTAINS P%(` (§1.6).
      return eb(ref, 'ilike', `%${term.value}%`);
  }
}

/** Items of one attribute are OR-ed; `NOT` items mean "none of these", so they are AND-ed. */
export function filterExpression(eb: AnyEb, table: string, filter: AttributeFilter): Expression<SqlBool> {
  const ref = column(table, filter.attribute);
  const positive = filter.terms.filter((t) => t.op !== 'NOT').map((t) => termExpression(eb, ref, t));
  const negative = filter.terms.filter((t) => t.op === 'NOT').map((t) => termExpression(eb, ref, t));
  const parts: Expression<SqlBool>[] = [...negative];
  if (positive.length > 0) {
    parts.push(eb.or(positive));
  }
  return eb.and(parts);
}

/**
 * Runs `base` filtered, sorted and paged. The total comes from `count(*) over ()` on the same
 * query (one round trip); a page past the end falls back to a count.
 */
export async function runList<TB extends keyof Database, O>(
  base: SelectQueryBuilder<Database, TB, O>,
  table: string,
  query: ListQuery,
  columns: ListColumns,
): Promise<Page<O>> {
  let filtered = base;
  for (const filter of query.filters) {
    if (filter.attribute in columns) {
      filtered = filtered.where((eb) => filterExpression(eb as unknown as AnyEb, table, filter));
    }
  }
  let ordered = filtered;
  for (const key of query.sort) {
    ordered = ordered.orderBy(sql.ref(`${table}.${key.attribute}`), key.descending ? 'desc' : 'asc');
  }
  if (!query.sort.some((k) => k.attribute === 'created_at')) {
    ordered = ordered.orderBy(sql.ref(`${table}.created_at`), 'asc');
  }
  ordered = ordered.orderBy(sql.ref(`${table}.id`), 'asc');
  const rows = await ordered
    .select(sql<number>`count(*) over ()`.as('__total'))
    .limit(query.page.size)
    .offset((query.page.number - 1) * query.page.size)
    .execute();
  let total: number;
  const first = rows[0] as { __total?: number | string } | undefined;
  if (first !== undefined) {
    total = Number(first.__total);
  } else {
    const counted = await filtered
      .clearSelect()
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirst();
    total = Number((counted as { n?: number } | undefined)?.n ?? 0);
  }
  const items = rows.map((row) => {
    const { __total: _ignored, ...rest } = row as O & { __total?: unknown };
    return rest as O;
  });
  return { items, page: query.page, total };
}

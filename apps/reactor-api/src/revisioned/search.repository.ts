import { Inject, Injectable } from '@nestjs/common';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { DB, type Db } from '../database/database';
import type { Database, RevisionedRow } from '../database/schema';
import type { SearchClause, SearchQuery } from './search-document';

type Eb = ExpressionBuilder<Database, 'revisioned'>;

const column = (field: string): Expression<unknown> => sql.ref(`revisioned.${field}`);

/** Text compares case-insensitively on the whole value (`lower(col) = lower(v)`, as migration 007 indexes it). */
function valueExpression(eb: Eb, field: string, value: unknown): Expression<SqlBool> {
  if (typeof value === 'string') {
    return eb(sql`lower(${column(field)})`, '=', value.toLowerCase());
  }
  return eb(column(field), '=', value);
}

/** Fields migration 007 indexes (after the property and type). */
const INDEXED_FIELDS = ['name', 'delegate_descriptor_id', 'revision_number'];

function usesFieldIndex(query: SearchQuery): boolean {
  return query.clauses.some((c) => (c.kind === 'value' ? c.fields.length === 1 && INDEXED_FIELDS.includes(c.fields[0] ?? '') : c.kind === 'range' && INDEXED_FIELDS.includes(c.field)));
}

function clauseExpression(eb: Eb, clause: SearchClause): Expression<SqlBool> {
  switch (clause.kind) {
    case 'value':
      return eb.or(clause.fields.map((field) => valueExpression(eb, field, clause.value)));
    case 'exists':
      return eb(column(clause.field), clause.exists ? 'is not' : 'is', null);
    case 'range': {
      const ops = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
      return eb.and(Object.entries(clause.bounds).map(([bound, n]) => eb(column(clause.field), ops[bound as keyof typeof ops], n)));
    }
  }
}

/**
 * Matches are counted up to this many (Elasticsearch's default `track_total_hits`): past it the
 * answer says `total_hits: 10000` with `total_hits_relation: "gte"`, so a broad search costs a page
 * and a bounded count instead of counting 100,000 rows.
 */
export const MAX_TOTAL_HITS = 10_000;

/**
 * `POST /search` over `revisioned`: the caller's company only (its properties), deleted rows left
 * out. The page is chosen by id first (from the indexes of migration 007 alone), then its rows read.
 */
@Injectable()
export class SearchRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async search(companyId: string, query: SearchQuery): Promise<{ rows: RevisionedRow[]; total: number; capped: boolean }> {
    const properties = (await this.db.selectFrom('properties').select('id').where('company_id', '=', companyId).execute()).map((p) => p.id);
    if (properties.length === 0) {
      return { rows: [], total: 0, capped: false };
    }
    const filtered = this.db
      .selectFrom('revisioned')
      .where('revisioned.property_id', 'in', properties)
      .where('revisioned.deleted_at', 'is', null)
      .where('revisioned.type', 'in', query.types)
      .where((eb) => eb.and(query.clauses.map((clause) => clauseExpression(eb as Eb, clause))));
    let page = filtered.select('revisioned.id');
    for (const key of query.sort) {
      page = page.orderBy(column(key.field), key.descending ? 'desc' : 'asc');
    }
    if (!query.sort.some((key) => key.field === 'created_at')) {
      // With a condition on an indexed field, the created_at order as an expression: PostgreSQL then
      // reads that field's index and sorts the matches, instead of walking every row in created_at
      // order hoping to meet them early (revisions are the newest rows: 100,000 heads skipped first).
      page = page.orderBy(usesFieldIndex(query) ? sql`${column('created_at')} + interval '0 seconds'` : column('created_at'), 'asc');
    }
    page = page.orderBy('revisioned.id', 'asc');
    const hits = filtered.select(sql<number>`1`.as('hit')).limit(MAX_TOTAL_HITS + 1);
    const [ids, count] = await Promise.all([
      page.limit(query.size).offset(query.from).execute(),
      this.db.selectFrom(hits.as('hits')).select(sql<number>`count(*)`.as('n')).executeTakeFirst(),
    ]);
    const total = Number(count?.n ?? 0);
    return { rows: await this.rowsOf(ids.map((r) => r.id)), total: Math.min(total, MAX_TOTAL_HITS), capped: total > MAX_TOTAL_HITS };
  }

  /** The rows of `ids`, in that order. */
  private async rowsOf(ids: string[]): Promise<RevisionedRow[]> {
    if (ids.length === 0) {
      return [];
    }
    const byId = new Map((await this.db.selectFrom('revisioned').selectAll().where('id', 'in', ids).execute()).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is RevisionedRow => r !== undefined);
  }
}

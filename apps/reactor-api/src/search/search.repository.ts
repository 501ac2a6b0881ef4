import { Inject, Injectable } from '@nestjs/common';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { DB, type Db } from '../database/database';
import type { Database, RevisionedRow } from '../database/schema';
import type { SearchClause, SearchQuery } from './search-document';

type Eb = ExpressionBuilder<Database, 'revisioned' | 'properties'>;

const column = (field: string): Expression<unknown> => sql.ref(`revisioned.${field}`);

/** Text compares case-insensitively on the whole value (`lower(col) = lower(v)`, as migration 007 indexes it). */
function valueExpression(eb: Eb, field: string, value: unknown): Expression<SqlBool> {
  if (typeof value === 'string') {
    return eb(sql`lower(${column(field)})`, '=', value.toLowerCase());
  }
  return eb(column(field), '=', value);
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

/** `POST /search` over `revisioned`: the caller's company only (through the property), deleted rows left out. */
@Injectable()
export class SearchRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async search(companyId: string, query: SearchQuery): Promise<{ rows: RevisionedRow[]; total: number }> {
    const filtered = this.db
      .selectFrom('revisioned')
      .innerJoin('properties', 'properties.id', 'revisioned.property_id')
      .where('properties.company_id', '=', companyId)
      .where('revisioned.deleted_at', 'is', null)
      .where('revisioned.type', 'in', query.types)
      .where((eb) => eb.and(query.clauses.map((clause) => clauseExpression(eb, clause))));
    let page = filtered.selectAll('revisioned');
    for (const key of query.sort) {
      page = page.orderBy(column(key.field), key.descending ? 'desc' : 'asc');
    }
    if (!query.sort.some((key) => key.field === 'created_at')) {
      page = page.orderBy('revisioned.created_at', 'asc');
    }
    page = page.orderBy('revisioned.id', 'asc');
    const [rows, count] = await Promise.all([
      page.limit(query.size).offset(query.from).execute(),
      filtered.select(sql<number>`count(*)`.as('n')).executeTakeFirst(),
    ]);
    return { rows, total: Number(count?.n ?? 0) };
  }
}

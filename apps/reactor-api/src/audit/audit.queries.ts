import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../common/scope.repository';
import type { AuthContext } from '../auth/rights';
import { DB, type Db } from '../database/database';
import type { AuditEventRow } from '../database/schema';
import { parseListQuery, type ListColumns, type Page } from '../jsonapi/list-query';
import { runList } from '../jsonapi/list-sql';

/** `filter[property]=EQ PR…` (SDK) filters on the event's property. */
export const AUDIT_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', type_of: 'text', property: 'text' };

@Injectable()
export class AuditQueries {
  constructor(@Inject(DB) private readonly db: Db) {}

  list(auth: AuthContext, query: unknown): Promise<Page<AuditEventRow>> {
    const parsed = parseListQuery(query, AUDIT_COLUMNS);
    const filters = parsed.filters.map((f) => (f.attribute === 'property' ? { ...f, attribute: 'property_id' } : f));
    const base = this.db.selectFrom('audit_events').selectAll('audit_events').where('audit_events.company_id', '=', auth.companyId);
    return runList(base, 'audit_events', { ...parsed, filters }, { ...AUDIT_COLUMNS, property_id: 'text' });
  }

  async get(auth: AuthContext, id: string): Promise<AuditEventRow> {
    const row = await this.db.selectFrom('audit_events').selectAll().where('id', '=', id).where('company_id', '=', auth.companyId).executeTakeFirst();
    if (row === undefined) {
      throw notFound('audit_events', id);
    }
    return row;
  }
}

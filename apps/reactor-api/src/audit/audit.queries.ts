import { Inject, Injectable } from '@nestjs/common';
import { notFound, ScopeRepository } from '../common/scope.repository';
import type { AuthContext } from '../auth/rights';
import { DB, type Db } from '../database/database';
import type { AuditEventRow } from '../database/schema';
import { parseListQuery, type ListColumns, type Page } from '../jsonapi/list-query';
import { runList } from '../database/list-sql';

/** `filter[property]=EQ PR…` (SDK) filters on the event's property. */
export const AUDIT_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', type_of: 'text', property: 'text' };

@Injectable()
export class AuditQueries {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly scope: ScopeRepository,
  ) {}

  /** `/properties/{id}/audit_events`: one property's events (404 for another company's property). */
  async listForProperty(auth: AuthContext, propertyId: string, query: unknown): Promise<Page<AuditEventRow>> {
    await this.scope.property(auth.companyId, propertyId);
    return this.list(auth, query, propertyId);
  }

  /** The company's events, or one property's. */
  list(auth: AuthContext, query: unknown, propertyId?: string): Promise<Page<AuditEventRow>> {
    const parsed = parseListQuery(query, AUDIT_COLUMNS);
    const filters = parsed.filters.map((f) => (f.attribute === 'property' ? { ...f, attribute: 'property_id' } : f));
    let base = this.db.selectFrom('audit_events').selectAll('audit_events').where('audit_events.company_id', '=', auth.companyId);
    if (propertyId !== undefined) {
      base = base.where('audit_events.property_id', '=', propertyId);
    }
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

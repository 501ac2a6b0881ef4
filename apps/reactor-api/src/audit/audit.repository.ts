import { Inject, Injectable } from '@nestjs/common';
import type { Insertable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { AuditEventRow, AuditEventsTable } from '../database/schema';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';

/** `filter[property]=EQ PR…` (SDK) filters on the event's property. */
export const AUDIT_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', type_of: 'text', property: 'text' };
/** The columns a parsed audit list runs on: the `property` attribute is the `property_id` column. */
const AUDIT_SQL_COLUMNS: ListColumns = { ...AUDIT_COLUMNS, property_id: 'text' };

/** The `audit_events` table: the trail is append-only. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Appends one event; inside the transaction of the change it records. */
  async insert(db: Db, row: Insertable<AuditEventsTable>): Promise<void> {
    await db.insertInto('audit_events').values(row).execute();
  }

  /** A company's events, or one property's of it, filtered, sorted and paged by `query` (parsed against AUDIT_COLUMNS). */
  list(companyId: string, propertyId: string | undefined, query: ListQuery): Promise<Page<AuditEventRow>> {
    const filters = query.filters.map((f) => (f.attribute === 'property' ? { ...f, attribute: 'property_id' } : f));
    let base = this.db.selectFrom('audit_events').selectAll('audit_events').where('audit_events.company_id', '=', companyId);
    if (propertyId !== undefined) {
      base = base.where('audit_events.property_id', '=', propertyId);
    }
    return runList(base, 'audit_events', { ...query, filters }, AUDIT_SQL_COLUMNS);
  }

  /** One event of a company (undefined for a missing id or another company's). */
  findInCompany(companyId: string, id: string): Promise<AuditEventRow | undefined> {
    return this.db.selectFrom('audit_events').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  }

  /** One event, whichever company's (for deliveries, which carry only its id). */
  findById(id: string): Promise<AuditEventRow | undefined> {
    return this.db.selectFrom('audit_events').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

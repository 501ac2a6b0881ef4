import { Inject, Injectable } from '@nestjs/common';
import type { Insertable, Updateable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { PropertiesTable, PropertyRow } from '../database/schema';
import type { ListQuery, Page } from '../jsonapi/list-query';
import { PROPERTY_COLUMNS } from './properties.dto';

/** The `properties` table. */
@Injectable()
export class PropertiesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** A company's properties, filtered, sorted and paged by `query` (parsed against PROPERTY_COLUMNS). */
  listInCompany(companyId: string, query: ListQuery): Promise<Page<PropertyRow>> {
    const base = this.db.selectFrom('properties').selectAll('properties').where('properties.company_id', '=', companyId);
    return runList(base, 'properties', query, PROPERTY_COLUMNS);
  }

  insert(db: Db, row: Insertable<PropertiesTable>): Promise<PropertyRow> {
    return db.insertInto('properties').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(db: Db, id: string, set: Updateable<PropertiesTable>): Promise<PropertyRow> {
    return db.updateTable('properties').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * Deletes a property and everything in it. Builds, libraries and environments go first, in that
   * order (libraries point at environments and builds at libraries); the rest (hosts, revisioned
   * resources, callbacks, secrets, notes) goes by the foreign keys' `on delete cascade`.
   */
  async deleteWithContents(db: Db, id: string): Promise<void> {
    await db.deleteFrom('builds').where('property_id', '=', id).execute();
    await db.deleteFrom('libraries').where('property_id', '=', id).execute();
    await db.deleteFrom('environments').where('property_id', '=', id).execute();
    await db.deleteFrom('properties').where('id', '=', id).execute();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Insertable, Updateable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { CallbackRow, CallbacksTable } from '../database/schema';
import type { ListQuery, Page } from '../jsonapi/list-query';
import { CALLBACK_COLUMNS } from './callbacks.dto';

/** The `callbacks` table (a property's webhooks). */
@Injectable()
export class CallbacksRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** A property's callbacks, filtered, sorted and paged by `query` (parsed against CALLBACK_COLUMNS). */
  listInProperty(propertyId: string, query: ListQuery): Promise<Page<CallbackRow>> {
    const base = this.db.selectFrom('callbacks').selectAll('callbacks').where('callbacks.property_id', '=', propertyId);
    return runList(base, 'callbacks', query, CALLBACK_COLUMNS);
  }

  insert(row: Insertable<CallbacksTable>): Promise<CallbackRow> {
    return this.db.insertInto('callbacks').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, set: Updateable<CallbacksTable>): Promise<CallbackRow> {
    return this.db.updateTable('callbacks').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /** Hard delete; its outbox rows go with it (foreign key cascade). */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('callbacks').where('id', '=', id).execute();
  }

  /** Where a delivery goes: undefined once the callback is deleted. */
  findTarget(id: string): Promise<{ id: string; url: string } | undefined> {
    return this.db.selectFrom('callbacks').select(['id', 'url']).where('id', '=', id).executeTakeFirst();
  }
}

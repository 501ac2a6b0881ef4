import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DB, type Db } from '../database/database';

/** An outbox row: one delivery of an audit event to one callback, waiting to be queued. */
export interface PendingDelivery {
  /** `{audit event}-{callback}`, also the delivery job's id. */
  id: string;
  callback_id: string;
  audit_event_id: string;
}

/** The `callback_deliveries` outbox. */
@Injectable()
export class CallbackDeliveriesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /**
   * Inside the caller's transaction `db`: one row per callback of `propertyId` subscribed to `typeOf`.
   * @returns how many rows were written
   */
  async insertForSubscribers(db: Db, event: { auditEventId: string; propertyId: string; typeOf: string }): Promise<number> {
    const result = await db
      .insertInto('callback_deliveries')
      .columns(['id', 'callback_id', 'audit_event_id'])
      .expression(
        db
          .selectFrom('callbacks')
          .select((eb) => [
            sql<string>`${event.auditEventId}::text || '-' || ${eb.ref('callbacks.id')}`.as('id'),
            'callbacks.id as callback_id',
            sql<string>`${event.auditEventId}::text`.as('audit_event_id'),
          ])
          .where('callbacks.property_id', '=', event.propertyId)
          .where(sql<boolean>`callbacks.subscriptions @> ${JSON.stringify([event.typeOf])}::jsonb`),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  /** The oldest committed rows, at most `limit`. */
  oldest(limit: number): Promise<PendingDelivery[]> {
    return this.db.selectFrom('callback_deliveries').select(['id', 'callback_id', 'audit_event_id']).orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  async deleteByIds(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await this.db.deleteFrom('callback_deliveries').where('id', 'in', ids).execute();
    }
  }
}

import { Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { CallbackDispatcher } from './callback-dispatcher';

/**
 * Records, inside the caller's transaction, one delivery per callback of the property subscribed to
 * the event's type: a rolled-back change is never announced, a committed one never lost (the
 * dispatcher queues committed rows). The row id `{audit event}-{callback}` is also the job id.
 */
@Injectable()
export class CallbackOutbox {
  constructor(private readonly dispatcher: CallbackDispatcher) {}

  async capture(db: Kysely<Database>, event: { auditEventId: string; propertyId: string | null; typeOf: string }): Promise<void> {
    if (event.propertyId === null) {
      return;
    }
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
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) {
      this.dispatcher.nudge();
    }
  }
}

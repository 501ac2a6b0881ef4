import type { ColumnType, Selectable } from 'kysely';
import type { Json, Timestamp } from './columns';

/** A property's webhook: audit events whose `type_of` is in `subscriptions` are POSTed to `url`. */
export interface CallbacksTable {
  id: string;
  property_id: string;
  url: string;
  subscriptions: Json<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Outbox: one row per (callback, audit event) to deliver, written with the audit event, removed once queued. */
export interface CallbackDeliveriesTable {
  id: string;
  callback_id: string;
  audit_event_id: string;
  created_at: ColumnType<Date, Date | undefined, Date>;
}

export type CallbackRow = Selectable<CallbacksTable>;

import { sql, type Kysely, type Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

const now = sql`now()`;

/**
 * Callbacks, their delivery outbox, and secrets (§2.11).
 * - `callbacks`: a URL and the audit event types it subscribes to; removed with their property.
 * - `callback_deliveries`: the outbox. A row is written in the same transaction as the audit event
 *   it delivers, so a rolled-back change is never announced and a committed one never lost; the
 *   dispatcher moves rows onto the `callbacks` queue and deletes them.
 * - `secrets`: credentials stored only as a PGP message to the server key (write-only in the API).
 */
export const callbacksSecretsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('callbacks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('property_id', 'text', (c) => c.notNull().references('properties.id').onDelete('cascade'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('subscriptions', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('callbacks_property').on('callbacks').columns(['property_id', 'created_at']).execute();

    await db.schema
      .createTable('callback_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('callback_id', 'text', (c) => c.notNull().references('callbacks.id').onDelete('cascade'))
      .addColumn('audit_event_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema.createIndex('callback_deliveries_created').on('callback_deliveries').columns(['created_at']).execute();

    await db.schema
      .createTable('secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('property_id', 'text', (c) => c.notNull().references('properties.id').onDelete('cascade'))
      .addColumn('environment_id', 'text', (c) => c.references('environments.id').onDelete('set null'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type_of', 'text', (c) => c.notNull())
      .addColumn('credentials_encrypted', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_details', 'jsonb')
      .addColumn('activated_at', 'timestamptz')
      .addColumn('expires_at', 'timestamptz')
      .addColumn('refresh_at', 'timestamptz')
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('secrets_property').on('secrets').columns(['property_id', 'created_at']).execute();
  },
};

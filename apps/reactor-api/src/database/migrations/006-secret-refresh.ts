import type { Kysely, Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

/**
 * `secrets.refresh_status_details`: why the last scheduled refresh of an OAuth2 secret failed
 * (`meta.refresh_status_details`, §2.11); null after a successful one. An index finds the secrets
 * whose refresh is due.
 */
export const secretRefreshMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('secrets').addColumn('refresh_status_details', 'jsonb').execute();
    await db.schema.createIndex('secrets_refresh_due').on('secrets').columns(['refresh_at']).execute();
  },
};

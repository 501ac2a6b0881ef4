import type { Kysely, Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

/**
 * `companies.tags_access`: whether the org may use Tags at all (§8 scenario 2: a valid token of an
 * org without Tags access → 403 invalid-org). Every existing company keeps its access; the admin
 * CLI turns it off and on (`company disable-tags` / `company enable-tags`).
 */
export const companyTagsAccessMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('companies')
      .addColumn('tags_access', 'boolean', (c) => c.notNull().defaultTo(true))
      .execute();
  },
};

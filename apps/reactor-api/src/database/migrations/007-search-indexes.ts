import { sql, type Kysely, type Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

/**
 * Indexes for `POST /search` (issue 19, tools/bench/reactor-search.mjs) over the `revisioned` rows
 * that are not deleted, heads and revisions alike:
 * - `revisioned_search_name`: `attributes.name` `value` (matched case-insensitively, hence
 *   `lower(name)`) by type, in the default order (created_at, id);
 * - `revisioned_search_delegate`: `attributes.delegate_descriptor_id` `value` (every component or
 *   data element of one delegate), compared the same way;
 * - `revisioned_search_type`: searches on `resource_types` alone or on unindexed fields, read in
 *   the default order so a page stops after `size` rows.
 */
export const searchIndexesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`create index revisioned_search_name on revisioned (type, lower(name), created_at, id) where deleted_at is null`.execute(db);
    await sql`create index revisioned_search_delegate on revisioned (type, lower(delegate_descriptor_id), created_at, id) where deleted_at is null`.execute(db);
    await sql`create index revisioned_search_type on revisioned (type, created_at, id) where deleted_at is null`.execute(db);
  },
};

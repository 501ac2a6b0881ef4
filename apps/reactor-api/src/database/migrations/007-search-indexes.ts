import { sql, type Kysely, type Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

/**
 * Indexes for `POST /search` (issue 19, tools/bench/reactor-search.mjs) over the `revisioned` rows
 * that are not deleted, heads and revisions alike. Each leads with the property (a search runs over
 * the company's properties) and the type, and ends in the default order (created_at, id), so a page
 * and the bounded count (search.repository.ts) read the index alone:
 * - `revisioned_search_name`: `attributes.name` `value` (matched case-insensitively: `lower(name)`);
 * - `revisioned_search_delegate`: `attributes.delegate_descriptor_id` `value`, compared the same way;
 * - `revisioned_search_revision`: `attributes.revision_number` values and ranges;
 * - `revisioned_search_type`: searches on `resource_types` alone or on fields without an index.
 */
export const searchIndexesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const where = sql`where deleted_at is null`;
    await sql`create index revisioned_search_name on revisioned (property_id, type, lower(name), created_at, id) ${where}`.execute(db);
    await sql`create index revisioned_search_delegate on revisioned (property_id, type, lower(delegate_descriptor_id), created_at, id) ${where}`.execute(db);
    await sql`create index revisioned_search_revision on revisioned (property_id, type, revision_number, created_at, id) ${where}`.execute(db);
    await sql`create index revisioned_search_type on revisioned (property_id, type, created_at, id) ${where}`.execute(db);
  },
};

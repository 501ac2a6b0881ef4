import type { Kysely, Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

/**
 * Asynchronous republish and archive environments:
 * - builds: `republish_sequence` (bumped per republish request; names the job and drops stale
 *   results), `republish_status_details` (deferred errors of a failed republish), `archive` (the
 *   build was delivered as a ZIP: fixed at creation, so toggling the environment later does not
 *   change what its artifact URLs point at);
 * - environments: `archive_passphrase_encrypted`, the passphrase as a PGP message to the server key.
 *   The plaintext column stays for rows written before this migration (it cannot be encrypted here,
 *   without the key); it is cleared whenever a passphrase is set or removed, and encrypted before
 *   it leaves the database in a build job.
 */
export const republishArchiveMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('builds')
      .addColumn('republish_sequence', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('builds').addColumn('republish_status_details', 'jsonb').execute();
    await db.schema
      .alterTable('builds')
      .addColumn('archive', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
    await db.schema.alterTable('environments').addColumn('archive_passphrase_encrypted', 'text').execute();
  },
};

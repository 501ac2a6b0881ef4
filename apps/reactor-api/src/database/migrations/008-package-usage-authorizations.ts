import type { Kysely, Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

/**
 * `extension_package_usage_authorizations` (§2.7): the owner of a private package lets another
 * org use it. One row per package name and authorized org (Adobe: valid for every current and
 * future private version of the package); `state` pending_approval → approved | rejected.
 */
export const packageUsageAuthorizationsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('extension_package_usage_authorizations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('package_name', 'text', (c) => c.notNull())
      .addColumn('platform', 'text')
      .addColumn('owner_company_id', 'text', (c) => c.notNull())
      .addColumn('owner_org_id', 'text', (c) => c.notNull())
      .addColumn('authorized_org_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_by_display_name', 'text')
      .addColumn('updated_by_display_name', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addUniqueConstraint('extension_package_usage_authorizations_name_org', ['package_name', 'authorized_org_id'])
      .execute();
    await db.schema.createIndex('extension_package_usage_authorizations_org').on('extension_package_usage_authorizations').columns(['authorized_org_id', 'state']).execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

/**
 * OAuth2 client credentials for the IMS-shaped token endpoint (`POST /ims/token/v3`, issue 19
 * item 7). `ims_credentials`: one row per client created by the admin CLI; the secret is kept only
 * as a salted scrypt hash, `revoked_at` set by `client revoke`. `ims_tokens`: which `api_tokens`
 * row each credential issued and the scope granted; deleting the token row (revocation, clean-up of
 * expired ones) deletes the link.
 */
export const imsCredentialsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('ims_credentials')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('rights', 'jsonb', (c) => c.notNull())
      .addColumn('scopes', 'jsonb')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('ims_credentials_company').on('ims_credentials').column('company_id').execute();
    await db.schema
      .createTable('ims_tokens')
      .addColumn('token_id', 'text', (c) => c.primaryKey().references('api_tokens.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull().references('ims_credentials.client_id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ims_tokens_client').on('ims_tokens').column('client_id').execute();
  },
};

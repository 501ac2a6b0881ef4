import { sql, type Kysely, type Migration } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run against the database as it was, not today's types */

const now = sql`now()`;

export const initialMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('companies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text', (c) => c.notNull().unique())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('rights', 'jsonb', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('properties')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('domains', 'jsonb', (c) => c.notNull())
      .addColumn('development', 'boolean', (c) => c.notNull())
      .addColumn('privacy', 'text', (c) => c.notNull())
      .addColumn('rule_component_sequencing_enabled', 'boolean', (c) => c.notNull())
      .addColumn('ssl_enabled', 'boolean', (c) => c.notNull())
      .addColumn('undefined_vars_return_empty', 'boolean', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('properties_company').on('properties').columns(['company_id', 'created_at']).execute();

    await db.schema
      .createTable('hosts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('property_id', 'text', (c) => c.notNull().references('properties.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type_of', 'text', (c) => c.notNull())
      .addColumn('server', 'text')
      .addColumn('path', 'text')
      .addColumn('port', 'integer')
      .addColumn('username', 'text')
      .addColumn('encrypted_private_key', 'text')
      .addColumn('skip_symlinks', 'boolean', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_details', 'jsonb')
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('hosts_property').on('hosts').columns(['property_id', 'created_at']).execute();

    await db.schema
      .createTable('environments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('property_id', 'text', (c) => c.notNull().references('properties.id').onDelete('cascade'))
      .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('archive', 'boolean', (c) => c.notNull())
      .addColumn('archive_passphrase', 'text')
      .addColumn('path', 'text')
      .addColumn('include_debug_library', 'boolean', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('environments_property').on('environments').columns(['property_id', 'created_at']).execute();

    await db.schema
      .createTable('libraries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('property_id', 'text', (c) => c.notNull().references('properties.id').onDelete('cascade'))
      .addColumn('environment_id', 'text', (c) => c.references('environments.id').onDelete('set null'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('published_at', 'timestamptz')
      .addColumn('build_required', 'boolean', (c) => c.notNull())
      .addColumn('build_required_detail', 'text')
      .addColumn('stale', 'text')
      .addColumn('last_build_id', 'text')
      .addColumn('state_changed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('libraries_property').on('libraries').columns(['property_id', 'created_at']).execute();

    await db.schema
      .createTable('library_resources')
      .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('library_resources_pk', ['library_id', 'resource_id'])
      .execute();

    await db.schema
      .createTable('builds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('library_id', 'text', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
      .addColumn('property_id', 'text', (c) => c.notNull().references('properties.id').onDelete('cascade'))
      .addColumn('environment_id', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('host_type_of', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('status_details', 'jsonb')
      .addColumn('republish_status', 'text')
      .addColumn('files', 'jsonb')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('builds_library').on('builds').columns(['library_id', 'created_at']).execute();
    await db.schema.createIndex('builds_environment').on('builds').columns(['environment_id', 'created_at']).execute();

    await db.schema
      .createTable('build_resources')
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('build_resources_pk', ['build_id', 'resource_id'])
      .execute();

    await db.schema
      .createTable('extension_packages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_company_id', 'text', (c) => c.references('companies.id'))
      .addColumn('owner_org_id', 'text')
      .addColumn('name', 'text')
      .addColumn('display_name', 'text')
      .addColumn('description', 'text')
      .addColumn('version', 'text')
      .addColumn('platform', 'text')
      .addColumn('availability', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_details', 'jsonb')
      .addColumn('manifest', 'jsonb')
      .addColumn('upload_key', 'text')
      .addColumn('files_prefix', 'text')
      .addColumn('trusted', 'boolean', (c) => c.notNull())
      .addColumn('discontinued', 'boolean', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('extension_packages_name').on('extension_packages').columns(['name', 'version']).execute();

    await db.schema
      .createTable('revisioned')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('property_id', 'text', (c) => c.notNull().references('properties.id').onDelete('cascade'))
      .addColumn('origin_id', 'text', (c) => c.notNull())
      .addColumn('revision_number', 'integer', (c) => c.notNull())
      .addColumn('latest_revision_number', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('dirty', 'boolean', (c) => c.notNull())
      .addColumn('published', 'boolean', (c) => c.notNull())
      .addColumn('published_at', 'timestamptz')
      .addColumn('deleted_at', 'timestamptz')
      .addColumn('review_status', 'text', (c) => c.notNull())
      .addColumn('settings', 'text')
      .addColumn('delegate_descriptor_id', 'text')
      .addColumn('extension_package_id', 'text')
      .addColumn('display_name', 'text')
      .addColumn('version', 'text')
      .addColumn('extension_id', 'text')
      .addColumn('default_value', 'text')
      .addColumn('force_lower_case', 'boolean')
      .addColumn('clean_text', 'boolean')
      .addColumn('storage_duration', 'text')
      .addColumn('rule_id', 'text')
      .addColumn('order', 'integer')
      .addColumn('rule_order', 'double precision')
      .addColumn('negate', 'boolean')
      .addColumn('timeout', 'integer')
      .addColumn('delay_next', 'boolean')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('revisioned_property_type')
      .on('revisioned')
      .columns(['property_id', 'type', 'revision_number', 'created_at'])
      .execute();
    await db.schema.createIndex('revisioned_origin').on('revisioned').columns(['origin_id', 'revision_number']).execute();
    await db.schema.createIndex('revisioned_rule').on('revisioned').columns(['rule_id']).execute();

    await db.schema
      .createTable('notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('property_id', 'text', (c) => c.notNull().references('properties.id').onDelete('cascade'))
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('author_display_name', 'text', (c) => c.notNull())
      .addColumn('author_email', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notes_resource').on('notes').columns(['resource_id', 'created_at']).execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('property_id', 'text')
      .addColumn('type_of', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_events_company').on('audit_events').columns(['company_id', 'created_at']).execute();
  },
};

import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool, types } from 'pg';
import { initialMigration } from './migrations/001-initial';
import { perfIndexesMigration } from './migrations/002-perf-indexes';
import { callbacksSecretsMigration } from './migrations/003-callbacks-secrets';
import { republishArchiveMigration } from './migrations/004-republish-archive';
import { companyTagsAccessMigration } from './migrations/005-company-tags-access';
import { secretRefreshMigration } from './migrations/006-secret-refresh';
import { searchIndexesMigration } from './migrations/007-search-indexes';
import { packageUsageAuthorizationsMigration } from './migrations/008-package-usage-authorizations';
import { imsCredentialsMigration } from './migrations/009-ims-credentials';
import { headsNameIndexMigration } from './migrations/010-heads-name-index';
import { NamedStatementPool, StatementNames } from './named-statements';
import { PGliteDialect } from './pglite-dialect';
import type { Database } from './schema';

/** Kysely over the configured database. */
export type Db = Kysely<Database>;

/** Injection token of the Kysely instance. */
export const DB = Symbol('DB');

export interface DatabaseOptions {
  /** `postgres://…`; when unset, PGlite under `${dataDir}/pglite` (or in memory with `dataDir: null`). */
  url: string | undefined;
  dataDir: string | null;
  /** Schema for every table (created if missing); default `public`. */
  schema: string | undefined;
  poolSize?: number;
  /** Hot statements as named prepared statements on PostgreSQL (default true); PGlite never names them. */
  preparedStatements?: boolean;
}

// int8 (count(*)) as a JS number: counts here are far below 2^53.
types.setTypeParser(20, (v) => Number(v));

/** Migrations in order. Never edit a released one; add a new one. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initialMigration,
  '002-perf-indexes': perfIndexesMigration,
  '003-callbacks-secrets': callbacksSecretsMigration,
  '004-republish-archive': republishArchiveMigration,
  '005-company-tags-access': companyTagsAccessMigration,
  '006-secret-refresh': secretRefreshMigration,
  '007-search-indexes': searchIndexesMigration,
  '008-package-usage-authorizations': packageUsageAuthorizationsMigration,
  '009-ims-credentials': imsCredentialsMigration,
  '010-heads-name-index': headsNameIndexMigration,
};

class StaticMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(MIGRATIONS);
  }
}

/** Opens the database (pg pool or PGlite), creates the schema if needed and runs pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  const schema = options.schema;
  const db = new Kysely<Database>({ dialect: await dialectFor(options) });
  if (schema !== undefined) {
    await db.schema.createSchema(schema).ifNotExists().execute();
    if (options.url === undefined) {
      // PGlite has one session: setting the search path once applies to every query.
      await sql`set search_path to ${sql.id(schema)}`.execute(db);
    }
  }
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    // Migrations are written in parallel branches and land in any order (004 before 002 and 003);
    // each is self-contained, so one that sorts before the last applied one still runs.
    allowUnorderedMigrations: true,
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed`, { cause: error });
  }
  return db;
}

async function dialectFor(options: DatabaseOptions): Promise<PostgresDialect | PGliteDialect> {
  if (options.url !== undefined) {
    const pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      application_name: 'reactor-api',
      ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
    });
    return new PostgresDialect({ pool: options.preparedStatements === false ? pool : new NamedStatementPool(pool, new StatementNames()) });
  }
  let dataDir: string | undefined;
  if (options.dataDir !== null) {
    dataDir = join(options.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
  }
  const pglite = new PGlite(dataDir !== undefined ? { dataDir } : {});
  await pglite.waitReady;
  return new PGliteDialect(pglite);
}

/** Readiness probe: one round trip. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}


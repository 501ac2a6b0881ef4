import { Inject, Injectable } from '@nestjs/common';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import { sql, type Kysely } from 'kysely';
import { newId } from '../common/ids';
import { DB, type Db } from '../database/database';
import type { Database, ExtensionPackageRow, NewRevisioned, RevisionedRow, RevisionedUpdate } from '../database/schema';
import type { ListQuery, Page } from '../jsonapi/list-query';
import { PreparedList, runList } from '../database/list-sql';
import { REVISIONED_COLUMNS, type RevisionedType } from './revisioned.types';

/**
 * `revision_number` of a head as an SQL literal, not a parameter, so that a prepared (generic) plan
 * can still use the partial index `revisioned_heads` (migration 002), whose predicate it must match.
 */
const HEAD = sql.lit(0);

/** The lists of a property's extensions, data elements, rules, rule components (the most read lists). */
const HEADS = new PreparedList('revisioned', REVISIONED_COLUMNS, (db, a: { companyId: string; propertyId: string; type: string }) =>
  db
    .selectFrom('revisioned')
    .innerJoin('properties', 'properties.id', 'revisioned.property_id')
    .selectAll('revisioned')
    .where('properties.company_id', '=', a.companyId)
    .where('revisioned.property_id', '=', a.propertyId)
    .where('revisioned.type', '=', a.type)
    .where('revisioned.revision_number', '=', HEAD)
    .where('revisioned.deleted_at', 'is', null),
);

/** Rows of the `revisioned` table: heads, revisions and their snapshots. */
@Injectable()
export class RevisionedRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Heads (not deleted) of a property of the company; the join keeps other companies' rows out. */
  listHeads(companyId: string, propertyId: string, type: RevisionedType, query: ListQuery): Promise<Page<RevisionedRow>> {
    return HEADS.run(this.db, { companyId, propertyId, type }, query);
  }

  listRevisions(originId: string, query: ListQuery): Promise<Page<RevisionedRow>> {
    const base = this.db.selectFrom('revisioned').selectAll('revisioned').where('revisioned.origin_id', '=', originId);
    return runList(base, 'revisioned', query, REVISIONED_COLUMNS);
  }

  listComponents(ruleId: string, query: ListQuery): Promise<Page<RevisionedRow>> {
    const base = this.db
      .selectFrom('revisioned')
      .selectAll('revisioned')
      .where('revisioned.rule_id', '=', ruleId)
      .where('revisioned.type', '=', 'rule_components')
      .where('revisioned.deleted_at', 'is', null);
    return runList(base, 'revisioned', query, REVISIONED_COLUMNS);
  }

  /** Libraries holding this resource. */
  async libraryIds(resourceId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('library_resources').select('library_id').where('resource_id', '=', resourceId).execute();
    return rows.map((r) => r.library_id);
  }

  findById(id: string, db: Kysely<Database> = this.db): Promise<RevisionedRow | undefined> {
    return db.selectFrom('revisioned').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async package(id: string): Promise<(ExtensionPackageRow & { manifestParsed: ExtensionManifest | null }) | undefined> {
    const row = await this.db.selectFrom('extension_packages').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : { ...row, manifestParsed: row.manifest as ExtensionManifest | null };
  }

  /** Non-deleted head of `type` named `name` in a property (uniqueness checks). */
  findHeadByName(propertyId: string, type: RevisionedType, name: string): Promise<RevisionedRow | undefined> {
    return this.db
      .selectFrom('revisioned')
      .selectAll()
      .where('property_id', '=', propertyId)
      .where('type', '=', type)
      .where('name', '=', name)
      .where('revision_number', '=', HEAD)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async insert(db: Kysely<Database>, row: Omit<NewRevisioned, 'id' | 'origin_id' | 'created_at' | 'updated_at'> & { id?: string; origin_id?: string }, type: RevisionedType): Promise<RevisionedRow> {
    const id = row.id ?? newId(type);
    const now = new Date();
    return db
      .insertInto('revisioned')
      .values({ ...row, id, origin_id: row.origin_id ?? id, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  update(db: Kysely<Database>, id: string, set: RevisionedUpdate): Promise<RevisionedRow> {
    return db.updateTable('revisioned').set({ ...set, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /** Non-deleted components of a rule (a head or a revision). */
  components(db: Kysely<Database>, ruleId: string): Promise<RevisionedRow[]> {
    return db
      .selectFrom('revisioned')
      .selectAll()
      .where('rule_id', '=', ruleId)
      .where('type', '=', 'rule_components')
      .where('deleted_at', 'is', null)
      .orderBy('order')
      .orderBy('created_at')
      .execute();
  }
}

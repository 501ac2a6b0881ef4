import { Inject, Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import { newId } from '../common/ids';
import { DB, type Db } from '../database/database';
import type { Database, NewRevisioned, RevisionedRow, RevisionedUpdate } from '../database/schema';
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

  /** The rule a rule component belongs to, as a list (`GET /rule_components/{id}/rules`); none without one. */
  listRules(ruleId: string | null, query: ListQuery): Promise<Page<RevisionedRow>> {
    const base = this.db
      .selectFrom('revisioned')
      .selectAll('revisioned')
      .where('revisioned.id', '=', ruleId ?? '')
      .where('revisioned.type', '=', 'rules');
    return runList(base, 'revisioned', query, REVISIONED_COLUMNS);
  }

  findById(id: string, db: Kysely<Database> = this.db): Promise<RevisionedRow | undefined> {
    return db.selectFrom('revisioned').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Rows of `type` among `ids` in properties of the company (others' rows are left out). */
  async findInCompany(db: Db, companyId: string, type: RevisionedType, ids: readonly string[]): Promise<RevisionedRow[]> {
    if (ids.length === 0) {
      return [];
    }
    return db
      .selectFrom('revisioned')
      .innerJoin('properties', 'properties.id', 'revisioned.property_id')
      .selectAll('revisioned')
      .where('revisioned.id', 'in', [...new Set(ids)])
      .where('revisioned.type', '=', type)
      .where('properties.company_id', '=', companyId)
      .execute();
  }

  /** Every extension row (heads and revisions) of a property, with what the upgrade check reads. */
  extensionRevisions(db: Db, propertyId: string): Promise<Pick<RevisionedRow, 'id' | 'origin_id' | 'name' | 'version' | 'revision_number' | 'published' | 'deleted_at'>[]> {
    return db
      .selectFrom('revisioned')
      .select(['id', 'origin_id', 'name', 'version', 'revision_number', 'published', 'deleted_at'])
      .where('property_id', '=', propertyId)
      .where('type', '=', 'extensions')
      .execute();
  }

  /** Non-deleted components of these rules, in no particular order. */
  async componentsOfRules(db: Db, ruleIds: readonly string[]): Promise<RevisionedRow[]> {
    return ruleIds.length === 0 ? [] : db.selectFrom('revisioned').selectAll().where('rule_id', 'in', ruleIds).where('deleted_at', 'is', null).execute();
  }

  /** Publishing a library publishes its own revisions. */
  async markPublished(db: Db, ids: readonly string[], at: Date): Promise<void> {
    if (ids.length > 0) {
      await db.updateTable('revisioned').set({ published: true, published_at: at }).where('id', 'in', ids).execute();
    }
  }

  /** Changing a rule component bumps its rule's `updated_at` and marks it dirty. */
  async touchRule(db: Db, ruleId: string): Promise<void> {
    await db.updateTable('revisioned').set({ updated_at: new Date(), dirty: true }).where('id', '=', ruleId).execute();
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

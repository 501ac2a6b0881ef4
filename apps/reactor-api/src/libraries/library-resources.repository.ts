import { Inject, Injectable } from '@nestjs/common';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { RevisionedRow } from '../database/schema';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';
import type { RevisionedType } from '../revisioned/revisioned.types';

export type LibraryResourceType = Extract<RevisionedType, 'extensions' | 'data_elements' | 'rules'>;

/** Rows of `library_resources`: the revisions a library holds itself (not through its upstream). */
@Injectable()
export class LibraryResourcesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The library's own revisions, in the order they were added; of one type when `type` is given. */
  own(libraryId: string, type?: LibraryResourceType, db: Db = this.db): Promise<RevisionedRow[]> {
    let query = db
      .selectFrom('library_resources')
      .innerJoin('revisioned', 'revisioned.id', 'library_resources.resource_id')
      .selectAll('revisioned')
      .where('library_resources.library_id', '=', libraryId);
    if (type !== undefined) {
      query = query.where('library_resources.resource_type', '=', type).orderBy('library_resources.created_at').orderBy('revisioned.id');
    } else {
      query = query.orderBy('library_resources.created_at');
    }
    return query.execute();
  }

  /** A page of the library's own revisions of one type, filtered and sorted like every list (§1.5-1.7). */
  listOwn(libraryId: string, type: LibraryResourceType, query: ListQuery, columns: ListColumns): Promise<Page<RevisionedRow>> {
    const base = this.db
      .selectFrom('library_resources')
      .innerJoin('revisioned', 'revisioned.id', 'library_resources.resource_id')
      .selectAll('revisioned')
      .where('library_resources.library_id', '=', libraryId)
      .where('library_resources.resource_type', '=', type);
    return runList(base, 'revisioned', query, columns);
  }

  async ownIds(db: Db, libraryId: string): Promise<string[]> {
    const rows = await db.selectFrom('library_resources').select('resource_id').where('library_id', '=', libraryId).execute();
    return rows.map((r) => r.resource_id);
  }

  /** Adds the rows (one already held is kept as it is). */
  async insert(db: Db, libraryId: string, type: LibraryResourceType, rows: readonly RevisionedRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    const now = new Date();
    await db
      .insertInto('library_resources')
      .values(rows.map((r) => ({ library_id: libraryId, resource_id: r.id, resource_type: type, created_at: now })))
      .onConflict((oc) => oc.columns(['library_id', 'resource_id']).doNothing())
      .execute();
  }

  async remove(db: Db, libraryId: string, resourceIds: readonly string[]): Promise<void> {
    await db.deleteFrom('library_resources').where('library_id', '=', libraryId).where('resource_id', 'in', resourceIds.length > 0 ? resourceIds : ['']).execute();
  }

  async removeType(db: Db, libraryId: string, type: LibraryResourceType): Promise<void> {
    await db.deleteFrom('library_resources').where('library_id', '=', libraryId).where('resource_type', '=', type).execute();
  }
}

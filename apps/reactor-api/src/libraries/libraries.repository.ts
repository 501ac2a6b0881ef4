import { Inject, Injectable } from '@nestjs/common';
import type { Insertable, Updateable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { LibrariesTable, LibraryRow } from '../database/schema';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';

/** `stale` values (§2.5). */
export type StaleReason = 'upstream_changed' | 'extension_upgraded';

/** Rows of `libraries` (and the status of a library's last build, which its presentation shows). */
@Injectable()
export class LibrariesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  listInProperty(propertyId: string, query: ListQuery, columns: ListColumns): Promise<Page<LibraryRow>> {
    const base = this.db.selectFrom('libraries').selectAll('libraries').where('libraries.property_id', '=', propertyId);
    return runList(base, 'libraries', query, columns);
  }

  /** A page of the libraries holding the revision `resourceId`, filtered and sorted like every list. */
  listHolding(resourceId: string, query: ListQuery, columns: ListColumns): Promise<Page<LibraryRow>> {
    const base = this.db
      .selectFrom('libraries')
      .selectAll('libraries')
      .where((eb) => eb('libraries.id', 'in', eb.selectFrom('library_resources').select('library_resources.library_id').where('library_resources.resource_id', '=', resourceId)));
    return runList(base, 'libraries', query, columns);
  }

  findById(id: string, db: Db = this.db): Promise<LibraryRow | undefined> {
    return db.selectFrom('libraries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The library, locked until the transaction ends (results apply one build at a time). */
  findForUpdate(db: Db, id: string): Promise<LibraryRow | undefined> {
    return db.selectFrom('libraries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** Every library of the property (upstream resolution reads them all at once). */
  ofProperty(propertyId: string, db: Db = this.db): Promise<LibraryRow[]> {
    return db.selectFrom('libraries').selectAll().where('property_id', '=', propertyId).execute();
  }

  /** The status of the build `buildId` (a library's `last_build_id`), or undefined without one. */
  async lastBuildStatus(buildId: string | null, db: Db = this.db): Promise<string | undefined> {
    if (buildId === null) {
      return undefined;
    }
    return (await db.selectFrom('builds').select('status').where('id', '=', buildId).executeTakeFirst())?.status;
  }

  insert(db: Db, row: Insertable<LibrariesTable>): Promise<LibraryRow> {
    return db.insertInto('libraries').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(db: Db, id: string, changes: Updateable<LibrariesTable>): Promise<LibraryRow> {
    return db.updateTable('libraries').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  async delete(db: Db, id: string): Promise<void> {
    await db.deleteFrom('libraries').where('id', '=', id).execute();
  }

  /** The library assigned to each of the environments that have one. */
  async assignedTo(db: Db, environmentIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await db.selectFrom('libraries').select(['id', 'environment_id']).where('environment_id', 'in', environmentIds).execute();
    return new Map(rows.flatMap((r) => (r.environment_id === null ? [] : [[r.environment_id, r.id] as const])));
  }

  /** Another library, not published, assigned to the environment. */
  otherClaim(db: Db, environmentId: string, libraryId: string): Promise<Pick<LibraryRow, 'id' | 'state'> | undefined> {
    return db
      .selectFrom('libraries')
      .select(['id', 'state'])
      .where('environment_id', '=', environmentId)
      .where('id', '<>', libraryId)
      .where('state', '<>', 'published')
      .executeTakeFirst();
  }

  /** Every library (but `exceptLibraryId`) assigned to the environment loses it. */
  async releaseEnvironment(db: Db, environmentId: string, exceptLibraryId?: string): Promise<void> {
    let query = db.updateTable('libraries').set({ environment_id: null }).where('environment_id', '=', environmentId);
    if (exceptLibraryId !== undefined) {
      query = query.where('id', '<>', exceptLibraryId);
    }
    await query.execute();
  }

  /** Libraries (not published) holding a revision of the extension on a package other than `packageId`. */
  async holdingOtherPackage(db: Db, extensionOriginId: string, packageId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('library_resources')
      .innerJoin('revisioned', 'revisioned.id', 'library_resources.resource_id')
      .innerJoin('libraries', 'libraries.id', 'library_resources.library_id')
      .select('libraries.id')
      .distinct()
      .where('revisioned.origin_id', '=', extensionOriginId)
      .where('revisioned.type', '=', 'extensions')
      .where('revisioned.extension_package_id', '<>', packageId)
      .where('libraries.state', '<>', 'published')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Sets `stale` on those of `ids` not stale yet (the first reason stands). */
  async markStale(db: Db, ids: readonly string[], reason: StaleReason): Promise<void> {
    if (ids.length > 0) {
      await db.updateTable('libraries').set({ stale: reason, updated_at: new Date() }).where('id', 'in', ids).where('stale', 'is', null).execute();
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { upstreamAmong } from './library-resolver';

/** `stale` values (§2.5). */
export type StaleReason = 'upstream_changed' | 'extension_upgraded';

/** Upstream library id of each library that can still be built, keyed by library id. */
export type UpstreamMap = Map<string, string | null>;

/**
 * `stale` is a stored flag, set when the change happens and cleared by the library's next
 * succeeded build (results apply `stale: null`). A flag already set is kept: the first reason
 * stands until a build clears it.
 * - `extension_upgraded`: an extension head moved to a newer package version; every library (not
 *   published) holding a revision of that extension on an older package is stale.
 * - `upstream_changed`: a library's upstream (§2.5: the nearest submitted/approved/published library)
 *   is now a different library, because another library changed state or was deleted. Callers
 *   take {@link upstreams} before the change and hand it to {@link markUpstreamChanged} after it,
 *   in the same transaction.
 */
@Injectable()
export class LibraryStaleness {
  async markExtensionUpgraded(db: Kysely<Database>, extensionOriginId: string, packageId: string): Promise<void> {
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
    await this.mark(
      db,
      rows.map((r) => r.id),
      'extension_upgraded',
    );
  }

  /** The upstream of every library of the property not published yet: one query, resolved in memory. */
  async upstreams(db: Kysely<Database>, propertyId: string): Promise<UpstreamMap> {
    const libraries = await db.selectFrom('libraries').selectAll().where('property_id', '=', propertyId).execute();
    const map: UpstreamMap = new Map();
    for (const library of libraries) {
      if (library.state !== 'published') {
        map.set(library.id, upstreamAmong(library, libraries)?.id ?? null);
      }
    }
    return map;
  }

  /** Marks the libraries (other than `changed`) whose upstream is not what it was in `before`. */
  async markUpstreamChanged(db: Kysely<Database>, propertyId: string, before: UpstreamMap, changed: string): Promise<void> {
    const after = await this.upstreams(db, propertyId);
    const moved = [...after].filter(([id, upstream]) => id !== changed && before.has(id) && before.get(id) !== upstream).map(([id]) => id);
    await this.mark(db, moved, 'upstream_changed');
  }

  private async mark(db: Kysely<Database>, ids: string[], reason: StaleReason): Promise<void> {
    if (ids.length > 0) {
      await db.updateTable('libraries').set({ stale: reason, updated_at: new Date() }).where('id', 'in', ids).where('stale', 'is', null).execute();
    }
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Db } from '../database/database';
import { RevisionedEvents } from '../revisioned/revisioned-events';
import { LibrariesRepository } from './libraries.repository';
import { upstreamAmong } from './library-resolver';

export type { StaleReason } from './libraries.repository';

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
 *
 * Revisioned resources sit below libraries: they announce an upgrade through RevisionedEvents,
 * which this class listens to from start-up.
 */
@Injectable()
export class LibraryStaleness implements OnModuleInit {
  constructor(
    private readonly libraries: LibrariesRepository,
    private readonly revisioned: RevisionedEvents,
  ) {}

  onModuleInit(): void {
    this.revisioned.onExtensionUpgraded((tx, originId, packageId) => this.markExtensionUpgraded(tx, originId, packageId));
  }

  async markExtensionUpgraded(db: Db, extensionOriginId: string, packageId: string): Promise<void> {
    await this.libraries.markStale(db, await this.libraries.holdingOtherPackage(db, extensionOriginId, packageId), 'extension_upgraded');
  }

  /** The upstream of every library of the property not published yet: one query, resolved in memory. */
  async upstreams(db: Db, propertyId: string): Promise<UpstreamMap> {
    const libraries = await this.libraries.ofProperty(propertyId, db);
    const map: UpstreamMap = new Map();
    for (const library of libraries) {
      if (library.state !== 'published') {
        map.set(library.id, upstreamAmong(library, libraries)?.id ?? null);
      }
    }
    return map;
  }

  /** Marks the libraries (other than `changed`) whose upstream is not what it was in `before`. */
  async markUpstreamChanged(db: Db, propertyId: string, before: UpstreamMap, changed: string): Promise<void> {
    const after = await this.upstreams(db, propertyId);
    const moved = [...after].filter(([id, upstream]) => id !== changed && before.has(id) && before.get(id) !== upstream).map(([id]) => id);
    await this.libraries.markStale(db, moved, 'upstream_changed');
  }
}

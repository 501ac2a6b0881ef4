import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DB, type Db } from '../database/database';
import type { Database, LibraryRow, RevisionedRow } from '../database/schema';
import { upstreamStates } from './library-lifecycle';

/**
 * The upstream of `library` (§2.5) among its property's libraries: in the nearest upstream state,
 * the one whose state changed last.
 */
export function upstreamAmong(library: LibraryRow, libraries: readonly LibraryRow[]): LibraryRow | undefined {
  for (const state of upstreamStates(library.state)) {
    let latest: LibraryRow | undefined;
    for (const other of libraries) {
      if (other.state === state && other.id !== library.id && other.property_id === library.property_id && (latest === undefined || other.state_changed_at > latest.state_changed_at)) {
        latest = other;
      }
    }
    if (latest !== undefined) {
      return latest;
    }
  }
  return undefined;
}

/** Upstream resolution and the library's effective contents (own revisions over upstream, by origin). */
@Injectable()
export class LibraryResolver {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The most recent library of the property in the nearest upstream state. */
  async upstreamOf(library: LibraryRow, db: Kysely<Database> = this.db): Promise<LibraryRow | undefined> {
    if (upstreamStates(library.state).length === 0) {
      return undefined;
    }
    return upstreamAmong(library, await db.selectFrom('libraries').selectAll().where('property_id', '=', library.property_id).execute());
  }

  /** The library's own resources (revisions). */
  own(libraryId: string, db: Kysely<Database> = this.db): Promise<RevisionedRow[]> {
    return db
      .selectFrom('library_resources')
      .innerJoin('revisioned', 'revisioned.id', 'library_resources.resource_id')
      .selectAll('revisioned')
      .where('library_resources.library_id', '=', libraryId)
      .orderBy('library_resources.created_at')
      .execute();
  }

  /** Effective contents: upstream chain, overridden by the library's own revisions by origin id. */
  async resolve(library: LibraryRow, db: Kysely<Database> = this.db, depth = 0): Promise<Map<string, RevisionedRow>> {
    const upstream = depth < 5 ? await this.upstreamOf(library, db) : undefined;
    const merged = upstream === undefined ? new Map<string, RevisionedRow>() : await this.resolve(upstream, db, depth + 1);
    for (const row of await this.own(library.id, db)) {
      merged.set(row.origin_id, row);
    }
    return merged;
  }
}

import { Injectable } from '@nestjs/common';
import type { Db } from '../database/database';
import type { LibraryRow, RevisionedRow } from '../database/schema';
import { LibrariesRepository } from './libraries.repository';
import { upstreamStates } from './library-lifecycle';
import { LibraryResourcesRepository } from './library-resources.repository';

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
  constructor(
    private readonly libraries: LibrariesRepository,
    private readonly resources: LibraryResourcesRepository,
  ) {}

  /** The most recent library of the property in the nearest upstream state. */
  async upstreamOf(library: LibraryRow, db?: Db): Promise<LibraryRow | undefined> {
    if (upstreamStates(library.state).length === 0) {
      return undefined;
    }
    return upstreamAmong(library, await this.libraries.ofProperty(library.property_id, db));
  }

  /** The library's own resources (revisions). */
  own(libraryId: string, db?: Db): Promise<RevisionedRow[]> {
    return this.resources.own(libraryId, undefined, db);
  }

  /** Effective contents: upstream chain, overridden by the library's own revisions by origin id. */
  async resolve(library: LibraryRow, db?: Db, depth = 0): Promise<Map<string, RevisionedRow>> {
    const upstream = depth < 5 ? await this.upstreamOf(library, db) : undefined;
    const merged = upstream === undefined ? new Map<string, RevisionedRow>() : await this.resolve(upstream, db, depth + 1);
    for (const row of await this.own(library.id, db)) {
      merged.set(row.origin_id, row);
    }
    return merged;
  }
}

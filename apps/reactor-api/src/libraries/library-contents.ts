import { Injectable } from '@nestjs/common';
import { ReactorError, ReactorErrors, type ReactorErrorCode } from '@openexp/errors';
import { notFound } from '../common/scope.repository';
import type { AuthContext } from '../auth/rights';
import type { Db } from '../database/database';
import type { LibraryRow, RevisionedRow } from '../database/schema';
import type { LinkageItem } from '../jsonapi/request-document';
import { RevisionedRepository } from '../revisioned/revisioned.repository';
import { RevisionedService } from '../revisioned/revisioned.service';
import { LibraryResourcesRepository, type LibraryResourceType } from './library-resources.repository';

export type { LibraryResourceType } from './library-resources.repository';
export const LIBRARY_RESOURCE_TYPES: readonly LibraryResourceType[] = ['extensions', 'data_elements', 'rules'];

const INVALID: Record<LibraryResourceType, ReactorErrorCode> = {
  extensions: 'invalid-extension',
  data_elements: 'invalid-data_element',
  rules: 'invalid-rule',
};

/**
 * What a library may hold (§2.5), shared by the relationship endpoints and library creation:
 * revisions (not heads, not deleted) of the library's own property, one per origin. Ids are looked
 * up in the caller's company only: one that is missing there (another company's included) is
 * `not-found` (404, spec §3.1: a related id in the body that does not exist); one of another
 * property of the company is the spec's `invalid-<type>` (422).
 */
@Injectable()
export class LibraryContents {
  constructor(
    private readonly revisioned: RevisionedRepository,
    private readonly resources: LibraryResourcesRepository,
    private readonly revisioning: RevisionedService,
  ) {}

  /**
   * The ids to link: an item with `meta.action: "revise"` names a head of the library's property,
   * which is revised in `tx` (once, however often it is named) and replaced by its new revision.
   */
  async revised(tx: Db, auth: AuthContext, library: LibraryRow, type: LibraryResourceType, items: readonly LinkageItem[], pointerOf: (index: number) => string): Promise<string[]> {
    const marked = items.flatMap((item, i) => (item.revise === true ? [i] : []));
    const ids = items.map((item) => item.id);
    if (marked.length === 0) {
      return ids;
    }
    const heads = await this.inCompany(tx, auth.companyId, type, marked.map((i) => ids[i] ?? ''), (k) => pointerOf(marked[k] ?? 0));
    const revisions = new Map<string, string>();
    for (const i of marked) {
      const head = heads.get(ids[i] ?? '') as RevisionedRow;
      this.checkRevisable(type, head, library, pointerOf(i));
      const revision = revisions.get(head.id) ?? (await this.revisioning.reviseIn(tx, auth, head)).id;
      revisions.set(head.id, revision);
      ids[i] = revision;
    }
    return ids;
  }

  /** `revise` needs a live head of the library's property (a revision cannot be revised). */
  private checkRevisable(type: LibraryResourceType, head: RevisionedRow, library: LibraryRow, pointer: string): void {
    if (head.property_id !== library.property_id) {
      throw new ReactorError(INVALID[type], `${head.id} is not a ${type} head of this library's property.`, { pointer });
    }
    if (head.deleted_at !== null) {
      throw new ReactorError('deleted-resources', `${head.id} has been deleted.`, { pointer });
    }
    if (head.revision_number !== 0) {
      throw new ReactorError(INVALID[type], `${head.id} is revision ${head.revision_number}; meta.action "revise" takes the head ${head.origin_id}.`, { pointer });
    }
  }

  /** The rows of `ids`, in that order; `pointerOf(i)` places the error of the i-th id. */
  async resolve(db: Db, companyId: string, library: LibraryRow, type: LibraryResourceType, ids: readonly string[], pointerOf: (index: number) => string): Promise<RevisionedRow[]> {
    const byId = await this.inCompany(db, companyId, type, ids, pointerOf);
    const problems: ReactorError[] = [];
    ids.forEach((id, i) => {
      const row = byId.get(id);
      const pointer = pointerOf(i);
      if (row === undefined || row.property_id !== library.property_id) {
        problems.push(new ReactorError(INVALID[type], `${id} is not a ${type} revision of this library's property.`, { pointer }));
      } else if (row.deleted_at !== null) {
        problems.push(new ReactorError('deleted-resources', `${id} has been deleted.`, { pointer }));
      } else if (row.revision_number === 0) {
        problems.push(new ReactorError(INVALID[type], `${id} is a head (revision 0); revise it and add the revision.`, { pointer }));
      }
    });
    ReactorErrors.throwIfAny(problems);
    return [...new Set(ids)].map((id) => byId.get(id)).filter((r): r is RevisionedRow => r !== undefined);
  }

  /** The rows of `ids` in the caller's company; `not-found` at the first id that is not there. */
  async inCompany(db: Db, companyId: string, type: LibraryResourceType, ids: readonly string[], pointerOf: (index: number) => string): Promise<Map<string, RevisionedRow>> {
    const rows = await this.revisioned.findInCompany(db, companyId, type, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.findIndex((id) => !byId.has(id));
    if (missing >= 0) {
      throw notFound(type, ids[missing] ?? '', pointerOf(missing));
    }
    return byId;
  }

  /** Two revisions of one origin in a library → `multiple-revisions` at `pointer`. */
  checkOrigins(type: LibraryResourceType, rows: readonly RevisionedRow[], pointer: string): void {
    const seen = new Map<string, string>();
    for (const row of rows) {
      const other = seen.get(row.origin_id);
      if (other !== undefined && other !== row.id) {
        throw new ReactorError('multiple-revisions', `${other} and ${row.id} are revisions of the same ${type.replace(/s$/, '')} ${row.origin_id}; keep one.`, { pointer });
      }
      seen.set(row.origin_id, row.id);
    }
  }

  /** Adds the rows to the library's own contents. */
  insert(tx: Db, libraryId: string, type: LibraryResourceType, rows: readonly RevisionedRow[]): Promise<void> {
    return this.resources.insert(tx, libraryId, type, rows);
  }
}

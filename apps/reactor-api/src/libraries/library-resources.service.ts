import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { AuditService } from '../audit/audit.service';
import { ScopeRepository } from '../common/scope.repository';
import type { Db } from '../database/database';
import type { LibraryRow, RevisionedRow } from '../database/schema';
import { Transactions } from '../database/transactions';
import type { Identifier } from '../jsonapi/document';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import type { LinkageItem } from '../jsonapi/request-document';
import { REVISIONED_COLUMNS } from '../revisioned/revisioned.types';
import { LibrariesRepository } from './libraries.repository';
import { LibrariesService } from './libraries.service';
import { LibraryContents, type LibraryResourceType } from './library-contents';
import { assertEditable } from './library-lifecycle';
import { LibraryResourcesRepository } from './library-resources.repository';

export type { LibraryResourceType } from './library-contents';
export type RelationshipOp = 'add' | 'replace' | 'remove';

/**
 * `GET|POST|PATCH|DELETE /libraries/{id}/relationships/{data_elements|extensions|rules}` (§2.5):
 * only revisions of the library's property, one revision per origin, only in development. Every id,
 * removed ones too, must be in the caller's company (`not-found` at `/data/{i}/id` otherwise).
 */
@Injectable()
export class LibraryResourcesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly scope: ScopeRepository,
    private readonly repository: LibraryResourcesRepository,
    private readonly librariesRepository: LibrariesRepository,
    private readonly libraries: LibrariesService,
    private readonly audit: AuditService,
    private readonly contents: LibraryContents,
  ) {}

  async list(auth: AuthContext, libraryId: string, type: LibraryResourceType): Promise<RevisionedRow[]> {
    await this.scope.library(auth.companyId, libraryId);
    return this.repository.own(libraryId, type);
  }

  /** `GET /libraries/{id}/{type}`: a page of the library's own revisions, with the list grammar. */
  async page(auth: AuthContext, libraryId: string, type: LibraryResourceType, query: unknown): Promise<Page<RevisionedRow>> {
    await this.scope.library(auth.companyId, libraryId);
    return this.repository.listOwn(libraryId, type, parseListQuery(query, REVISIONED_COLUMNS), REVISIONED_COLUMNS);
  }

  /**
   * Returns the linkage the response carries: added → what was sent (a `revise` item as its new
   * revision), replace → the set, remove → what remains.
   */
  async change(auth: AuthContext, libraryId: string, type: LibraryResourceType, op: RelationshipOp, items: readonly LinkageItem[]): Promise<Identifier[]> {
    const library = await this.scope.library(auth.companyId, libraryId);
    auth.require('develop', 'change library contents');
    assertEditable(library);
    return this.transactions.run(async (tx) => {
      const ids = await this.contents.revised(tx, auth, library, type, items, (i) => `/data/${i}/id`);
      await this.apply(tx, auth.companyId, library, type, op, ids);
      const updated = await this.librariesRepository.update(tx, libraryId, { build_required: true, build_required_detail: 'Resources changed since the last build', updated_at: new Date() });
      const view = await this.libraries.view(updated, tx);
      await this.audit.record(tx, { companyId: auth.companyId, propertyId: library.property_id, entityType: 'libraries', singular: 'library', action: 'updated', view });
      if (op === 'add') {
        return [...new Set(ids)].map((id) => ({ id, type }));
      }
      return (await this.repository.own(libraryId, type, tx)).map((r) => ({ id: r.id, type }));
    });
  }

  /** The change itself: every id in the caller's company; added ones usable revisions, one per origin. */
  private async apply(tx: Db, companyId: string, library: LibraryRow, type: LibraryResourceType, op: RelationshipOp, ids: string[]): Promise<void> {
    const pointerOf = (i: number) => `/data/${i}/id`;
    const wanted = [...new Set(ids)];
    const current = await this.repository.own(library.id, type, tx);
    if (op === 'remove') {
      await this.contents.inCompany(tx, companyId, type, ids, pointerOf);
      await this.repository.remove(tx, library.id, wanted);
      return;
    }
    const rows = await this.contents.resolve(tx, companyId, library, type, ids, pointerOf);
    const kept = op === 'replace' ? [] : current.filter((c) => !wanted.includes(c.id));
    this.contents.checkOrigins(type, [...kept, ...rows], '/data');
    if (op === 'replace') {
      await this.repository.removeType(tx, library.id, type);
    }
    await this.contents.insert(tx, library.id, type, rows);
  }
}

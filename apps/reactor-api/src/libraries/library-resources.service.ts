import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { AuditService } from '../audit/audit.service';
import { ScopeRepository } from '../common/scope.repository';
import { DB, type Db } from '../database/database';
import type { RevisionedRow } from '../database/schema';
import type { Identifier } from '../jsonapi/document';
import { LibrariesService } from './libraries.service';
import { LibraryContents, type LibraryResourceType } from './library-contents';
import { assertEditable } from './library-lifecycle';

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
    @Inject(DB) private readonly db: Db,
    private readonly scope: ScopeRepository,
    private readonly libraries: LibrariesService,
    private readonly audit: AuditService,
    private readonly contents: LibraryContents,
  ) {}

  async list(auth: AuthContext, libraryId: string, type: LibraryResourceType): Promise<RevisionedRow[]> {
    await this.scope.library(auth.companyId, libraryId);
    return this.rows(this.db, libraryId, type);
  }

  /** Returns the linkage the response carries: added → what was sent, replace → the set, remove → what remains. */
  async change(auth: AuthContext, libraryId: string, type: LibraryResourceType, op: RelationshipOp, ids: Identifier[]): Promise<Identifier[]> {
    const library = await this.scope.library(auth.companyId, libraryId);
    auth.require('develop', 'change library contents');
    assertEditable(library);
    const wanted = [...new Set(ids.map((i) => i.id))];
    const pointerOf = (i: number) => `/data/${i}/id`;
    return this.db.transaction().execute(async (tx) => {
      const current = await this.rows(tx, libraryId, type);
      if (op === 'remove') {
        await this.contents.inCompany(tx, auth.companyId, type, ids.map((i) => i.id), pointerOf);
        await tx.deleteFrom('library_resources').where('library_id', '=', libraryId).where('resource_id', 'in', wanted.length > 0 ? wanted : ['']).execute();
      } else {
        const rows = await this.contents.resolve(tx, auth.companyId, library, type, ids.map((i) => i.id), pointerOf);
        const kept = op === 'replace' ? [] : current.filter((c) => !wanted.includes(c.id));
        this.contents.checkOrigins(type, [...kept, ...rows], '/data');
        if (op === 'replace') {
          await tx.deleteFrom('library_resources').where('library_id', '=', libraryId).where('resource_type', '=', type).execute();
        }
        await this.contents.insert(tx, libraryId, type, rows);
      }
      const updated = await tx
        .updateTable('libraries')
        .set({ build_required: true, build_required_detail: 'Resources changed since the last build', updated_at: new Date() })
        .where('id', '=', libraryId)
        .returningAll()
        .executeTakeFirstOrThrow();
      const view = await this.libraries.view(updated, tx);
      await this.audit.record(tx, { companyId: auth.companyId, propertyId: library.property_id, entityType: 'libraries', singular: 'library', action: 'updated', view });
      if (op === 'add') {
        return wanted.map((id) => ({ id, type }));
      }
      return (await this.rows(tx, libraryId, type)).map((r) => ({ id: r.id, type }));
    });
  }

  private rows(db: Db, libraryId: string, type: LibraryResourceType): Promise<RevisionedRow[]> {
    return db
      .selectFrom('library_resources')
      .innerJoin('revisioned', 'revisioned.id', 'library_resources.resource_id')
      .selectAll('revisioned')
      .where('library_resources.library_id', '=', libraryId)
      .where('library_resources.resource_type', '=', type)
      .orderBy('library_resources.created_at')
      .orderBy('revisioned.id')
      .execute();
  }
}

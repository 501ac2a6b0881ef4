import { Inject, Injectable } from '@nestjs/common';
import { ReactorError, ReactorErrors, type ReactorErrorCode } from '@openexp/errors';
import type { AuthContext } from '../auth/rights';
import { AuditService } from '../audit/audit.service';
import { ScopeRepository } from '../common/scope.repository';
import { DB, type Db } from '../database/database';
import type { LibraryRow, RevisionedRow } from '../database/schema';
import type { Identifier } from '../jsonapi/document';
import type { RevisionedType } from '../revisioned/revisioned.types';
import { LibrariesService } from './libraries.service';

export type LibraryResourceType = Extract<RevisionedType, 'extensions' | 'data_elements' | 'rules'>;
export type RelationshipOp = 'add' | 'replace' | 'remove';

const INVALID: Record<LibraryResourceType, ReactorErrorCode> = {
  extensions: 'invalid-extension',
  data_elements: 'invalid-data_element',
  rules: 'invalid-rule',
};

/**
 * `GET|POST|PATCH|DELETE /libraries/{id}/relationships/{data_elements|extensions|rules}` (§2.5):
 * only revisions of the library's property, one revision per origin, only in development.
 */
@Injectable()
export class LibraryResourcesService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly scope: ScopeRepository,
    private readonly libraries: LibrariesService,
    private readonly audit: AuditService,
  ) {}

  async list(auth: AuthContext, libraryId: string, type: LibraryResourceType): Promise<RevisionedRow[]> {
    await this.scope.library(auth.companyId, libraryId);
    return this.rows(this.db, libraryId, type);
  }

  /** Returns the linkage the response carries: added → what was sent, replace → the set, remove → what remains. */
  async change(auth: AuthContext, libraryId: string, type: LibraryResourceType, op: RelationshipOp, ids: Identifier[]): Promise<Identifier[]> {
    const library = await this.scope.library(auth.companyId, libraryId);
    auth.require('develop', 'change library contents');
    if (library.state !== 'development') {
      throw new ReactorError('read-only', `Library ${libraryId} is ${library.state}; only development libraries change.`);
    }
    const wanted = [...new Set(ids.map((i) => i.id))];
    return this.db.transaction().execute(async (tx) => {
      const current = await this.rows(tx, libraryId, type);
      if (op === 'remove') {
        await tx.deleteFrom('library_resources').where('library_id', '=', libraryId).where('resource_id', 'in', wanted.length > 0 ? wanted : ['']).execute();
      } else {
        const rows = await this.check(tx, library, type, wanted);
        const kept = op === 'replace' ? [] : current.filter((c) => !wanted.includes(c.id));
        this.checkOrigins(type, [...kept, ...rows]);
        if (op === 'replace') {
          await tx.deleteFrom('library_resources').where('library_id', '=', libraryId).where('resource_type', '=', type).execute();
        }
        if (rows.length > 0) {
          const now = new Date();
          await tx
            .insertInto('library_resources')
            .values(rows.map((r) => ({ library_id: libraryId, resource_id: r.id, resource_type: type, created_at: now })))
            .onConflict((oc) => oc.columns(['library_id', 'resource_id']).doNothing())
            .execute();
        }
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

  private async check(db: Db, library: LibraryRow, type: LibraryResourceType, ids: string[]): Promise<RevisionedRow[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await db.selectFrom('revisioned').selectAll().where('id', 'in', ids).where('type', '=', type).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const problems: ReactorError[] = [];
    ids.forEach((id, i) => {
      const row = byId.get(id);
      const pointer = `/data/${i}/id`;
      if (row === undefined || row.property_id !== library.property_id) {
        problems.push(new ReactorError(INVALID[type], `${id} is not a ${type} revision of this library's property.`, { pointer }));
      } else if (row.deleted_at !== null) {
        problems.push(new ReactorError('deleted-resources', `${id} has been deleted.`, { pointer }));
      } else if (row.revision_number === 0) {
        problems.push(new ReactorError(INVALID[type], `${id} is a head (revision 0); revise it and add the revision.`, { pointer }));
      }
    });
    ReactorErrors.throwIfAny(problems);
    return ids.map((id) => byId.get(id)).filter((r): r is RevisionedRow => r !== undefined);
  }

  private checkOrigins(type: LibraryResourceType, rows: RevisionedRow[]): void {
    const seen = new Map<string, string>();
    for (const row of rows) {
      const other = seen.get(row.origin_id);
      if (other !== undefined && other !== row.id) {
        throw new ReactorError('multiple-revisions', `${other} and ${row.id} are revisions of the same ${type.replace(/s$/, '')} ${row.origin_id}; keep one.`, {
          pointer: '/data',
        });
      }
      seen.set(row.origin_id, row.id);
    }
  }
}

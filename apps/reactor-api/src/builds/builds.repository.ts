import { Inject, Injectable } from '@nestjs/common';
import type { StatusDetails } from '@openexp/errors';
import type { Insertable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { BuildRow, BuildsTable, RevisionedRow } from '../database/schema';
import { statusDetailsColumn } from '../database/status-details';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';

/** Rows of `builds` and `build_resources` (the resolved contents a build was made from). */
@Injectable()
export class BuildsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  listOf(owner: 'libraries' | 'environments', id: string, query: ListQuery, columns: ListColumns): Promise<Page<BuildRow>> {
    const column = owner === 'libraries' ? 'builds.library_id' : 'builds.environment_id';
    return runList(this.db.selectFrom('builds').selectAll('builds').where(column, '=', id), 'builds', query, columns);
  }

  /** The build with its property's company (audit events are filed per company). */
  withCompany(id: string): Promise<(BuildRow & { company_id: string }) | undefined> {
    return this.db.selectFrom('builds').innerJoin('properties', 'properties.id', 'builds.property_id').selectAll('builds').select('properties.company_id').where('builds.id', '=', id).executeTakeFirst();
  }

  /** The build, locked until the transaction ends (one result applies at a time). */
  findForUpdate(tx: Db, id: string): Promise<BuildRow | undefined> {
    return tx.selectFrom('builds').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** The worker's outcome of the build: status, deferred errors (null unless failed) and files. */
  async setResult(tx: Db, id: string, result: { status: string; details: StatusDetails | null; files: readonly string[] }, at: Date): Promise<void> {
    await tx
      .updateTable('builds')
      .set({ status: result.status, status_details: statusDetailsColumn(result.details), files: JSON.stringify(result.files), updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** The worker's outcome of the build's latest republish request. */
  async setRepublishResult(tx: Db, id: string, status: string, details: StatusDetails | null): Promise<void> {
    await tx
      .updateTable('builds')
      .set({ republish_status: status, republish_status_details: statusDetailsColumn(details), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  insert(tx: Db, row: Insertable<BuildsTable>): Promise<BuildRow> {
    return tx.insertInto('builds').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** Records the contents the build is made from. */
  async insertResources(tx: Db, buildId: string, rows: readonly Pick<RevisionedRow, 'id' | 'type'>[]): Promise<void> {
    if (rows.length > 0) {
      await tx
        .insertInto('build_resources')
        .values(rows.map((r) => ({ build_id: buildId, resource_id: r.id, resource_type: r.type })))
        .execute();
    }
  }

  /** The build's job could not be queued. */
  async markFailed(id: string, details: StatusDetails): Promise<void> {
    await this.db.updateTable('builds').set({ status: 'failed', status_details: statusDetailsColumn(details), updated_at: new Date() }).where('id', '=', id).execute();
  }

  /** The build's resources of one type, oldest first. */
  resources(buildId: string, type: string): Promise<RevisionedRow[]> {
    return this.db
      .selectFrom('build_resources')
      .innerJoin('revisioned', 'revisioned.id', 'build_resources.resource_id')
      .selectAll('revisioned')
      .where('build_resources.build_id', '=', buildId)
      .where('build_resources.resource_type', '=', type)
      .orderBy('revisioned.created_at')
      .execute();
  }

  /** The build's resources of one type as a list (filters, sort, pages). */
  listResources(buildId: string, type: string, query: ListQuery, columns: ListColumns): Promise<Page<RevisionedRow>> {
    const base = this.db
      .selectFrom('revisioned')
      .innerJoin('build_resources', 'build_resources.resource_id', 'revisioned.id')
      .selectAll('revisioned')
      .where('build_resources.build_id', '=', buildId)
      .where('build_resources.resource_type', '=', type);
    return runList(base, 'revisioned', query, columns);
  }

  /** Ids of the environment's latest succeeded production builds, newest first. */
  async recentSucceededProduction(environmentId: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('builds')
      .select('id')
      .where('environment_id', '=', environmentId)
      .where('stage', '=', 'production')
      .where('status', '=', 'succeeded')
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((b) => b.id);
  }

  /** A new republish request: the next sequence number, pending. */
  requestRepublish(tx: Db, id: string, at: Date): Promise<BuildRow> {
    return tx
      .updateTable('builds')
      .set((eb) => ({ republish_sequence: eb('republish_sequence', '+', 1), republish_status: 'pending', republish_status_details: null, updated_at: at }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The republish job could not be queued; a newer request (another sequence) is left alone. */
  async markRepublishFailed(id: string, sequence: number, details: StatusDetails): Promise<void> {
    await this.db
      .updateTable('builds')
      .set({ republish_status: 'failed', republish_status_details: statusDetailsColumn(details), updated_at: new Date() })
      .where('id', '=', id)
      .where('republish_sequence', '=', sequence)
      .execute();
  }
}

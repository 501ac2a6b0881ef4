import { Inject, Injectable } from '@nestjs/common';
import type { StatusDetails } from '@openexp/errors';
import type { Insertable, Updateable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { HostRow, HostsTable } from '../database/schema';
import { statusDetailsColumn } from '../database/status-details';
import type { ListQuery, Page } from '../jsonapi/list-query';
import { HOST_COLUMNS } from './hosts.dto';

/** The `hosts` table. */
@Injectable()
export class HostsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** A property's hosts, filtered, sorted and paged by `query` (parsed against HOST_COLUMNS). */
  listInProperty(propertyId: string, query: ListQuery): Promise<Page<HostRow>> {
    const base = this.db.selectFrom('hosts').selectAll('hosts').where('hosts.property_id', '=', propertyId);
    return runList(base, 'hosts', query, HOST_COLUMNS);
  }

  insert(db: Db, row: Insertable<HostsTable>): Promise<HostRow> {
    return db.insertInto('hosts').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(db: Db, id: string, set: Updateable<HostsTable>): Promise<HostRow> {
    return db.updateTable('hosts').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /** One host, whichever property's (callers have checked scope, or hold an id from a job). */
  findById(id: string): Promise<HostRow | undefined> {
    return this.db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The host with its property's company (audit events of pretest results are filed per company). */
  findWithCompany(id: string): Promise<(HostRow & { company_id: string }) | undefined> {
    return this.db.selectFrom('hosts').innerJoin('properties', 'properties.id', 'hosts.property_id').selectAll('hosts').select('properties.company_id').where('hosts.id', '=', id).executeTakeFirst();
  }

  /** The host, locked until the transaction `tx` ends (one pretest result applies at a time). */
  findForUpdate(tx: Db, id: string): Promise<HostRow | undefined> {
    return tx.selectFrom('hosts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** A pretest's outcome on the host (its revision checked by the caller under findForUpdate's lock). */
  async setPretestResult(tx: Db, id: string, status: string, details: StatusDetails | null): Promise<void> {
    await tx.updateTable('hosts').set({ status, status_details: statusDetailsColumn(details), updated_at: new Date() }).where('id', '=', id).execute();
  }

  /** Marks revision `revision` of a host failed; a newer revision (changed meanwhile) is left alone. */
  async markFailed(id: string, revision: number, details: StatusDetails): Promise<void> {
    await this.db
      .updateTable('hosts')
      .set({ status: 'failed', status_details: statusDetailsColumn(details), updated_at: new Date() })
      .where('id', '=', id)
      .where('revision', '=', revision)
      .execute();
  }

  /**
   * The environments that deliver to a host (`environments.host_id` has no cascade: they keep it
   * from being deleted). Read here, not through the environments context, which sits above hosts.
   */
  async environmentIdsUsing(db: Db, hostId: string): Promise<string[]> {
    const rows = await db.selectFrom('environments').select('id').where('host_id', '=', hostId).execute();
    return rows.map((r) => r.id);
  }

  async delete(db: Db, id: string): Promise<void> {
    await db.deleteFrom('hosts').where('id', '=', id).execute();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { StatusDetails } from '@openexp/errors';
import { DB, type Db } from '../database/database';
import type { HostRow } from '../database/schema';
import { statusDetailsColumn } from '../database/status-details';

/**
 * The host rows results read and write (pretest outcomes, and the company an audit event is filed
 * under). They stay here until the hosts context's HostsRepository offers a locking read.
 */
@Injectable()
export class ResultsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The host with its property's company (audit events are filed per company). */
  hostWithCompany(hostId: string): Promise<(HostRow & { company_id: string }) | undefined> {
    return this.db.selectFrom('hosts').innerJoin('properties', 'properties.id', 'hosts.property_id').selectAll('hosts').select('properties.company_id').where('hosts.id', '=', hostId).executeTakeFirst();
  }

  /** The host, locked until the transaction ends (one pretest result applies at a time). */
  hostForUpdate(tx: Db, hostId: string): Promise<HostRow | undefined> {
    return tx.selectFrom('hosts').selectAll().where('id', '=', hostId).forUpdate().executeTakeFirst();
  }

  async setHostResult(tx: Db, hostId: string, status: string, details: StatusDetails | null): Promise<void> {
    await tx.updateTable('hosts').set({ status, status_details: statusDetailsColumn(details), updated_at: new Date() }).where('id', '=', hostId).execute();
  }
}

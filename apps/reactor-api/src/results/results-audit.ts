import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { BuildsRepository } from '../builds/builds.repository';
import { BuildsService } from '../builds/builds.service';
import { Transactions } from '../database/transactions';
import { HostsRepository } from '../hosts/hosts.repository';
import { LibrariesRepository } from '../libraries/libraries.repository';
import { LibrariesService } from '../libraries/libraries.service';


/** Audit events for changes the worker's results made (§4.6: `build.updated`, `library.updated`, `host.updated`; republish: `build.updated`). */
@Injectable()
export class ResultsAudit {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly builds: BuildsService,
    private readonly libraries: LibrariesService,
    private readonly buildRows: BuildsRepository,
    private readonly libraryRows: LibrariesRepository,
    private readonly hosts: HostsRepository,
  ) {}

  /** `build.updated`, and `library.updated` unless the library did not change (a republish). */
  async build(buildId: string, options: { library: boolean } = { library: true }): Promise<void> {
    const build = await this.buildRows.withCompany(buildId);
    if (build === undefined) {
      return;
    }
    const { company_id: companyId, ...row } = build;
    const buildView = await this.builds.view(row);
    await this.transactions.run((tx) => this.audit.record(tx, { companyId, propertyId: row.property_id, entityType: 'builds', singular: 'build', action: 'updated', view: buildView }));
    if (!options.library) {
      return;
    }
    const library = await this.libraryRows.findById(row.library_id);
    if (library !== undefined) {
      const libraryView = await this.libraries.view(library);
      await this.transactions.run((tx) => this.audit.record(tx, { companyId, propertyId: row.property_id, entityType: 'libraries', singular: 'library', action: 'updated', view: libraryView }));
    }
  }

  async host(hostId: string): Promise<void> {
    const host = await this.hosts.findWithCompany(hostId);
    if (host !== undefined) {
      const { company_id: companyId, ...row } = host;
      await this.transactions.run((tx) => this.audit.record(tx, { companyId, propertyId: row.property_id, entityType: 'hosts', singular: 'host', action: 'updated', view: row }));
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { BuildsService } from '../builds/builds.service';
import { DB, type Db } from '../database/database';
import { LibrariesService } from '../libraries/libraries.service';

/** Audit events for changes the worker's results made (§4.6: `build.updated`, `library.updated`, `host.updated`; republish: `build.updated`). */
@Injectable()
export class ResultsAudit {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly audit: AuditService,
    private readonly builds: BuildsService,
    private readonly libraries: LibrariesService,
  ) {}

  /** `build.updated`, and `library.updated` unless the library did not change (a republish). */
  async build(buildId: string, options: { library: boolean } = { library: true }): Promise<void> {
    const build = await this.db.selectFrom('builds').innerJoin('properties', 'properties.id', 'builds.property_id').selectAll('builds').select('properties.company_id').where('builds.id', '=', buildId).executeTakeFirst();
    if (build === undefined) {
      return;
    }
    const { company_id: companyId, ...row } = build;
    await this.audit.record(this.db, { companyId, propertyId: row.property_id, entityType: 'builds', singular: 'build', action: 'updated', view: await this.builds.view(row) });
    if (!options.library) {
      return;
    }
    const library = await this.db.selectFrom('libraries').selectAll().where('id', '=', row.library_id).executeTakeFirst();
    if (library !== undefined) {
      await this.audit.record(this.db, { companyId, propertyId: row.property_id, entityType: 'libraries', singular: 'library', action: 'updated', view: await this.libraries.view(library) });
    }
  }

  async host(hostId: string): Promise<void> {
    const host = await this.db.selectFrom('hosts').innerJoin('properties', 'properties.id', 'hosts.property_id').selectAll('hosts').select('properties.company_id').where('hosts.id', '=', hostId).executeTakeFirst();
    if (host !== undefined) {
      const { company_id: companyId, ...row } = host;
      await this.audit.record(this.db, { companyId, propertyId: row.property_id, entityType: 'hosts', singular: 'host', action: 'updated', view: row });
    }
  }
}

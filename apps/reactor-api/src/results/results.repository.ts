import { Inject, Injectable } from '@nestjs/common';
import { toStatusDetails } from '@openexp/errors';
import type { BuildResult, ExtensionPackageResult, ExtensionManifest, HostPretestResult, RepublishResult } from '@openexp/queue-contracts';
import { DB, type Db } from '../database/database';
import type { HostRow } from '../database/schema';
import { statusDetailsColumn } from '../database/status-details';
import { buildOutcome } from '../libraries/library-lifecycle';
import { LibraryStaleness } from '../libraries/library-staleness';

/** What applying a result did; `dropped`/`unchanged` results change nothing. */
export type ApplyOutcome = 'applied' | 'unchanged' | 'dropped';

/**
 * Applies worker results to the database, idempotently: only a `pending` resource changes, so a
 * result delivered twice changes nothing; results for deleted resources, superseded uploads, older
 * host revisions and older republish requests are dropped.
 */
@Injectable()
export class ResultsRepository {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly staleness: LibraryStaleness,
  ) {}

  applyBuild(result: BuildResult): Promise<ApplyOutcome> {
    return this.db.transaction().execute(async (tx) => {
      const build = await tx.selectFrom('builds').selectAll().where('id', '=', result.buildId).forUpdate().executeTakeFirst();
      if (build === undefined) {
        return 'dropped';
      }
      if (build.status !== 'pending') {
        return 'unchanged';
      }
      const now = new Date();
      const details = result.status === 'failed' ? toStatusDetails(result.failures, { meta: { build_id: build.id, attempt: result.attempt } }) : null;
      await tx
        .updateTable('builds')
        .set({ status: result.status, status_details: statusDetailsColumn(details), files: JSON.stringify(result.files), updated_at: now })
        .where('id', '=', build.id)
        .execute();
      const library = await tx.selectFrom('libraries').selectAll().where('id', '=', build.library_id).forUpdate().executeTakeFirst();
      if (library === undefined) {
        return 'applied';
      }
      // What the build does to its library (cleared build_required/stale, or publish) is the lifecycle's (library-lifecycle.ts).
      const outcome = buildOutcome(library, build, result.status, now);
      if (outcome.changes === undefined) {
        return 'applied';
      }
      const marks = outcome.transition?.marks;
      // Publishing moves other libraries' upstream (a newer published library, one approved less).
      const before = marks?.upstreamChanged === true ? await this.staleness.upstreams(tx, library.property_id) : undefined;
      await tx.updateTable('libraries').set(outcome.changes).where('id', '=', library.id).execute();
      if (before !== undefined) {
        await this.staleness.markUpstreamChanged(tx, library.property_id, before, library.id);
      }
      if (marks?.publishesResources === true) {
        const own = await tx.selectFrom('library_resources').select('resource_id').where('library_id', '=', library.id).execute();
        const ids = own.map((r) => r.resource_id);
        if (ids.length > 0) {
          await tx.updateTable('revisioned').set({ published: true, published_at: now }).where('id', 'in', ids).execute();
        }
      }
      return 'applied';
    });
  }

  /** Republish outcome: only the latest request of the build, while it is pending, changes anything. */
  applyRepublish(result: RepublishResult): Promise<ApplyOutcome> {
    return this.db.transaction().execute(async (tx) => {
      const build = await tx.selectFrom('builds').selectAll().where('id', '=', result.buildId).forUpdate().executeTakeFirst();
      if (build === undefined || build.republish_sequence !== result.republishSequence) {
        return 'dropped';
      }
      if (build.republish_status !== 'pending') {
        return 'unchanged';
      }
      const details =
        result.status === 'failed' ? toStatusDetails(result.failures, { meta: { build_id: build.id, step: 'republish', attempt: result.attempt } }) : null;
      await tx
        .updateTable('builds')
        .set({ republish_status: result.status, republish_status_details: statusDetailsColumn(details), updated_at: new Date() })
        .where('id', '=', build.id)
        .execute();
      return 'applied';
    });
  }

  applyPackage(result: ExtensionPackageResult): Promise<ApplyOutcome> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('extension_packages').selectAll().where('id', '=', result.extensionPackageId).forUpdate().executeTakeFirst();
      if (row === undefined || row.upload_key !== result.uploadKey) {
        return 'dropped';
      }
      if (row.status !== 'pending') {
        return 'unchanged';
      }
      const manifest: ExtensionManifest | null = result.manifest;
      const details = result.status === 'failed' ? toStatusDetails(result.failures, { meta: { extension_package_id: row.id } }) : null;
      await tx
        .updateTable('extension_packages')
        .set({
          status: result.status,
          status_details: statusDetailsColumn(details),
          files_prefix: result.filesPrefix,
          updated_at: new Date(),
          ...(manifest !== null && result.status === 'succeeded'
            ? {
                manifest: JSON.stringify(manifest),
                name: manifest.name,
                display_name: manifest.displayName,
                description: manifest.description ?? null,
                version: manifest.version,
                platform: manifest.platform,
              }
            : {}),
        })
        .where('id', '=', row.id)
        .execute();
      return 'applied';
    });
  }

  /** The host with its property's company (audit events are filed per company). */
  hostWithCompany(hostId: string): Promise<(HostRow & { company_id: string }) | undefined> {
    return this.db.selectFrom('hosts').innerJoin('properties', 'properties.id', 'hosts.property_id').selectAll('hosts').select('properties.company_id').where('hosts.id', '=', hostId).executeTakeFirst();
  }

  applyHost(result: HostPretestResult): Promise<ApplyOutcome> {
    return this.db.transaction().execute(async (tx) => {
      const host = await tx.selectFrom('hosts').selectAll().where('id', '=', result.hostId).forUpdate().executeTakeFirst();
      if (host === undefined || host.revision !== result.hostRevision) {
        return 'dropped';
      }
      if (host.status !== 'pending') {
        return 'unchanged';
      }
      const details = result.status === 'failed' ? toStatusDetails(result.failures, { meta: { host_id: host.id, step: 'pretest' } }) : null;
      await tx
        .updateTable('hosts')
        .set({ status: result.status, status_details: statusDetailsColumn(details), updated_at: new Date() })
        .where('id', '=', host.id)
        .execute();
      return 'applied';
    });
  }
}

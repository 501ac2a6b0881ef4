import { Injectable } from '@nestjs/common';
import { toStatusDetails } from '@openexp/errors';
import type { BuildResult, ExtensionManifest, ExtensionPackageResult, HostPretestResult, RepublishResult } from '@openexp/queue-contracts';
import { BuildsRepository } from '../builds/builds.repository';
import type { Db } from '../database/database';
import type { BuildRow } from '../database/schema';
import { statusDetailsColumn } from '../database/status-details';
import { Transactions } from '../database/transactions';
import { ExtensionPackagesRepository } from '../extension-packages/extension-packages.repository';
import { LibrariesRepository } from '../libraries/libraries.repository';
import { buildOutcome } from '../libraries/library-lifecycle';
import { LibraryResourcesRepository } from '../libraries/library-resources.repository';
import { LibraryStaleness } from '../libraries/library-staleness';
import { HostsRepository } from '../hosts/hosts.repository';
import { RevisionedRepository } from '../revisioned/revisioned.repository';

/** What applying a result did; `dropped`/`unchanged` results change nothing. */
export type ApplyOutcome = 'applied' | 'unchanged' | 'dropped';

/**
 * Applies worker results, idempotently, each in one transaction with its resource locked: only a
 * `pending` resource changes, so a result delivered twice changes nothing; results for deleted
 * resources, superseded uploads, older host revisions and older republish requests are dropped.
 * What a build does to its library (cleared flags, or publish) is the lifecycle's (library-lifecycle.ts).
 */
@Injectable()
export class ResultsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly builds: BuildsRepository,
    private readonly libraries: LibrariesRepository,
    private readonly holdings: LibraryResourcesRepository,
    private readonly revisioned: RevisionedRepository,
    private readonly staleness: LibraryStaleness,
    private readonly packages: ExtensionPackagesRepository,
    private readonly hosts: HostsRepository,
  ) {}

  applyBuild(result: BuildResult): Promise<ApplyOutcome> {
    return this.transactions.run(async (tx) => {
      const build = await this.builds.findForUpdate(tx, result.buildId);
      if (build === undefined) {
        return 'dropped';
      }
      if (build.status !== 'pending') {
        return 'unchanged';
      }
      const now = new Date();
      const details = result.status === 'failed' ? toStatusDetails(result.failures, { meta: { build_id: build.id, attempt: result.attempt } }) : null;
      await this.builds.setResult(tx, build.id, { status: result.status, details, files: result.files }, now);
      await this.applyToLibrary(tx, build, result.status, now);
      return 'applied';
    });
  }

  /** The build's library as the lifecycle says (a production build publishes it, and its own revisions). */
  private async applyToLibrary(tx: Db, build: BuildRow, status: string, now: Date): Promise<void> {
    const library = await this.libraries.findForUpdate(tx, build.library_id);
    if (library === undefined) {
      return;
    }
    const outcome = buildOutcome(library, build, status, now);
    if (outcome.changes === undefined) {
      return;
    }
    const marks = outcome.transition?.marks;
    // Publishing moves other libraries' upstream (a newer published library, one approved less).
    const before = marks?.upstreamChanged === true ? await this.staleness.upstreams(tx, library.property_id) : undefined;
    await this.libraries.update(tx, library.id, outcome.changes);
    if (before !== undefined) {
      await this.staleness.markUpstreamChanged(tx, library.property_id, before, library.id);
    }
    if (marks?.publishesResources === true) {
      await this.revisioned.markPublished(tx, await this.holdings.ownIds(tx, library.id), now);
    }
  }

  /** Republish outcome: only the latest request of the build, while it is pending, changes anything. */
  applyRepublish(result: RepublishResult): Promise<ApplyOutcome> {
    return this.transactions.run(async (tx) => {
      const build = await this.builds.findForUpdate(tx, result.buildId);
      if (build === undefined || build.republish_sequence !== result.republishSequence) {
        return 'dropped';
      }
      if (build.republish_status !== 'pending') {
        return 'unchanged';
      }
      const details = result.status === 'failed' ? toStatusDetails(result.failures, { meta: { build_id: build.id, step: 'republish', attempt: result.attempt } }) : null;
      await this.builds.setRepublishResult(tx, build.id, result.status, details);
      return 'applied';
    });
  }

  applyPackage(result: ExtensionPackageResult): Promise<ApplyOutcome> {
    return this.transactions.run(async (tx) => {
      const row = await this.packages.findForUpdate(tx, result.extensionPackageId);
      if (row === undefined || row.upload_key !== result.uploadKey) {
        return 'dropped';
      }
      if (row.status !== 'pending') {
        return 'unchanged';
      }
      const manifest: ExtensionManifest | null = result.manifest;
      const details = result.status === 'failed' ? toStatusDetails(result.failures, { meta: { extension_package_id: row.id } }) : null;
      const described =
        manifest !== null && result.status === 'succeeded'
          ? {
              manifest: JSON.stringify(manifest),
              name: manifest.name,
              display_name: manifest.displayName,
              description: manifest.description ?? null,
              version: manifest.version,
              platform: manifest.platform,
            }
          : {};
      await this.packages.update(row.id, { status: result.status, status_details: statusDetailsColumn(details), files_prefix: result.filesPrefix, ...described }, tx);
      return 'applied';
    });
  }

  applyHost(result: HostPretestResult): Promise<ApplyOutcome> {
    return this.transactions.run(async (tx) => {
      const host = await this.hosts.findForUpdate(tx, result.hostId);
      if (host === undefined || host.revision !== result.hostRevision) {
        return 'dropped';
      }
      if (host.status !== 'pending') {
        return 'unchanged';
      }
      const details = result.status === 'failed' ? toStatusDetails(result.failures, { meta: { host_id: host.id, step: 'pretest' } }) : null;
      await this.hosts.setPretestResult(tx, host.id, result.status, details);
      return 'applied';
    });
  }
}

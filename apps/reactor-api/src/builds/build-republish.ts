import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { JobName, type JobItem } from '@openexp/queue-contracts';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { RequestRelationships } from '../common/request-relationships';
import { ScopeRepository } from '../common/scope.repository';
import type { BuildRow, HostRow } from '../database/schema';
import { Transactions } from '../database/transactions';
import { libraryPath, type EnvironmentView } from '../environments/environment-view';
import { HostsRepository } from '../hosts/hosts.repository';
import { EnvironmentsService } from '../environments/environments.service';
import { actionOf, parseResourceDocument } from '../jsonapi/request-document';
import { assertRepublishable, REPUBLISH_RIGHT, REPUBLISHABLE_RECENT_BUILDS } from '../libraries/library-lifecycle';
import { WorkQueue } from '../queues/work-queue';
import type { BuildView } from './builds.presenter';
import { BuildsRepository } from './builds.repository';
import { BuildsService } from './builds.service';

/** `PATCH /builds/{id}` with `meta.action: republish` (§2.6). */
@Injectable()
export class BuildRepublish {
  constructor(
    private readonly transactions: Transactions,
    private readonly repository: BuildsRepository,
    private readonly scope: ScopeRepository,
    private readonly builds: BuildsService,
    private readonly environments: EnvironmentsService,
    private readonly hosts: HostsRepository,
    private readonly queue: WorkQueue,
    private readonly audit: AuditService,
    private readonly relationships: RequestRelationships,
  ) {}

  /**
   * `meta.action: republish` (§2.6): accepted at once with `republish_status: "pending"`; a
   * RepublishBuild job makes the build-worker copy the build's production files over the managed
   * host's current entries, and its result sets `succeeded`, or `failed` with `meta.status_details`.
   * Each request bumps `republish_sequence`, so a later request is a new job and the result of an
   * earlier one, arriving late, is dropped.
   */
  async republish(auth: AuthContext, id: string, body: unknown): Promise<BuildView> {
    const build = await this.checkedRepublish(auth, id, body);
    const environment = await this.environments.get(auth, build.environment_id);
    const recentBuildIds = await this.repository.recentSucceededProduction(build.environment_id, REPUBLISHABLE_RECENT_BUILDS);
    assertRepublishable({ build, environment: { hostTypeOf: environment.hostTypeOf, archive: environment.row.archive }, recentBuildIds });
    const host = await this.hosts.findById(environment.row.host_id);
    if (host === undefined) {
      throw new Error(`host ${environment.row.host_id} of environment ${environment.row.id} vanished`);
    }
    const requestedAt = new Date();
    const { row, view } = await this.transactions.run(async (tx) => {
      const updated = await this.repository.requestRepublish(tx, id, requestedAt);
      const updatedView = await this.builds.view(updated, tx);
      await this.audit.record(tx, { companyId: auth.companyId, propertyId: updated.property_id, entityType: 'builds', singular: 'build', action: 'updated', view: updatedView });
      return { row: updated, view: updatedView };
    });
    await this.queue.enqueueOrMarkFailed(republishJob(row, requestedAt, environment, host), (details) => this.repository.markRepublishFailed(row.id, row.republish_sequence, details));
    return view;
  }

  /** The request document (links may only repeat the build's), its action and the caller's right. */
  private async checkedRepublish(auth: AuthContext, id: string, body: unknown): Promise<BuildRow> {
    const input = parseResourceDocument(body, { type: 'builds', id });
    const action = actionOf(input);
    const build = await this.scope.build(auth.companyId, id);
    // Builds are immutable: their links (as a GET shows them) may be sent back, not changed.
    await this.relationships.check(auth, input, {
      library: { type: 'libraries', fixed: build.library_id },
      environment: { type: 'environments', fixed: build.environment_id },
      property: { type: 'properties', fixed: build.property_id },
    });
    if (action !== 'republish') {
      throw new ReactorError('invalid-action', `Builds support meta.action "republish"${action === undefined ? '' : `, not "${action}"`}.`, { pointer: '/data/meta' });
    }
    auth.require(REPUBLISH_RIGHT, 'republish builds');
    return build;
  }
}

/** The RepublishBuild job of a request: the build's production files onto the managed host. */
function republishJob(row: BuildRow, requestedAt: Date, environment: EnvironmentView, host: Pick<HostRow, 'id' | 'name'>): JobItem {
  return {
    name: JobName.RepublishBuild,
    data: {
      buildId: row.id,
      republishSequence: row.republish_sequence,
      requestedAt: requestedAt.toISOString(),
      build: { id: row.id, token: row.token, createdAt: row.created_at.toISOString() },
      environment: { id: environment.row.id, token: environment.row.token, stage: 'production', libraryPath: libraryPath(environment) },
      host: { id: host.id, type: 'akamai', name: host.name },
    },
  };
}

import { Inject, Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { JobName } from '@openexp/queue-contracts';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { RequestRelationships } from '../common/request-relationships';
import { ScopeRepository } from '../common/scope.repository';
import { DB, type Db } from '../database/database';
import { statusDetailsColumn } from '../database/status-details';
import { libraryPath } from '../environments/environment-view';
import { EnvironmentsService } from '../environments/environments.service';
import { presentEnvironment } from '../environments/environments.presenter';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { parseListQuery } from '../jsonapi/list-query';
import { runList } from '../database/list-sql';
import { actionOf, parseResourceDocument } from '../jsonapi/request-document';
import { LibrariesService } from '../libraries/libraries.service';
import { assertRepublishable, REPUBLISH_RIGHT, REPUBLISHABLE_RECENT_BUILDS } from '../libraries/library-lifecycle';
import { presentLibrary } from '../libraries/libraries.presenter';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { WorkQueue } from '../queues/work-queue';
import { presentRevisioned } from '../revisioned/revisioned.presenter';
import { REVISIONED_COLUMNS } from '../revisioned/revisioned.types';
import type { BuildView } from './builds.presenter';
import { BuildsService } from './builds.service';

/** Related resources of a build, and republish (§2.6). */
@Injectable()
export class BuildRelated {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(LINKS) private readonly links: Links,
    private readonly scope: ScopeRepository,
    private readonly builds: BuildsService,
    private readonly libraries: LibrariesService,
    private readonly environments: EnvironmentsService,
    private readonly properties: PropertiesService,
    private readonly queue: WorkQueue,
    private readonly audit: AuditService,
    private readonly relationships: RequestRelationships,
  ) {}

  async document(auth: AuthContext, id: string, relationship: string, query: unknown): Promise<SingleDocument | ListDocument> {
    const { row } = await this.builds.get(auth, id);
    switch (relationship) {
      case 'library':
        return single(presentLibrary(await this.libraries.get(auth, row.library_id), this.links));
      case 'environment':
        return single(presentEnvironment(await this.environments.get(auth, row.environment_id), this.links));
      case 'property':
        return single(presentProperty(await this.properties.get(auth, row.property_id), this.links, [...auth.rights]));
      default: {
        const base = this.db
          .selectFrom('revisioned')
          .innerJoin('build_resources', 'build_resources.resource_id', 'revisioned.id')
          .selectAll('revisioned')
          .where('build_resources.build_id', '=', id)
          .where('build_resources.resource_type', '=', relationship);
        return list(await runList(base, 'revisioned', parseListQuery(query, REVISIONED_COLUMNS), REVISIONED_COLUMNS), (r) => presentRevisioned(r, this.links));
      }
    }
  }

  /**
   * `meta.action: republish` (§2.6): accepted at once with `republish_status: "pending"`; a
   * RepublishBuild job makes the build-worker copy the build's production files over the managed
   * host's current entries, and its result sets `succeeded`, or `failed` with `meta.status_details`.
   * Each request bumps `republish_sequence`, so a later request is a new job and the result of an
   * earlier one, arriving late, is dropped.
   */
  async republish(auth: AuthContext, id: string, body: unknown): Promise<BuildView> {
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
    const environment = await this.environments.get(auth, build.environment_id);
    const recent = await this.db
      .selectFrom('builds')
      .select('id')
      .where('environment_id', '=', build.environment_id)
      .where('stage', '=', 'production')
      .where('status', '=', 'succeeded')
      .orderBy('created_at', 'desc')
      .limit(REPUBLISHABLE_RECENT_BUILDS)
      .execute();
    assertRepublishable({ build, environment: { hostTypeOf: environment.hostTypeOf, archive: environment.row.archive }, recentBuildIds: recent.map((b) => b.id) });
    const host = await this.db.selectFrom('hosts').select(['id', 'name']).where('id', '=', environment.row.host_id).executeTakeFirstOrThrow();
    const requestedAt = new Date();
    const { row, view } = await this.db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('builds')
        .set((eb) => ({ republish_sequence: eb('republish_sequence', '+', 1), republish_status: 'pending', republish_status_details: null, updated_at: requestedAt }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const updatedView = await this.builds.view(updated, tx);
      await this.audit.record(tx, { companyId: auth.companyId, propertyId: updated.property_id, entityType: 'builds', singular: 'build', action: 'updated', view: updatedView });
      return { row: updated, view: updatedView };
    });
    await this.queue.enqueueOrMarkFailed(
      {
        name: JobName.RepublishBuild,
        data: {
          buildId: row.id,
          republishSequence: row.republish_sequence,
          requestedAt: requestedAt.toISOString(),
          build: { id: row.id, token: row.token, createdAt: row.created_at.toISOString() },
          environment: { id: environment.row.id, token: environment.row.token, stage: 'production', libraryPath: libraryPath(environment) },
          host: { id: host.id, type: 'akamai', name: host.name },
        },
      },
      async (details) => {
        await this.db
          .updateTable('builds')
          .set({ republish_status: 'failed', republish_status_details: statusDetailsColumn(details), updated_at: new Date() })
          .where('id', '=', row.id)
          .where('republish_sequence', '=', row.republish_sequence)
          .execute();
      },
    );
    return view;
  }
}

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { JobName } from '@openexp/queue-contracts';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { newId, newToken } from '../common/ids';
import { ScopeRepository } from '../common/scope.repository';
import { DB, type Db } from '../database/database';
import { statusDetailsColumn } from '../database/status-details';
import type { BuildRow } from '../database/schema';
import { artifactUrl } from '../environments/environment-view';
import { EnvironmentsRepository } from '../environments/environments.repository';
import { parseListQuery, type ListColumns, type Page } from '../jsonapi/list-query';
import { runList } from '../database/list-sql';
import { assertBuildable, assertEnvironmentAssigned, buildRightFor } from '../libraries/library-lifecycle';
import { LibraryResolver } from '../libraries/library-resolver';
import { assertUpgradedExtensionsIncluded } from '../libraries/upgraded-extension-check';
import { WorkQueue } from '../queues/work-queue';
import { presentBuild, type BuildView } from './builds.presenter';
import { SnapshotBuilder } from './snapshot.builder';

export const BUILD_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', status: 'text', token: 'text' };

@Injectable()
export class BuildsService implements OnModuleInit {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly scope: ScopeRepository,
    private readonly environments: EnvironmentsRepository,
    private readonly resolver: LibraryResolver,
    private readonly snapshots: SnapshotBuilder,
    private readonly queue: WorkQueue,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.audit.register<BuildView>('builds', (view, links) => presentBuild(view, links));
  }

  async list(auth: AuthContext, owner: 'libraries' | 'environments', id: string, query: unknown): Promise<Page<BuildView>> {
    if (owner === 'libraries') {
      await this.scope.library(auth.companyId, id);
    } else {
      await this.scope.environment(auth.companyId, id);
    }
    const column = owner === 'libraries' ? 'builds.library_id' : 'builds.environment_id';
    const base = this.db.selectFrom('builds').selectAll('builds').where(column, '=', id);
    const page = await runList(base, 'builds', parseListQuery(query, BUILD_COLUMNS), BUILD_COLUMNS);
    return { ...page, items: await Promise.all(page.items.map((b) => this.view(b))) };
  }

  async get(auth: AuthContext, id: string): Promise<BuildView> {
    return this.view(await this.scope.build(auth.companyId, id));
  }

  async view(row: BuildRow, db: Db = this.db): Promise<BuildView> {
    const environment = await db.selectFrom('environments').selectAll().where('id', '=', row.environment_id).executeTakeFirst();
    if (environment === undefined) {
      return { row, artifactUrl: null, directArtifactUrl: null, archive: row.archive };
    }
    const env = await this.environments.view(environment, db);
    return { row, artifactUrl: artifactUrl(env, undefined, row.archive), directArtifactUrl: artifactUrl(env, row.token, row.archive), archive: row.archive };
  }

  /** Every synchronous check of §4.1, then a pending build, its resolved contents and its job. */
  async create(auth: AuthContext, libraryId: string): Promise<BuildView> {
    const library = await this.scope.library(auth.companyId, libraryId);
    assertEnvironmentAssigned(library);
    const environment = await this.scope.environment(auth.companyId, library.environment_id);
    auth.require(buildRightFor(environment.stage), `build for a ${environment.stage} environment`);
    const environmentHost = await this.db.selectFrom('hosts').selectAll().where('id', '=', environment.host_id).executeTakeFirst();
    const upstream = await this.resolver.upstreamOf(library);
    const upstreamBuild =
      upstream === undefined || upstream.last_build_id === null ? undefined : await this.db.selectFrom('builds').select('status').where('id', '=', upstream.last_build_id).executeTakeFirst();
    // The lifecycle's pre-build checks (§4.1), in their order; the upgraded-extension check needs the contents (below).
    const host = assertBuildable({
      library,
      environment,
      host: environmentHost,
      upstream: upstream === undefined ? undefined : { id: upstream.id, state: upstream.state, lastBuildStatus: upstreamBuild?.status },
    });
    const envView = await this.environments.view(environment);
    const property = await this.scope.property(auth.companyId, library.property_id);
    const company = await this.scope.company(auth.companyId, property.company_id);
    const { row, snapshot } = await this.db.transaction().execute(async (tx) => {
      // The contents checked are the contents built: resolved once, in the build's transaction.
      const contents = await this.resolver.resolve(library, tx);
      await assertUpgradedExtensionsIncluded(tx, library, contents);
      const now = new Date();
      const build = await tx
        .insertInto('builds')
        .values({
          id: newId('builds'),
          library_id: library.id,
          property_id: library.property_id,
          environment_id: environment.id,
          stage: environment.stage,
          host_type_of: host.type_of,
          status: 'pending',
          token: newToken(),
          status_details: null,
          republish_status: null,
          archive: environment.archive,
          files: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (contents.size > 0) {
        await tx
          .insertInto('build_resources')
          .values([...contents.values()].map((r) => ({ build_id: build.id, resource_id: r.id, resource_type: r.type })))
          .execute();
      }
      await tx.updateTable('libraries').set({ last_build_id: build.id, updated_at: now }).where('id', '=', library.id).execute();
      const snap = await this.snapshots.build(tx, { company, property, environment, host, library, build, publicPath: envView.publicPath, contents });
      await this.audit.record(tx, { companyId: auth.companyId, propertyId: library.property_id, entityType: 'builds', singular: 'build', action: 'created', view: await this.view(build, tx) });
      return { row: build, snapshot: snap };
    });
    await this.queue.enqueueOrMarkFailed({ name: JobName.BuildLibrary, data: { buildId: row.id, snapshot } }, async (details) => {
      await this.db.updateTable('builds').set({ status: 'failed', status_details: statusDetailsColumn(details), updated_at: new Date() }).where('id', '=', row.id).execute();
    });
    return this.view(row);
  }

  /** Resources of a build (its resolved snapshot). */
  async resources(auth: AuthContext, id: string, type: string) {
    await this.scope.build(auth.companyId, id);
    return this.db
      .selectFrom('build_resources')
      .innerJoin('revisioned', 'revisioned.id', 'build_resources.resource_id')
      .selectAll('revisioned')
      .where('build_resources.build_id', '=', id)
      .where('build_resources.resource_type', '=', type)
      .orderBy('revisioned.created_at')
      .execute();
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { JobName, type BuildSnapshot } from '@openexp/queue-contracts';
import type { Insertable } from 'kysely';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { newId, newToken } from '../common/ids';
import { ScopeRepository } from '../common/scope.repository';
import type { Db } from '../database/database';
import type { BuildRow, BuildsTable, EnvironmentRow, HostRow, LibraryRow, PropertyRow, RevisionedRow } from '../database/schema';
import { Transactions } from '../database/transactions';
import { artifactUrl } from '../environments/environment-view';
import { EnvironmentsRepository } from '../environments/environments.repository';
import { HostsRepository } from '../hosts/hosts.repository';
import { parseListQuery, type ListColumns, type Page } from '../jsonapi/list-query';
import { assertBuildable, assertEnvironmentAssigned, buildRightFor } from '../libraries/library-lifecycle';
import { LibrariesRepository } from '../libraries/libraries.repository';
import { LibraryResolver } from '../libraries/library-resolver';
import { assertUpgradedExtensionsIncluded } from '../libraries/upgraded-extension-check';
import { WorkQueue } from '../queues/work-queue';
import { RevisionedRepository } from '../revisioned/revisioned.repository';
import { presentBuild, type BuildView } from './builds.presenter';
import { BuildsRepository } from './builds.repository';
import { SnapshotBuilder, type SnapshotInput } from './snapshot.builder';

export const BUILD_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', status: 'text', token: 'text' };

@Injectable()
export class BuildsService implements OnModuleInit {
  constructor(
    private readonly transactions: Transactions,
    private readonly repository: BuildsRepository,
    private readonly scope: ScopeRepository,
    private readonly environments: EnvironmentsRepository,
    private readonly hosts: HostsRepository,
    private readonly libraries: LibrariesRepository,
    private readonly revisioned: RevisionedRepository,
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
    const page = await this.repository.listOf(owner, id, parseListQuery(query, BUILD_COLUMNS), BUILD_COLUMNS);
    return { ...page, items: await Promise.all(page.items.map((b) => this.view(b))) };
  }

  async get(auth: AuthContext, id: string): Promise<BuildView> {
    return this.view(await this.scope.build(auth.companyId, id));
  }

  async view(row: BuildRow, db?: Db): Promise<BuildView> {
    const environment = await this.environments.findById(row.environment_id, db);
    if (environment === undefined) {
      return { row, artifactUrl: null, directArtifactUrl: null, archive: row.archive };
    }
    const env = await this.environments.view(environment, db);
    return { row, artifactUrl: artifactUrl(env, undefined, row.archive), directArtifactUrl: artifactUrl(env, row.token, row.archive), archive: row.archive };
  }

  /** Every synchronous check of §4.1, then a pending build, its resolved contents and its job. */
  async create(auth: AuthContext, libraryId: string): Promise<BuildView> {
    const target = await this.checkedTarget(auth, libraryId);
    const { row, snapshot } = await this.transactions.run((tx) => this.insertBuild(tx, auth, target));
    await this.queue.enqueueOrMarkFailed({ name: JobName.BuildLibrary, data: { buildId: row.id, snapshot } }, (details) => this.repository.markFailed(row.id, details));
    return this.view(row);
  }

  /** The library, its environment and host, once the caller's right and the lifecycle's pre-build checks (§4.1, in their order) pass. */
  private async checkedTarget(auth: AuthContext, libraryId: string): Promise<BuildTarget> {
    const library = await this.scope.library(auth.companyId, libraryId);
    const property = await this.scope.property(auth.companyId, library.property_id);
    assertPlatformBuilt(property);
    assertEnvironmentAssigned(library);
    const environment = await this.scope.environment(auth.companyId, library.environment_id);
    auth.require(buildRightFor(environment.stage), `build for a ${environment.stage} environment`);
    const environmentHost = await this.hosts.findById(environment.host_id);
    const upstream = await this.resolver.upstreamOf(library);
    const upstreamBuildStatus = upstream === undefined ? undefined : await this.libraries.lastBuildStatus(upstream.last_build_id);
    // The upgraded-extension check needs the contents: it runs in the build's transaction (insertBuild).
    const host = assertBuildable({
      library,
      environment,
      host: environmentHost,
      upstream: upstream === undefined ? undefined : { id: upstream.id, state: upstream.state, lastBuildStatus: upstreamBuildStatus },
    });
    const envView = await this.environments.view(environment);
    const company = await this.scope.company(auth.companyId, property.company_id);
    return { library, environment, host, property, company, publicPath: envView.publicPath };
  }

  /** The build row, its contents, the library's last build and the job's snapshot, in the build's transaction. */
  private async insertBuild(tx: Db, auth: AuthContext, target: BuildTarget): Promise<{ row: BuildRow; snapshot: BuildSnapshot }> {
    const { library, environment, host } = target;
    // The contents checked are the contents built: resolved once, in the build's transaction.
    const contents = await this.resolver.resolve(library, tx);
    assertUpgradedExtensionsIncluded(await this.revisioned.extensionRevisions(tx, library.property_id), library, contents);
    const now = new Date();
    const build = await this.repository.insert(tx, newBuild(library, environment, host, now));
    await this.repository.insertResources(tx, build.id, [...contents.values()]);
    await this.libraries.update(tx, library.id, { last_build_id: build.id, updated_at: now });
    const snapshot = await this.snapshots.build(tx, { ...target, build, contents });
    await this.audit.record(tx, { companyId: auth.companyId, propertyId: library.property_id, entityType: 'builds', singular: 'build', action: 'created', view: await this.view(build, tx) });
    return { row: build, snapshot };
  }

  /** Resources of a build (its resolved snapshot). */
  async resources(auth: AuthContext, id: string, type: string): Promise<RevisionedRow[]> {
    await this.scope.build(auth.companyId, id);
    return this.repository.resources(id, type);
  }
}

/**
 * Platforms this server builds libraries for: web (a browser script with turbine) and edge (an
 * event forwarding container for turbine-edge). A build of any other (mobile) answers at once,
 * before anything is queued.
 */
const BUILT_PLATFORMS: ReadonlySet<string> = new Set(['web', 'edge']);

function assertPlatformBuilt(property: PropertyRow): void {
  if (!BUILT_PLATFORMS.has(property.platform)) {
    throw new ReactorError('platform-not-supported', `Property ${property.id} is a ${property.platform} property; this server builds libraries for web and edge properties only.`, {
      meta: { platform: property.platform },
    });
  }
}

/** What a build is made for, checked. */
type BuildTarget = Omit<SnapshotInput, 'build' | 'contents'>;

function newBuild(library: LibraryRow, environment: EnvironmentRow, host: HostRow, now: Date): Insertable<BuildsTable> {
  return {
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
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { BlobStore } from '@openexp/blob-store';
import { ReactorError } from '@openexp/errors';
import type { AuthContext } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import { DB, type Db } from '../database/database';
import { libraryBaseName } from '../environments/environment-view';
import { EnvironmentsService } from '../environments/environments.service';
import { presentEnvironment } from '../environments/environments.presenter';
import { BLOB_STORE } from '../hosted/blob.provider';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { parseListQuery } from '../jsonapi/list-query';
import { runList } from '../jsonapi/list-sql';
import { actionOf, parseResourceDocument } from '../jsonapi/request-document';
import { LibrariesService } from '../libraries/libraries.service';
import { presentLibrary } from '../libraries/libraries.presenter';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { presentRevisioned } from '../revisioned/revisioned.presenter';
import { REVISIONED_COLUMNS } from '../revisioned/revisioned.types';
import type { BuildView } from './builds.presenter';
import { BuildsService } from './builds.service';

/** Related resources of a build, and republish (§2.6). */
@Injectable()
export class BuildRelated {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(LINKS) private readonly links: Links,
    private readonly scope: ScopeRepository,
    private readonly builds: BuildsService,
    private readonly libraries: LibrariesService,
    private readonly environments: EnvironmentsService,
    private readonly properties: PropertiesService,
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
   * `meta.action: republish`: repoints the production entry files of a managed host at one of its
   * five most recent succeeded production builds. The copy happens within the request, so the
   * answer carries `republish_status: "succeeded"` (or the error).
   */
  async republish(auth: AuthContext, id: string, body: unknown): Promise<BuildView> {
    const action = actionOf(parseResourceDocument(body, { type: 'builds', id }));
    const build = await this.scope.build(auth.companyId, id);
    if (action !== 'republish') {
      throw new ReactorError('invalid-action', `Builds support meta.action "republish"${action === undefined ? '' : `, not "${action}"`}.`, { pointer: '/data/meta' });
    }
    auth.require('publish', 'republish builds');
    const environment = await this.environments.get(auth, build.environment_id);
    const recent = await this.db
      .selectFrom('builds')
      .select('id')
      .where('environment_id', '=', build.environment_id)
      .where('stage', '=', 'production')
      .where('status', '=', 'succeeded')
      .orderBy('created_at', 'desc')
      .limit(5)
      .execute();
    if (build.stage !== 'production' || environment.hostTypeOf !== 'akamai' || environment.row.archive || !recent.some((b) => b.id === id)) {
      throw new ReactorError('invalid-action', 'Only one of the five most recent succeeded production builds on a managed, non-archive environment can be republished.', {
        pointer: '/data/meta/action',
      });
    }
    const dir = `hosted/${environment.companyToken}/${environment.propertyToken}`;
    const name = libraryBaseName('production', environment.row.token);
    for (const file of [`${name}.js`, `${name}.min.js`]) {
      await this.blobs.put(`${dir}/${file}`, await this.blobs.get(`${dir}/${build.token}/${file}`));
    }
    const row = await this.db.updateTable('builds').set({ republish_status: 'succeeded', updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    return this.builds.view(row);
  }
}

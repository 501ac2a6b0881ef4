import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import type { RevisionedRow } from '../database/schema';
import { EnvironmentsService } from '../environments/environments.service';
import { presentEnvironment } from '../environments/environments.presenter';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Identifier, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { MAX_PAGE_SIZE } from '../jsonapi/list-query';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { presentRevisioned } from '../revisioned/revisioned.presenter';
import { RevisionedService } from '../revisioned/revisioned.service';
import type { RevisionedType } from '../revisioned/revisioned.types';
import { LibrariesService } from './libraries.service';
import { presentLibrary } from './libraries.presenter';
import { LibraryResourcesRepository } from './library-resources.repository';
import { LibraryResourcesService, type LibraryResourceType } from './library-resources.service';

/**
 * Related-resource documents of a library (`GET /libraries/{id}/{relationship}`), and the
 * libraries related to resources of the contexts below (`GET /environments/{id}/library`,
 * `GET /{rules|…}/{id}/libraries`): libraries sit above environments and revisioned resources, so
 * those routes are the libraries context's.
 */
@Injectable()
export class LibraryRelated {
  constructor(
    private readonly libraries: LibrariesService,
    private readonly resourcesService: LibraryResourcesService,
    private readonly environments: EnvironmentsService,
    private readonly properties: PropertiesService,
    private readonly revisioned: RevisionedService,
    private readonly holdings: LibraryResourcesRepository,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  resources(auth: AuthContext, id: string, type: LibraryResourceType): Promise<RevisionedRow[]> {
    return this.resourcesService.list(auth, id, type);
  }

  async environmentLinkage(auth: AuthContext, id: string): Promise<Identifier | null> {
    const { row } = await this.libraries.get(auth, id);
    return row.environment_id === null ? null : { id: row.environment_id, type: 'environments' };
  }

  async document(auth: AuthContext, id: string, relationship: string): Promise<SingleDocument | ListDocument | { data: null }> {
    const view = await this.libraries.get(auth, id);
    switch (relationship) {
      case 'property':
        return single(presentProperty(await this.properties.get(auth, view.row.property_id), this.links, [...auth.rights]));
      case 'environment':
        return view.row.environment_id === null ? { data: null } : single(presentEnvironment(await this.environments.get(auth, view.row.environment_id), this.links));
      case 'upstream_library':
        return view.upstreamId === null ? { data: null } : single(presentLibrary(await this.libraries.get(auth, view.upstreamId), this.links));
      default: {
        const rows = await this.resourcesService.list(auth, id, relationship as LibraryResourceType);
        return list({ items: rows, page: { number: 1, size: Math.max(rows.length, MAX_PAGE_SIZE) }, total: rows.length }, (r) => presentRevisioned(r, this.links));
      }
    }
  }

  /** The library assigned to the environment, or `data: null`. */
  async ofEnvironment(auth: AuthContext, environmentId: string): Promise<SingleDocument | { data: null }> {
    const { libraryId } = await this.environments.get(auth, environmentId);
    return libraryId === null ? { data: null } : single(presentLibrary(await this.libraries.get(auth, libraryId), this.links));
  }

  /** The libraries holding the revisioned resource. */
  async holding(auth: AuthContext, type: RevisionedType, id: string): Promise<ListDocument> {
    const row = await this.revisioned.get(auth, type, id);
    const views = await Promise.all((await this.holdings.libraryIdsHolding(row.id)).map((libraryId) => this.libraries.get(auth, libraryId)));
    const data = views.map((v) => presentLibrary(v, this.links));
    return list({ items: data, page: { number: 1, size: Math.max(data.length, 25) }, total: data.length }, (d) => d);
  }
}

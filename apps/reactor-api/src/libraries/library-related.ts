import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import type { RevisionedRow } from '../database/schema';
import { EnvironmentsService } from '../environments/environments.service';
import { presentEnvironment } from '../environments/environments.presenter';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Identifier, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { presentRevisioned } from '../revisioned/revisioned.presenter';
import { RevisionedService } from '../revisioned/revisioned.service';
import type { RevisionedType } from '../revisioned/revisioned.types';
import { LibrariesService } from './libraries.service';
import { presentLibrary } from './libraries.presenter';
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
    @Inject(LINKS) private readonly links: Links,
  ) {}

  resources(auth: AuthContext, id: string, type: LibraryResourceType): Promise<RevisionedRow[]> {
    return this.resourcesService.list(auth, id, type);
  }

  async environmentLinkage(auth: AuthContext, id: string): Promise<Identifier | null> {
    const { row } = await this.libraries.get(auth, id);
    return row.environment_id === null ? null : { id: row.environment_id, type: 'environments' };
  }

  async document(auth: AuthContext, id: string, relationship: string, query: unknown): Promise<SingleDocument | ListDocument | { data: null }> {
    const view = await this.libraries.get(auth, id);
    switch (relationship) {
      case 'property':
        return single(presentProperty(await this.properties.get(auth, view.row.property_id), this.links, [...auth.rights]));
      case 'environment':
        return view.row.environment_id === null ? { data: null } : single(presentEnvironment(await this.environments.get(auth, view.row.environment_id), this.links));
      case 'upstream_library':
        return view.upstreamId === null ? { data: null } : single(presentLibrary(await this.libraries.get(auth, view.upstreamId), this.links));
      default:
        return list(await this.resourcesService.page(auth, id, relationship as LibraryResourceType, query), (r) => presentRevisioned(r, this.links));
    }
  }

  /** The library assigned to the environment, or `data: null`. */
  async ofEnvironment(auth: AuthContext, environmentId: string): Promise<SingleDocument | { data: null }> {
    const { libraryId } = await this.environments.get(auth, environmentId);
    return libraryId === null ? { data: null } : single(presentLibrary(await this.libraries.get(auth, libraryId), this.links));
  }

  /** The libraries holding the revisioned resource (of the caller's company, so are they). */
  async holding(auth: AuthContext, type: RevisionedType, id: string, query: unknown): Promise<ListDocument> {
    const row = await this.revisioned.get(auth, type, id);
    return list(await this.libraries.listHolding(row.id, query), (v) => presentLibrary(v, this.links));
  }
}

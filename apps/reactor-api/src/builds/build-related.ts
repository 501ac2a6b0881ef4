import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { EnvironmentsService } from '../environments/environments.service';
import { presentEnvironment } from '../environments/environments.presenter';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { parseListQuery } from '../jsonapi/list-query';
import { LibrariesService } from '../libraries/libraries.service';
import { presentLibrary } from '../libraries/libraries.presenter';
import { presentProperty } from '../properties/properties.presenter';
import { PropertiesService } from '../properties/properties.service';
import { presentRevisioned } from '../revisioned/revisioned.presenter';
import { REVISIONED_COLUMNS } from '../revisioned/revisioned.types';
import { BuildsRepository } from './builds.repository';
import { BuildsService } from './builds.service';

/** Related resources of a build (`GET /builds/{id}/{relationship}`). */
@Injectable()
export class BuildRelated {
  constructor(
    private readonly repository: BuildsRepository,
    @Inject(LINKS) private readonly links: Links,
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
      default:
        return list(await this.repository.listResources(id, relationship, parseListQuery(query, REVISIONED_COLUMNS), REVISIONED_COLUMNS), (r) => presentRevisioned(r, this.links));
    }
  }
}

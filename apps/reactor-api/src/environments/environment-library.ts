import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { LINKS } from '../jsonapi/links.provider';
import { single, type Links, type SingleDocument } from '../jsonapi/document';
import { LibrariesService } from '../libraries/libraries.service';
import { presentLibrary } from '../libraries/libraries.presenter';

/** `GET /environments/{id}/library`: the library assigned to the environment, or `data: null`. */
@Injectable()
export class EnvironmentLibrary {
  constructor(
    private readonly libraries: LibrariesService,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  async document(auth: AuthContext, libraryId: string | null): Promise<SingleDocument | { data: null }> {
    return libraryId === null ? { data: null } : single(presentLibrary(await this.libraries.get(auth, libraryId), this.links));
  }
}

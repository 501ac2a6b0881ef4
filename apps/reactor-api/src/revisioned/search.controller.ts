import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import type { Links, ResourceObject } from '../jsonapi/document';
import { LINKS } from '../jsonapi/links.provider';
import { presentRevisioned } from './revisioned.presenter';
import { SearchService } from './search.service';

export interface SearchDocument {
  data: Array<Omit<ResourceObject, 'meta'>>;
  meta: { total_hits: number; total_hits_relation: 'eq' | 'gte'; from: number; size: number };
}

@Controller()
export class SearchController {
  constructor(
    private readonly search: SearchService,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  /** The matching resources as every other route presents them (resource `meta` left out, as Adobe's search does). */
  @Post('search')
  @HttpCode(200)
  async run(@Auth() auth: AuthContext, @Body() body: unknown): Promise<SearchDocument> {
    const result = await this.search.search(auth, body);
    const data = result.rows.map((row) => {
      const { meta: _meta, ...resource } = presentRevisioned(row, this.links);
      return resource;
    });
    return { data, meta: { total_hits: result.total, total_hits_relation: result.capped ? 'gte' : 'eq', from: result.from, size: result.size } };
  }
}

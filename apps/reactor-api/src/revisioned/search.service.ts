import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import type { RevisionedRow } from '../database/schema';
import { parseSearchDocument } from './search-document';
import { SearchRepository } from './search.repository';

export interface SearchResult {
  rows: RevisionedRow[];
  total: number;
  /** More than `total` (MAX_TOTAL_HITS) match. */
  capped: boolean;
  from: number;
  size: number;
}

/** Adobe's search resource (`POST /search`): the query document parsed, answered in the caller's company. */
@Injectable()
export class SearchService {
  constructor(private readonly repository: SearchRepository) {}

  async search(auth: AuthContext, body: unknown): Promise<SearchResult> {
    const query = parseSearchDocument(body);
    const { rows, total, capped } = await this.repository.search(auth.companyId, query);
    return { rows, total, capped, from: query.from, size: query.size };
  }
}

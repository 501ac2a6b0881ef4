/*
 * JSON:API documents of the management API, shaped like the Reactor API's (reactor-api.md §1.3):
 * resources with `id`, `type`, `attributes`, `relationships`, `links`, `meta`; lists with
 * `meta.pagination`.
 */

export const JSON_API = 'application/vnd.api+json';

export interface ApiResource {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, { links: { related?: string }; data: { id: string; type: string } | null }>;
  links: Record<string, string>;
  meta: Record<string, unknown>;
}

export interface SingleDocument {
  data: ApiResource;
}

export interface Pagination {
  current_page: number;
  next_page: number | null;
  prev_page: number | null;
  total_pages: number;
  total_count: number;
}

export interface ListDocument {
  data: ApiResource[];
  meta: { pagination: Pagination };
}

/** `page[number]` (1-based) and `page[size]`. */
export interface PageRequest {
  number: number;
  size: number;
}

/** One page of items and the size of the whole filtered set. */
export interface Page<T> {
  items: T[];
  page: PageRequest;
  total: number;
}

export function paginationMeta(page: PageRequest, totalCount: number): Pagination {
  const totalPages = Math.ceil(totalCount / page.size);
  return {
    current_page: page.number,
    next_page: page.number < totalPages ? page.number + 1 : null,
    prev_page: page.number > 1 ? page.number - 1 : null,
    total_pages: totalPages,
    total_count: totalCount,
  };
}

/** The page `page` of `all` (already filtered and sorted). */
export function pageOf<T>(all: readonly T[], page: PageRequest): Page<T> {
  const start = (page.number - 1) * page.size;
  return { items: all.slice(start, start + page.size), page, total: all.length };
}

export function single(data: ApiResource): SingleDocument {
  return { data };
}

export function list<T>(page: Page<T>, present: (item: T) => ApiResource): ListDocument {
  return { data: page.items.map(present), meta: { pagination: paginationMeta(page.page, page.total) } };
}

/** Absolute links from `IS_API_PUBLIC_URL`. */
export class ApiLinks {
  constructor(readonly base: string) {}

  asset(catalog: string, assetId: string): string {
    return `${this.base}/catalogs/${encodeURIComponent(catalog)}/assets/${assetId.split('/').map(encodeURIComponent).join('/')}`;
  }

  job(id: string): string {
    return `${this.base}/jobs/${encodeURIComponent(id)}`;
  }
}

/** Injection token of the {@link ApiLinks}. */
export const API_LINKS = Symbol('API_LINKS');

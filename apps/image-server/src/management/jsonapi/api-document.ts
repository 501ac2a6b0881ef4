/*
 * JSON:API documents of the management API, shaped like the Reactor API's (reactor-api.md §1.3):
 * resources with `id`, `type`, `attributes`, `relationships`, `links`, `meta`; lists with
 * `meta.pagination`.
 */

import { JSON_API_MEDIA_TYPE, paginationMeta, type Pagination } from '@openexp/errors';

export const JSON_API = JSON_API_MEDIA_TYPE;

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

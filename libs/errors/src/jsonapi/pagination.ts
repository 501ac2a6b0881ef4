/** `page[number]` (1-based) and `page[size]` of a list request. */
export interface PageNumberAndSize {
  number: number;
  size: number;
}

/** `meta.pagination` of a JSON:API list, as the Reactor API writes it (reactor-api.md §1.3). */
export interface Pagination {
  current_page: number;
  next_page: number | null;
  prev_page: number | null;
  total_pages: number;
  total_count: number;
}

/** The pagination meta of page `page` of a list of `totalCount` items. */
export function paginationMeta(page: PageNumberAndSize, totalCount: number): Pagination {
  const totalPages = Math.ceil(totalCount / page.size);
  return {
    current_page: page.number,
    next_page: page.number < totalPages ? page.number + 1 : null,
    prev_page: page.number > 1 ? page.number - 1 : null,
    total_pages: totalPages,
    total_count: totalCount,
  };
}

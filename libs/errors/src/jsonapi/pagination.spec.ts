import { paginationMeta } from './pagination';

describe('paginationMeta', () => {
  it('names the neighbours of a middle page and counts the pages', () => {
    expect(paginationMeta({ number: 2, size: 25 }, 60)).toEqual({ current_page: 2, next_page: 3, prev_page: 1, total_pages: 3, total_count: 60 });
  });

  it('has no next page on the last page, no previous one on the first, and zero pages for an empty list', () => {
    expect(paginationMeta({ number: 3, size: 25 }, 60)).toMatchObject({ next_page: null, prev_page: 2 });
    expect(paginationMeta({ number: 1, size: 25 }, 0)).toEqual({ current_page: 1, next_page: null, prev_page: null, total_pages: 0, total_count: 0 });
  });
});

import fc from 'fast-check';
import { paginationMeta, parseFilterValue, parseListQuery, parsePage, parseSort } from './list-query';

const columns = { name: 'text', enabled: 'boolean', revision_number: 'integer', created_at: 'timestamp' } as const;

describe('filters (§1.6)', () => {
  it('parses one operator and value', () => {
    expect(parseFilterValue('EQ core', 'text')).toEqual([{ op: 'EQ', value: 'core' }]);
  });
  it('lets items without an operator inherit the previous one', () => {
    expect(parseFilterValue('EQ a,b', 'text')).toEqual([
      { op: 'EQ', value: 'a' },
      { op: 'EQ', value: 'b' },
    ]);
    expect(parseFilterValue('CONTAINS erido,CONTAINS nzite', 'text')).toEqual([
      { op: 'CONTAINS', value: 'erido' },
      { op: 'CONTAINS', value: 'nzite' },
    ]);
    expect(parseFilterValue('CONTAINS a, b', 'text')).toEqual([
      { op: 'CONTAINS', value: 'a' },
      { op: 'CONTAINS', value: 'b' },
    ]);
  });
  it('keeps wildcards in CONTAINS values', () => {
    expect(parseFilterValue('CONTAINS P%(', 'text')).toEqual([{ op: 'CONTAINS', value: 'P%(' }]);
  });
  it('pairs BETWEEN values and converts by column type', () => {
    expect(parseFilterValue('BETWEEN 1,5', 'integer')).toEqual([{ op: 'BETWEEN', from: 1, to: 5 }]);
    expect(parseFilterValue('BETWEEN 2020-01-01T00:00:00Z,2021-01-01T00:00:00Z', 'timestamp')).toEqual([
      { op: 'BETWEEN', from: new Date('2020-01-01T00:00:00Z'), to: new Date('2021-01-01T00:00:00Z') },
    ]);
    expect(parseFilterValue('EQ true', 'boolean')).toEqual([{ op: 'EQ', value: true }]);
    expect(parseFilterValue('GT 3', 'integer')).toEqual([{ op: 'GT', value: 3 }]);
  });
  it.each([['core'], ['LIKE core'], ['BETWEEN 1'], ['EQ yes'], ['CONTAINS 1']])('treats %p as malformed', (raw) => {
    expect(parseFilterValue(raw, raw === 'EQ yes' ? 'boolean' : raw === 'CONTAINS 1' ? 'integer' : 'text')).toBeNull();
  });
  it('treats integers and timestamps outside what PostgreSQL stores as malformed', () => {
    expect(parseFilterValue('EQ 2147483647', 'integer')).toEqual([{ op: 'EQ', value: 2147483647 }]);
    expect(parseFilterValue('GT -2147483648', 'integer')).toEqual([{ op: 'GT', value: -2147483648 }]);
    expect(parseFilterValue('EQ 2147483648', 'integer')).toBeNull();
    expect(parseFilterValue('LT -99999999999', 'integer')).toBeNull();
    expect(parseFilterValue('LT 0001-01-01T00:00:00Z', 'timestamp')).toEqual([{ op: 'LT', value: new Date('0001-01-01T00:00:00Z') }]);
    expect(parseFilterValue('EQ -118873-11-21T01:06:59.626Z', 'timestamp')).toBeNull();
    expect(parseFilterValue('GT +274452-09-27T18:39:30.038Z', 'timestamp')).toBeNull();
  });
  it('ignores unknown attributes and malformed filters, last repeated value wins, operators are case-insensitive', () => {
    const q = parseListQuery({ 'filter[name]': ['EQ a', 'eq b'], 'filter[nope]': 'EQ x', 'filter[enabled]': 'EQ maybe' }, columns);
    expect(q.filters).toEqual([{ attribute: 'name', terms: [{ op: 'EQ', value: 'b' }] }]);
  });
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('text', 'boolean', 'integer', 'number', 'timestamp' as const), (raw, kind) => {
        const parsed = parseFilterValue(raw, kind);
        expect(parsed === null || parsed.length > 0).toBe(true);
      }),
    );
  });
});

describe('sorting (§1.7)', () => {
  it('reads +, - and a leading space (an unencoded +) and drops unknown attributes', () => {
    expect(parseSort({ sort: ' name,-created_at,bogus' }, columns)).toEqual([
      { attribute: 'name', descending: false },
      { attribute: 'created_at', descending: true },
    ]);
    expect(parseSort({ sort: '+name' }, columns)).toEqual([{ attribute: 'name', descending: false }]);
    expect(parseSort({}, columns)).toEqual([]);
  });
  it('takes only own attributes of the allowlist: inherited names are unknown ones', () => {
    expect(parseSort({ sort: '__proto__,constructor,-toString,hasOwnProperty,-name' }, columns)).toEqual([{ attribute: 'name', descending: true }]);
    expect(parseListQuery({ 'filter[constructor]': 'EQ x', 'filter[__proto__]': 'CONTAINS x' }, columns).filters).toEqual([]);
  });
});

describe('pagination (§1.5)', () => {
  it('defaults to page 1 of 25 and clamps size to 1..100', () => {
    expect(parsePage({})).toEqual({ number: 1, size: 25 });
    expect(parsePage({ 'page[size]': '999', 'page[number]': '3' })).toEqual({ number: 3, size: 100 });
    expect(parsePage({ 'page[size]': '0', 'page[number]': '-2' })).toEqual({ number: 1, size: 1 });
    expect(parsePage({ 'page[size]': 'abc', 'page[number]': 'x' })).toEqual({ number: 1, size: 25 });
  });
  it('refuses a page number past 2147483647 with the parameter named, instead of an offset SQL cannot take', () => {
    expect(parsePage({ 'page[number]': '2147483647' })).toEqual({ number: 2147483647, size: 25 });
    for (const n of ['2147483648', '99999999999999999999', '  3000000000']) {
      expect(() => parsePage({ 'page[number]': n })).toThrow(expect.objectContaining({ code: 'invalid-parameter', parameter: 'page[number]' }));
    }
  });
  it('builds meta.pagination with null ends', () => {
    expect(paginationMeta({ number: 1, size: 2 }, 3)).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 3 });
    expect(paginationMeta({ number: 2, size: 2 }, 3)).toEqual({ current_page: 2, next_page: null, prev_page: 1, total_pages: 2, total_count: 3 });
    expect(paginationMeta({ number: 1, size: 25 }, 0)).toEqual({ current_page: 1, next_page: null, prev_page: null, total_pages: 0, total_count: 0 });
  });
});

import { ReactorError } from '@openexp/errors';
import { parseSearchDocument, SEARCHABLE_TYPES } from './search-document';

const pointerOf = (body: unknown): string => {
  try {
    parseSearchDocument(body);
  } catch (e) {
    return `${(e as ReactorError).code} ${String((e as ReactorError).pointer)}`;
  }
  return 'parsed';
};

describe('parseSearchDocument', () => {
  it('defaults to from 0, size 25, every searchable type, no condition', () => {
    expect(parseSearchDocument({ data: {} })).toEqual({ from: 0, size: 25, clauses: [], sort: [], types: [...SEARCHABLE_TYPES] });
  });

  it('reads Adobe’s example document (value, range with string bounds, sort, resource_types)', () => {
    const query = parseSearchDocument({
      data: {
        from: 0,
        size: 25,
        query: { 'attributes.name': { value: 'Performance' }, 'attributes.revision_number': { range: { lte: '2', gt: '0' } } },
        sort: [{ 'attributes.revision_number': 'desc' }],
        resource_types: ['data_elements', 'rule_components'],
      },
    });
    expect(query.clauses).toEqual([
      { kind: 'value', fields: ['name'], value: 'Performance' },
      { kind: 'range', field: 'revision_number', bounds: { lte: 2, gt: 0 } },
    ]);
    expect(query.sort).toEqual([{ field: 'revision_number', descending: true }]);
    expect(query.types).toEqual(['data_elements', 'rule_components']);
  });

  it('spreads attributes.* over the text fields and compares any scalar as text there', () => {
    const [clause] = parseSearchDocument({ data: { query: { 'attributes.*': { value: 7 } } } }).clauses;
    expect(clause).toMatchObject({ kind: 'value', value: '7' });
    expect(clause?.kind === 'value' && clause.fields).toEqual(expect.arrayContaining(['name', 'settings', 'delegate_descriptor_id']));
  });

  it('never takes inherited names for fields', () => {
    expect(pointerOf({ data: { query: { 'attributes.constructor': { exists: true } } } })).toBe('validation-error /data/query/attributes.constructor');
    expect(pointerOf({ data: { sort: [{ 'attributes.__proto__': 'asc' }] } })).toBe('validation-error /data/sort/0/attributes.__proto__');
  });

  it('refuses values outside what the columns hold', () => {
    expect(pointerOf({ data: { query: { 'attributes.revision_number': { value: 2147483648 } } } })).toBe('validation-error /data/query/attributes.revision_number/value');
    expect(pointerOf({ data: { query: { 'attributes.created_at': { value: '10000-01-01T00:00:00Z' } } } })).toBe('validation-error /data/query/attributes.created_at/value');
    expect(pointerOf({ data: { query: { 'attributes.name': { value: 'x'.repeat(1025) } } } })).toBe('validation-error /data/query/attributes.name/value');
    expect(pointerOf({ data: { query: { 'attributes.order': { range: { gte: 1.5 } } } } })).toBe('validation-error /data/query/attributes.order/range/gte');
  });
});

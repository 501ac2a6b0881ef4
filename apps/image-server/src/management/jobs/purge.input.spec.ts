import { ReactorError, ReactorErrors } from '@openexp/errors';
import { parsePurgeDocument } from './purge.input';

const codes = (body: unknown): string[] => {
  try {
    parsePurgeDocument(body, 'cat');
    return [];
  } catch (error) {
    if (error instanceof ReactorErrors) {
      return error.errors.map((e) => `${e.code} ${e.pointer ?? ''}`);
    }
    return error instanceof ReactorError ? [`${error.code} ${error.pointer ?? ''}`] : ['?'];
  }
};

describe('purge documents', () => {
  it('reads ids and URLs of the catalog, without duplicates', () => {
    expect(parsePurgeDocument({ data: { type: 'purges', attributes: { ids: ['a', 'a'], urls: ['/is/image/cat/a?wid=1'] } } }, 'cat')).toEqual({ ids: ['a'], urls: ['/is/image/cat/a?wid=1'] });
  });

  it('points at every bad member', () => {
    expect(codes(null)).toEqual(['invalid-document /data']);
    expect(codes({ data: { type: 'x' } })).toEqual(['type-mismatch /data/type']);
    expect(codes({ data: { type: 'purges', attributes: { ids: 'a' } } })).toEqual(['validation-error /data/attributes/ids']);
    expect(codes({ data: { type: 'purges', attributes: { ids: ['ok', 3, ''], urls: ['/is/image/other/x'] } } })).toEqual([
      'validation-error /data/attributes/ids/1',
      'validation-error /data/attributes/ids/2',
      'validation-error /data/attributes/urls/0',
    ]);
  });
});

import fc from 'fast-check';
import { ReactorError } from '@openexp/errors';
import { assertStorableRequestText, hasRefusedCharacter, printable, refusedCharacterPointer } from './input-hygiene';

describe('characters PostgreSQL cannot store', () => {
  it('are U+0000 and unpaired surrogates; paired surrogates and other controls are fine', () => {
    expect(['a\u0000', '\ud800', 'x\udc00y', '\ud83d', '\ude00\ud83d'].map(hasRefusedCharacter)).toEqual([true, true, true, true, true]);
    expect(['', 'plain', '😀', '\ud83d\ude00', '\u0001\u001f\ufffd', 'Zoë'].map(hasRefusedCharacter)).toEqual([false, false, false, false, false, false]);
    expect(printable('a\u0000b\ud800')).toBe('a\ufffdb\ufffd');
  });

  it('are found in member names and values at any depth, with an escaped pointer', () => {
    expect(refusedCharacterPointer({ data: { attributes: { name: 'ok', list: ['a', { 'x/~\u0000': 1 }] } } })).toEqual({ pointer: '/data/attributes/list/1/x~1~0\u0000', text: 'x/~\u0000' });
    expect(refusedCharacterPointer({ data: [{ id: 'RL\u0000' }] })?.pointer).toBe('/data/0/id');
    expect(refusedCharacterPointer('\ud800')?.pointer).toBe('');
    expect(refusedCharacterPointer({ data: { n: 1, b: true, z: null } })).toBeUndefined();
  });

  it('are found in any JSON document that holds one, and never in one that does not', () => {
    const refused = fc.constantFrom('\u0000', '\ud800', '\udfff');
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), refused, (doc, prefix, bad) => {
        expect(refusedCharacterPointer(doc)).toBeUndefined();
        const found = refusedCharacterPointer({ doc, [`${prefix}${bad}`]: 1 });
        expect(found?.text).toBe(`${prefix}${bad}`);
      }),
      { seed: 14, numRuns: 200 },
    );
  });

  it('in a path segment or query parameter are a 400 invalid-parameter naming it', () => {
    const error = (request: { params: unknown; query: unknown }) => {
      try {
        assertStorableRequestText(request);
      } catch (e) {
        return e instanceof ReactorError ? { code: e.code, parameter: e.parameter, meta: e.meta } : e;
      }
      return undefined;
    };
    expect(error({ params: { id: 'PR\u0000' }, query: {} })).toEqual({ code: 'invalid-parameter', parameter: undefined, meta: { path_parameter: 'id' } });
    expect(error({ params: {}, query: { 'filter[name]': ['EQ a', 'EQ \u0000'] } })).toEqual({ code: 'invalid-parameter', parameter: 'filter[name]', meta: undefined });
    expect(error({ params: {}, query: { 'a\u0000': '' } })).toMatchObject({ parameter: 'a\ufffd' });
    expect(error({ params: {}, query: { '': 'x\u0000' } })).toEqual({ code: 'invalid-parameter', parameter: undefined, meta: undefined });
    expect(error({ params: { id: 'PR1' }, query: { sort: '-name' } })).toBeUndefined();
    expect(error({ params: undefined, query: undefined })).toBeUndefined();
  });
});

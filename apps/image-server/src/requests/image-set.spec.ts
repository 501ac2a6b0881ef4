import { ImageServingError } from '@openexp/errors';
import { detectSetType, MAX_SET_ITEMS, parseImageSet, setTypeOf } from './image-set';

const noSets = () => false;

describe('ImageSet syntax', () => {
  it('splits items, sub-items and pages at the top level only, decoding %-escaped ids', () => {
    expect(parseImageSet('a%2Cb;{0xFF00aa Dark%20red},{c;d},p1:p2', 'x')).toEqual([
      { fields: [[{ kind: 'ref', id: 'a,b' }], [{ kind: 'color', rgb: '0xff00aa', label: 'Dark red' }]] },
      { fields: [[{ kind: 'inline', text: 'c;d' }]] },
      { fields: [[{ kind: 'ref', id: 'p1' }, { kind: 'ref', id: 'p2' }]] },
    ]);
    expect(parseImageSet('a;;spin,,', 'x')).toEqual([{ fields: [[{ kind: 'ref', id: 'a' }], [{ kind: 'empty' }], [{ kind: 'ref', id: 'spin' }]] }]);
  });

  it('refuses unbalanced brackets and more than MAX_SET_ITEMS items', () => {
    for (const bad of ['a}', '{a', '(a},b', 'a,{b']) {
      expect(() => parseImageSet(bad, 'x')).toThrow(ImageServingError);
    }
    expect(() => parseImageSet(Array.from({ length: MAX_SET_ITEMS + 1 }, (_, i) => `i${i}`).join(','), 'x')).toThrow(/more than 1000/);
    expect(parseImageSet(Array.from({ length: MAX_SET_ITEMS }, (_, i) => `i${i}`).join(','), 'x')).toHaveLength(MAX_SET_ITEMS);
  });

  it('detects the set type the way Adobe describes, colon first', () => {
    const type = (v: string, isSet: (id: string) => boolean = noSets) => detectSetType(parseImageSet(v, 'x'), isSet);
    expect(type('a:b;c;d')).toBe('ecat');
    expect(type('a;b;img,c')).toBe('media_set');
    expect(type('a;b,c')).toBe('img_set');
    expect(type('{a,b},c')).toBe('spin');
    expect(type('a,s', (id) => id === 's')).toBe('spin');
    expect(type('a,b')).toBe('img_set');
  });

  it('maps AssetType and item type arguments to output types', () => {
    expect(['img', 'Basic', 'advanced_image', 'advanced_swatchset', 'spin', 'eCatalog', 'MediaSet', 'video', 'bogus'].map(setTypeOf)).toEqual([
      'img', 'img', 'img', 'img_set', 'spin', 'ecat', 'media_set', 'video', undefined,
    ]);
  });
});

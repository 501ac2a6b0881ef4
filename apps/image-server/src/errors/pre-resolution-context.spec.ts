import type { CatalogSet } from '@openexp/catalogs';
import { preResolutionFacts, sniffQueryId } from './pre-resolution-context';

const catalogs = { default: { rootId: '' }, locked: { rootId: 'locked' } };
const set = {
  defaultCatalog: catalogs.default,
  catalog: (id: string) => (id === '' ? catalogs.default : id === 'locked' ? catalogs.locked : undefined),
} as unknown as CatalogSet;

describe('preResolutionFacts', () => {
  it('finds the last id= of a raw query, %-decoded leniently', () => {
    expect(sniffQueryId('req=props,json&ID=a%20b&wid=1')).toBe('a b');
    expect(sniffQueryId('id=1&id=2')).toBe('2');
    expect(sniffQueryId('id=%zz')).toBe('%zz');
    expect(sniffQueryId('wid=1&id')).toBeUndefined();
    expect(sniffQueryId('d2lkPTIwMA==')).toBeUndefined();
  });

  it('keeps the catalog named by the first path element, else default.ini', () => {
    expect(preResolutionFacts(['locked', 'img1'], 'wid=200', false, () => set)).toEqual({ catalog: catalogs.locked });
    expect(preResolutionFacts(['%6Cocked', 'x'], '', false, () => set)).toEqual({ catalog: catalogs.locked });
    expect(preResolutionFacts(['..%2F..', 'etc'], 'id=x', true, () => set)).toEqual({ catalog: catalogs.default, jsonpId: 'x' });
    expect(preResolutionFacts([], 'id=x', false, () => set)).toEqual({ catalog: catalogs.default });
  });

  it('still gives the id when the catalogs are not loaded', () => {
    const none = () => {
      throw new Error('not loaded');
    };
    expect(preResolutionFacts(['cat'], 'id=q', true, none)).toEqual({ jsonpId: 'q' });
  });
});

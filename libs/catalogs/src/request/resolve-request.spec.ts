import type { CatalogSet } from '../catalog/catalog-set';
import { loadFixtureSet } from '../test/fixtures';
import { resolveRequest } from './resolve-request';

let set: CatalogSet;
beforeAll(async () => {
  set = await loadFixtureSet();
});

const resolve = (path: string, query = '') => resolveRequest({ pathSegments: path.split('/'), rawQuery: query }, set);

describe('resolveRequest: merge of Modifier < URL < PostModifier (§1.6)', () => {
  it('applies the record Modifier when the URL says nothing (§10 #29)', () => {
    const r = resolve('cat/mod1');
    expect(r.value('wid')).toBe('100');
    expect(r.value('fmt')).toBe('png');
    expect(r.value('qlt')).toBe('50');
    expect(r.object.filePath).toBe('/srv/is-root/images/cat/img1.jpg');
  });

  it('lets the URL beat the Modifier and the PostModifier beat the URL (§10 #30, #31)', () => {
    const r = resolve('cat/mod1', 'wid=50&fmt=jpeg&qlt=90&req=props');
    expect(r.command('wid')).toMatchObject({ value: '50', source: 'url' });
    expect(r.command('fmt')).toMatchObject({ value: 'jpeg', source: 'url' });
    expect(r.command('qlt')).toMatchObject({ value: '50', source: 'postModifier' });
  });

  it('gives the final request string for req=resolve (§10 #32)', () => {
    expect(resolve('cat/mod1', 'req=resolve').resolvedString()).toBe('cat/mod1?wid=100&fmt=png&req=resolve&qlt=50');
  });
});

import type { CatalogSet } from '../catalog/catalog-set';
import { FIXTURE_ROOT, loadFixtureSet } from '../test/fixtures';
import { resolveRequest } from './resolve-request';

let set: CatalogSet;
beforeAll(async () => {
  set = await loadFixtureSet();
});

const resolve = (path: string, query = '') => resolveRequest({ pathSegments: path === '' ? [] : path.split('/'), rawQuery: query }, set);

describe('template= (§3.5, §4.3)', () => {
  it('takes the template record as the object and its Modifier as the body, the path object as $object$', () => {
    const r = resolve('cat/img1', 'template=tpl&$name=Ann&$w=320');
    expect(r.object).toMatchObject({ kind: 'record', id: 'tpl', filePath: null });
    expect(r.pathObject).toBe('cat/img1');
    expect(r.value('src')).toBe('cat/img1');
    expect(r.value('text')).toBe('Ann');
    expect(r.value('wid')).toBe('320');
    expect(r.value('template')).toBe('tpl');
  });

  it('lets the URL override the template body and $object= override the path object', () => {
    const r = resolve('cat/img1', 'template=tpl&$object=cat/img2&qlt=10');
    expect(r.value('src')).toBe('cat/img2');
    expect(r.value('qlt')).toBe('10');
  });

  it('applies neither the path object\'s Modifier/PostModifier nor the template\'s PostModifier', () => {
    const viaPath = resolve('cat/mod1', 'template=tpl');
    expect(viaPath.value('qlt')).toBe('85'); // from the template's $view$, not mod1's PostModifier qlt=50
    const asTemplate = resolve('cat/img1', 'template=mod1');
    expect(asTemplate.value('wid')).toBe('100'); // mod1's Modifier is the body
    expect(asTemplate.value('qlt')).toBeUndefined(); // its PostModifier is ignored
    expect(asTemplate.object.filePath).toBe(`${FIXTURE_ROOT}/images/cat/img1.jpg`); // its Path is layer 0's image
  });

  it('finds templates in another catalog by rootId/id, and takes variables in the template= value', () => {
    expect(resolve('plain/photo.jpg', 'template=cat/tpl').object.id).toBe('tpl');
    expect(resolve('cat/img1', '$t=tpl&template=$t$').object.id).toBe('tpl');
  });

  it('ignores an empty template=', () => {
    expect(resolve('cat/img1', 'template=').object.id).toBe('img1');
  });

  it('takes a template that is no record as a path object, so a missing one fails as image-not-found when it is opened', () => {
    const r = resolve('cat/img1', 'template=nope');
    expect(r.object).toMatchObject({ kind: 'path', id: 'nope', filePath: `${FIXTURE_ROOT}/images/cat/nope.jpg` });
    expect(r.value('src')).toBeUndefined();
  });

  it('keeps template= in the resolved string (cache key, req=resolve)', () => {
    expect(resolve('cat/img1', 'template=tpl&$name=x&$w=5').resolvedString()).toContain('template=tpl');
  });
});

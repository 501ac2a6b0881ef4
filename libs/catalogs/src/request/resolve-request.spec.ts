import type { CatalogSet } from '../catalog/catalog-set';
import { FIXTURE_ROOT, loadFixtureSet } from '../test/fixtures';
import { resolveObjectRequest, resolveRequest } from './resolve-request';

let set: CatalogSet;
beforeAll(async () => {
  set = await loadFixtureSet();
});

const resolve = (path: string, query = '') => resolveRequest({ pathSegments: path === '' ? [] : path.split('/'), rawQuery: query }, set);
const commandString = (path: string, query = '') => resolve(path, query).resolvedString().split('?')[1] ?? '';
const failure = (path: string, query = ''): unknown => {
  try {
    resolve(path, query);
  } catch (err) {
    return err;
  }
  throw new Error(`${path}?${query} resolved without error`);
};

describe('merge of Modifier < URL < PostModifier (§1.6)', () => {
  it('applies the record Modifier when the URL says nothing (§10 #29)', () => {
    const r = resolve('cat/mod1');
    expect(r.value('wid')).toBe('100');
    expect(r.value('fmt')).toBe('png');
    expect(r.value('qlt')).toBe('50');
    expect(r.object.filePath).toBe(`${FIXTURE_ROOT}/images/cat/img1.jpg`);
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

  it('lets the last occurrence win within the URL', () => {
    expect(commandString('cat/img1', 'wid=1&hei=2&wid=3')).toBe('hei=2&wid=3');
  });

  it('treats command names case-insensitively and keeps the name as written (§10 #24)', () => {
    const r = resolve('cat/img1', 'WID=200&FMT=png');
    expect(r.command('wid')).toMatchObject({ name: 'wid', originalName: 'WID', value: '200' });
    expect(r.resolvedString()).toBe(resolve('cat/img1', 'wid=200&fmt=png').resolvedString());
  });

  it('drops comments (§10 #26)', () => {
    expect(resolve('cat/img1', 'wid=200&.comment=x&hei=100').resolvedString()).toBe(resolve('cat/img1', 'wid=200&hei=100').resolvedString());
  });

  it('passes unknown commands through, for the image server to ignore and req=resolve to list', () => {
    expect(commandString('cat/img1', 'viewerParam=7&wid=1')).toBe('viewerparam=7&wid=1');
  });

  it('re-encodes values in the resolved string so it parses back to the same commands', () => {
    const r = resolve('cat/img1', 'text=a%26b%3Dc%25&bgc=255,0,0');
    expect(r.value('text')).toBe('a&b=c%');
    expect(r.resolvedString()).toBe('cat/img1?text=a%26b%3Dc%25&bgc=255,0,0');
    const again = resolve('cat/img1', r.resolvedString().split('?')[1] ?? '');
    expect(again.commands).toEqual(r.commands);
  });
});

describe('macros (§1.4)', () => {
  it('expands in place with positional semantics (§10 #27)', () => {
    expect(resolve('cat/img1', '$view$').value('wid')).toBe('240');
    expect(resolve('cat/img1', '$view$&wid=480').value('wid')).toBe('480');
    expect(resolve('cat/img1', 'wid=480&$view$').value('wid')).toBe('240');
    expect(resolve('cat/img1', '$VIEW$').command('qlt')).toMatchObject({ value: '85', macro: 'view', source: 'url' });
  });

  it('looks in the main catalog first, then the default catalog', () => {
    expect(resolve('cat/img1', '$view$').value('wid')).toBe('240');
    expect(resolve('plain/photo.jpg', '$view$').value('wid')).toBe('1');
    expect(resolve('cat/img1', '$big$').value('wid')).toBe('1000');
  });

  it('nests macros defined earlier in the same file or in the default catalog', () => {
    expect(commandString('cat/img1', '$thumb$')).toBe('fmt=jpeg&qlt=85&wid=100');
    expect(commandString('cat/img1', '$usesDefault$')).toBe('bgc=ff0000&hei=10');
  });

  it('refuses a macro used before its definition, a self-reference and an unknown macro', () => {
    expect(failure('cat/img1', '$early$')).toMatchObject({ code: 'IMG_INVALID_COMMAND_VALUE', detail: 'unknown macro $later$' });
    expect(failure('cat/img1', '$self$')).toMatchObject({ code: 'IMG_INVALID_COMMAND_VALUE', detail: 'unknown macro $self$' });
    expect(failure('cat/img1', '$nope$')).toMatchObject({ code: 'IMG_INVALID_COMMAND_VALUE', detail: 'unknown macro $nope$' });
  });

  it('expands macros in record Modifier and PostModifier', () => {
    const r = resolve('cat/usemacro', 'wid=5&hei=6&qlt=1');
    expect(r.command('wid')).toMatchObject({ value: '100', source: 'postModifier', macro: 'thumb' });
    expect(r.command('hei')).toMatchObject({ value: '6', source: 'url' });
    expect(r.command('qlt')).toMatchObject({ value: '85', source: 'postModifier' });
  });
});

describe('variables (§1.4)', () => {
  it('substitutes $var$ in values (§10 #28)', () => {
    expect(resolve('cat/img1', '$w=300&wid=$w$').value('wid')).toBe('300');
  });

  it('is not recursive and leaves undefined references literal', () => {
    const r = resolve('cat/img1', '$a=x&$b=my$a$tree&text=$b$&src=my$image$file.tif');
    expect(r.value('text')).toBe('my$a$tree');
    expect(r.value('src')).toBe('my$image$file.tif');
  });

  it('feeds URL variables into a template Modifier, and $object$ is the path object', () => {
    const r = resolve('cat/tpl', '$name=Bob&$W=320');
    expect(r.value('text')).toBe('Bob');
    expect(r.value('wid')).toBe('320');
    expect(r.value('src')).toBe('cat/tpl');
    expect(r.variables.get('object')).toBe('cat/tpl');
    expect(r.object.filePath).toBeNull();
  });

  it('lets $object= override the predefined variable', () => {
    expect(resolve('cat/tpl', '$object=cat/img1').value('src')).toBe('cat/img1');
  });

  it('does not substitute into layer= and effect=, nor into names', () => {
    const r = resolve('cat/img1', '$n=2&layer=$n$&effect=$n$&$c=wid&x$c$=5');
    expect(r.commands.find((c) => c.name === 'layer')?.value).toBe('$n$');
    expect(r.commands.find((c) => c.name === 'effect')?.value).toBe('$n$');
    expect(r.commands.find((c) => c.name === 'x$c$')?.value).toBe('5');
    expect(failure('cat/img1', '$c$=5')).toMatchObject({ code: 'IMG_INVALID_COMMAND_VALUE' });
  });
});

describe('layers', () => {
  it('merges per layer and lists layers in order of appearance', () => {
    const r = resolve('cat/img1', 'wid=10&layer=1&pos=1,1&layer=comp&wid=20&layer=1&pos=2,2&size=5,5');
    expect(r.resolvedString()).toBe('cat/img1?layer=comp&wid=20&layer=1&pos=2,2&size=5,5');
    expect(r.value('pos', '1')).toBe('2,2');
    expect(r.layer('1').map((c) => c.name)).toEqual(['layer', 'pos', 'size']);
  });

  it('knows layers by name once named', () => {
    const r = resolve('cat/img1', 'layer=2,logo&opac=50&layer=comp&wid=1&layer=logo&opac=60');
    expect(r.value('opac', '2')).toBe('60');
  });
});

describe('object resolution (§1.5)', () => {
  it('uses a record of the catalog named by the first element', () => {
    const r = resolve('cat/img1');
    expect(r.catalog.rootId).toBe('cat');
    expect(r.object).toMatchObject({ kind: 'record', id: 'img1', displayPath: 'images/cat/img1.jpg' });
    expect(r.attributes.defaultImage).toBe('noimage');
  });

  it('matches RootId case-sensitively: CAT is a path in the default catalog (§10 #25)', () => {
    const r = resolve('CAT/img1');
    expect(r.catalog.isDefault).toBe(true);
    expect(r.object).toMatchObject({ kind: 'path', id: 'CAT/img1', filePath: `${FIXTURE_ROOT}/images/CAT/img1.jpg` });
  });

  it('serves a plain path from the default catalog (§10 #57)', () => {
    expect(resolve('plain/photo.jpg', 'wid=100').object).toMatchObject({ kind: 'path', displayPath: 'images/plain/photo.jpg' });
  });

  it('treats a non-record path under a catalog as a file under its RootPath (FullMatch=0)', () => {
    const r = resolve('cat/my/image/path/myImage.tif');
    expect(r.catalog.rootId).toBe('cat');
    expect(r.object).toMatchObject({ kind: 'path', id: 'my/image/path/myImage.tif', displayPath: 'images/cat/my/image/path/myImage.tif' });
  });

  it('falls back to the default catalog records, main catalog first', () => {
    expect(resolve('cat/onlydefault').object).toMatchObject({ kind: 'record', displayPath: 'images/default-only.jpg' });
    expect(resolve('cat/onlydefault').value('wid')).toBe('11');
    expect(resolve('cat/shared1').object.displayPath).toBe('images/cat/cat-shared.jpg');
  });

  it('ignores the catalog for non-record paths under FullMatch=1', () => {
    const r = resolve('full/a/b.tif');
    expect(r.catalog.isDefault).toBe(true);
    expect(r.selectedCatalog.rootId).toBe('full');
    expect(r.object.displayPath).toBe('images/full/a/b.tif');
    expect(resolve('full/rec').object).toMatchObject({ kind: 'record', displayPath: 'images/full/rec.tif' });
  });

  it('appends DefaultExt to suffix-less paths and record paths, not when disabled', () => {
    expect(resolve('plain/photo').object.displayPath).toBe('images/plain/photo.jpg');
    expect(resolve('cat/masked').object.maskPath).toBe(`${FIXTURE_ROOT}/images/cat/img1-mask.jpg`);
    expect(resolve('cat/dir.v2/file').object.displayPath).toBe('images/cat/dir.v2/file.jpg');
  });

  it('resolves catalog-only and empty requests to no object', () => {
    expect(resolve('cat', 'req=catalogprops').object).toMatchObject({ kind: 'none', filePath: null });
    expect(resolve('cat').catalog.rootId).toBe('cat');
    expect(resolve('').object.kind).toBe('none');
    expect(resolve('').catalog.isDefault).toBe(true);
  });

  it('reads absolute catalog RootPaths configured by the operator', () => {
    expect(resolve('abs/x.jpg').object.filePath).toBe('/srv/elsewhere/images/x.jpg');
  });

  it('decodes path elements one by one', () => {
    expect(resolve('cat/caf%C3%A9').object).toMatchObject({ kind: 'record', id: 'café' });
    expect(resolve('plain/my%20photo.jpg').object.id).toBe('plain/my photo.jpg');
  });
});

describe('objects named in values', () => {
  it('resolves defaultImage=cat/img1 from another catalog (§10 #48)', () => {
    const r = resolve('cat/img2', 'defaultImage=cat/img1');
    const d = r.resolveObject(r.value('defaultImage') ?? '');
    expect(d).toMatchObject({ kind: 'record', id: 'img1', displayPath: 'images/cat/img1.jpg' });
  });

  it('resolves the catalog DefaultImage record in the main catalog', () => {
    const r = resolve('cat/img2');
    expect(r.resolveObject(r.attributes.defaultImage ?? '')).toMatchObject({ kind: 'record', id: 'noimage', displayPath: 'images/cat/noimage.png' });
  });

  it('forces the default catalog with a leading slash', () => {
    expect(resolve('cat/img1').resolveObject('/img1')).toMatchObject({ kind: 'path', displayPath: 'images/img1.jpg' });
  });

  it('treats other strings as paths under the main catalog', () => {
    expect(resolve('cat/img1').resolveObject('other/pic.png')).toMatchObject({ kind: 'path', displayPath: 'images/cat/other/pic.png' });
    expect(resolve('cat/img1').resolveObject('cat/new.png')).toMatchObject({ kind: 'path', displayPath: 'images/cat/new.png' });
    expect(resolve('cat/img1').resolveObject('')).toMatchObject({ kind: 'none' });
  });

  it('refuses traversal in values', () => {
    expect(() => resolve('cat/img1').resolveObject('../secret.jpg')).toThrow(expect.objectContaining({ code: 'IMG_REQUEST_REFUSED' }));
  });
});

describe('root safety (§1.5 step 6, §10 #58)', () => {
  it.each([
    ['cat/..%2F..%2Fetc/passwd'],
    ['cat/../x'],
    ['cat/./x'],
    ['cat/%2E%2E/x'],
    ['cat/a%5Cb'],
    ['cat/a\\b'],
    ['cat/a%00b'],
    ['cat/a%0Ab'],
    ['%2Fetc%2Fpasswd'],
  ])('refuses %s', (path) => {
    expect(failure(path)).toMatchObject({ code: 'IMG_REQUEST_REFUSED', title: 'Request refused' });
  });

  it('refuses a record whose Path leaves the roots', () => {
    expect(failure('cat/escape')).toMatchObject({ code: 'IMG_REQUEST_REFUSED' });
  });

  it('treats a bad %-escape and a comma in the path as usage errors', () => {
    expect(failure('cat/a%zzb')).toMatchObject({ code: 'IMG_INVALID_COMMAND_VALUE' });
    expect(failure('cat/a,b')).toMatchObject({ code: 'IMG_INVALID_COMMAND_VALUE' });
  });
});

describe('resolved paths are remembered per catalog set', () => {
  it('gives the same object for the same path whatever the query, and resolves again in a new set', async () => {
    const a = resolve('cat/img1', 'wid=1&id=1');
    const b = resolve('cat/img1', 'wid=2&id=2');
    expect(b.object).toBe(a.object);
    expect(b.value('wid')).toBe('2');
    expect(Object.isFrozen(a.object)).toBe(true);
    const reloaded = await loadFixtureSet();
    const c = resolveRequest({ pathSegments: ['cat', 'img1'], rawQuery: 'wid=3' }, reloaded);
    expect(c.object).not.toBe(a.object);
    expect(c.object).toMatchObject({ kind: a.object.kind, id: a.object.id, filePath: a.object.filePath, catalog: reloaded.catalog('cat') });
    expect(c.catalog).toBe(reloaded.catalog('cat'));
  });

  it('refuses a refused path again on every request (refusals are not remembered)', () => {
    for (let i = 0; i < 3; i++) {
      expect(failure('cat/..%2Fx', `id=${i}`)).toMatchObject({ code: 'IMG_REQUEST_REFUSED' });
      expect(failure('cat/escape', `id=${i}`)).toMatchObject({ code: 'IMG_REQUEST_REFUSED' });
    }
  });
});

describe('RequestLock and RequestObfuscation (§7, §10 #59, #60)', () => {
  it('accepts a correct lock and strips it', () => {
    expect(resolve('locked/img1', 'wid=200&4a1f').resolvedString()).toBe('locked/img1?wid=200');
  });

  it('refuses a wrong or missing lock', () => {
    expect(failure('locked/img1', 'wid=200&0000')).toMatchObject({ code: 'IMG_REQUEST_LOCKED' });
    expect(failure('locked/img1', 'wid=200')).toMatchObject({ code: 'IMG_REQUEST_LOCKED' });
  });

  it('decodes an obfuscated query, then checks the lock inside it', () => {
    expect(resolve('obf/img1', 'd2lkPTIwMCY0YTFm').value('wid')).toBe('200');
    expect(failure('obf/img1', 'd2lkPTIwMA==')).toMatchObject({ code: 'IMG_REQUEST_LOCKED' });
    expect(failure('obf/img1', 'wid=200&4a1f')).toMatchObject({ code: 'IMG_OBFUSCATION_FAILED' });
  });

  it('does not lock other catalogs', () => {
    expect(resolve('cat/img1', 'wid=200').value('wid')).toBe('200');
  });

  it('tolerates a leading ? on the raw query', () => {
    expect(resolve('cat/img1', '?wid=7').value('wid')).toBe('7');
  });
});

describe('reply facts for the image server', () => {
  it('takes the record Expiration, else the catalog attribute', () => {
    expect(resolve('cat/exp0').expirationHours).toBe(0);
    expect(resolve('cat/never').expirationHours).toBe(-1);
    expect(resolve('cat/img1').expirationHours).toBe(10);
  });

  it('gives the catalog time stamp when the record has none', () => {
    const r = resolve('cat/img1');
    expect(r.timeStamp).toBe(Math.max(r.catalog.attributes.timeStamp, r.object.catalog.attributes.timeStamp));
  });

  it('checks real paths against the roots', () => {
    expect(() => resolve('cat/img1').assertInsideRoot('/etc/passwd')).toThrow(expect.objectContaining({ code: 'IMG_REQUEST_REFUSED' }));
    expect(() => resolve('cat/img1').assertInsideRoot(`${FIXTURE_ROOT}/images/cat/img1.jpg`)).not.toThrow();
  });
});

describe('resolveObjectRequest (default images, error images, watermarks)', () => {
  it('resolves a record with its Modifier < commands < PostModifier, without lock checks', () => {
    const r = resolveObjectRequest({ rootId: 'locked', object: 'mod1', commands: [{ name: 'wid', value: '40' }, { name: 'qlt', value: '99' }] }, set);
    expect(r.object).toMatchObject({ kind: 'record', id: 'mod1', displayPath: 'images/cat/img1.jpg' });
    expect(r.resolvedString()).toBe('mod1?fmt=png&wid=40&qlt=50');
    expect(r.catalog.rootId).toBe('locked');
  });

  it('takes the attributes of the catalog a rootId/objId reference names', () => {
    const r = resolveObjectRequest({ rootId: '', object: 'cat/noimage' }, set);
    expect(r.object).toMatchObject({ kind: 'record', id: 'noimage' });
    expect(r.catalog.rootId).toBe('cat');
  });

  it('keeps the given catalog for default-catalog records, and substitutes $object$', () => {
    const r = resolveObjectRequest({ rootId: 'cat', object: 'onlydefault', commands: [{ name: 'text', value: '$object$' }] }, set);
    expect(r.catalog.rootId).toBe('cat');
    expect(r.value('text')).toBe('onlydefault');
  });

  it('refuses references that leave the roots', () => {
    expect(() => resolveObjectRequest({ rootId: 'cat', object: '../../etc/passwd' }, set)).toThrow(expect.objectContaining({ code: 'IMG_REQUEST_REFUSED' }));
  });
});

describe('§10 rows answered by resolution', () => {
  it('#39 exists: a record of the main or default catalog, else a path', () => {
    expect(resolve('cat/img1', 'req=exists').object.kind).toBe('record');
    expect(resolve('cat/onlydefault', 'req=exists').object.kind).toBe('record');
    expect(resolve('cat/nope', 'req=exists').object.kind).toBe('path');
  });

  it('#41 catalogprops: the attributes of the named catalog', () => {
    const a = resolve('cat', 'req=catalogprops').attributes;
    expect(a.maxPix).toEqual([2000, 2000]);
    expect(a.defaultPix).toEqual([400, 400]);
    expect(a.jpegQuality).toEqual({ quality: 80, chroma: false });
    expect(a.raw('JpegQuality')).toBe('80,0');
  });

  it('#45/#47: the catalog DefaultImage, disabled per request by an empty defaultImage=', () => {
    expect(resolve('cat/img2').attributes.defaultImage).toBe('noimage');
    const r = resolve('cat/img2', 'defaultImage=');
    expect(r.has('defaultImage')).toBe(true);
    expect(r.value('defaultImage')).toBe('');
  });

  it('#52: the resolved path shown at ErrorDetail 2', () => {
    const r = resolve('cat/img2');
    expect(r.attributes.errorDetail).toBe(2);
    expect(r.object.displayPath).toBe('images/cat/missing.jpg');
  });
});

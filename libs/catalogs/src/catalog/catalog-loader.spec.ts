import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_CATALOGS, FIXTURE_ROOT, copyFixtures, loadFixtureSet } from '../test/fixtures';
import type { CatalogSet } from './catalog-set';
import { propertyDataLines } from './catalog-record';
import { isInside } from './root-guard';

let set: CatalogSet;
beforeAll(async () => {
  set = await loadFixtureSet();
});

const cat = () => {
  const c = set.catalog('cat');
  if (c === undefined) {
    throw new Error('fixture catalog "cat" missing');
  }
  return c;
};

describe('loading the fixture catalog folder (§4.1)', () => {
  it('loads default.ini and every other .ini by RootId', () => {
    expect(set.catalogs().map((c) => c.rootId)).toEqual(['', 'abs', 'cat', 'full', 'locked', 'obf']);
    expect(set.defaultCatalog.file).toBe(join(FIXTURE_CATALOGS, 'default.ini'));
    expect(set.catalog('')).toBe(set.defaultCatalog);
    expect(set.catalog('CAT')).toBeUndefined();
  });

  it('reads records from every CatalogFile in order; a later duplicate Id wins', () => {
    expect(cat().record('dup')?.path).toBe('second.jpg');
    expect(cat().record('dup')?.source).toEqual({ file: join(FIXTURE_CATALOGS, 'cat-extra.txt'), line: 2 });
  });

  it('decodes a BOM file as UTF-8 and a BOM-less file as ISO-8859-1', () => {
    expect(cat().record('café')?.path).toBe('café.jpg');
    expect(cat().record('img1')?.path).toBe('img1.jpg');
    expect(cat().records.has('\ufeffId')).toBe(false);
  });

  it('types the record fields of §4.3', () => {
    const mod1 = cat().record('mod1');
    expect(mod1).toMatchObject({ id: 'mod1', path: 'img1.jpg', maskPath: null, modifier: 'wid=100&fmt=png', postModifier: 'qlt=50', expiration: null });
    expect(cat().record('exp0')?.expiration).toBe(0);
    expect(cat().record('never')?.expiration).toBe(-1);
    expect(cat().record('masked')?.maskPath).toBe('img1-mask');
    expect(cat().record('tpl')?.path).toBeNull();
  });

  it('treats an unparsable cell as empty and keeps a warning', () => {
    expect(cat().record('badexp')?.expiration).toBeNull();
    expect(cat().warnings).toContain(`${join(FIXTURE_CATALOGS, 'cat.txt')}:16: record "badexp" field expiration: "soon" is not a number; treated as empty`);
  });

  it('ignores . columns and keeps unknown columns as raw fields with a warning', () => {
    const quoted = cat().record('quoted');
    expect(quoted?.fields.get('custom')).toBe('kept');
    expect(quoted?.fields.has('.note')).toBe(false);
    expect(cat().warnings).toContain(`${join(FIXTURE_CATALOGS, 'cat.txt')}: unknown column(s) Custom kept as raw fields`);
  });

  it('splits UserData at ?? unless the field was quoted (§2.3)', () => {
    const ud = cat().record('ud');
    expect(ud === undefined ? [] : propertyDataLines(ud, 'userData')).toEqual(['a=1', 'b=two']);
    const quoted = cat().record('quoted');
    expect(quoted?.userData).toBe('x=1??y="two"\r\nz=3\tend');
    expect(quoted === undefined ? [] : propertyDataLines(quoted, 'userData')).toEqual(['x=1??y="two"', 'z=3\tend']);
  });

  it('reads macros by case-insensitive name with their file position', () => {
    expect(cat().macro('VIEW')).toMatchObject({ name: 'view', definition: 'wid=240&fmt=jpeg&qlt=85', index: 0 });
    expect(cat().macro('thumb')?.index).toBe(1);
    expect(set.defaultCatalog.macro('dflt')?.definition).toBe('bgc=ff0000');
  });

  it('records the stamps of the .ini and every data file', () => {
    expect(cat().stamps.map((s) => s.path)).toEqual(['cat.ini', 'cat.txt', 'cat-extra.txt', 'macros.txt'].map((f) => join(FIXTURE_CATALOGS, f)));
    expect(cat().mtime.getTime()).toBe(Math.floor(cat().stamps[0]?.mtimeMs ?? NaN));
  });
});

describe('catalog folder errors', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await copyFixtures());
  });
  afterEach(() => cleanup());

  it('refuses to start without default.ini', async () => {
    await rm(join(dir, 'default.ini'));
    await expect(loadFixtureSet(dir)).rejects.toThrow(/the catalog folder has no default.ini; it must exist and have an empty RootId/);
  });

  it('refuses a default.ini with a RootId', async () => {
    await writeFile(join(dir, 'default.ini'), 'RootId=main\n');
    await expect(loadFixtureSet(dir)).rejects.toThrow(/default.ini must have an empty RootId \(found "main"\)/);
  });

  it('refuses two catalogs with the same RootId, naming both files', async () => {
    await writeFile(join(dir, 'zzz.ini'), 'RootId=cat\n');
    await expect(loadFixtureSet(dir)).rejects.toThrow(`RootId "cat" is used by both ${join(dir, 'cat.ini')} and ${join(dir, 'zzz.ini')}`);
  });

  it('refuses a catalog without RootId or with an unsafe one', async () => {
    await writeFile(join(dir, 'noid.ini'), 'MaxPix=1,1\n');
    await expect(loadFixtureSet(dir)).rejects.toThrow(/noid.ini: RootId is missing or empty/);
    await writeFile(join(dir, 'noid.ini'), 'RootId=a/b\n');
    await expect(loadFixtureSet(dir)).rejects.toThrow(/RootId "a\/b" is not URL-safe/);
  });

  it('refuses a missing data file and a bad attribute value, naming file and line', async () => {
    await writeFile(join(dir, 'x.ini'), 'RootId=x\nCatalogFile=nope.txt\n');
    await writeFile(join(dir, 'y.ini'), 'RootId=y\n\nMaxPix=big\n');
    const err = await loadFixtureSet(dir).catch((e: unknown) => e);
    expect(String(err)).toContain('2 catalogs failed to load');
    expect(String(err)).toContain(`CatalogFile ${join(dir, 'nope.txt')} does not exist`);
    expect(String(err)).toContain(`${join(dir, 'y.ini')}:3: attribute maxpix: "big" is not "w,h"`);
  });

  it('refuses a record file without an Id column and a macro file without Definition', async () => {
    await writeFile(join(dir, 'x.ini'), 'RootId=x\nCatalogFile=x.txt\n');
    await writeFile(join(dir, 'x.txt'), 'Path\na.jpg\n');
    await expect(loadFixtureSet(dir)).rejects.toThrow(/x.txt:1: record file has no Id column/);
    await writeFile(join(dir, 'x.ini'), 'RootId=x\nMacroFile=m.txt\n');
    await writeFile(join(dir, 'm.txt'), 'Name\tBody\n');
    await expect(loadFixtureSet(dir)).rejects.toThrow(/m.txt:1: macro file needs Name and Definition columns/);
  });

  it('accepts absolute data file paths', async () => {
    await writeFile(join(dir, 'x.ini'), `RootId=x\nCatalogFile=${join(dir, 'full.txt')}\n`);
    const loaded = await loadFixtureSet(dir);
    expect(loaded.catalog('x')?.record('rec')?.path).toBe('rec.tif');
  });
});

describe('roots', () => {
  it('allows IS_ROOT_PATH and absolute catalog RootPaths, nothing else', () => {
    expect(set.rootGuard.contains(`${FIXTURE_ROOT}/images/cat/img1.jpg`)).toBe(true);
    expect(set.rootGuard.contains('/srv/elsewhere/images/a.jpg')).toBe(true);
    expect(set.rootGuard.contains('/srv/elsewhere/a.jpg')).toBe(false);
    expect(set.rootGuard.contains('/srv/is-root-evil/a.jpg')).toBe(false);
    expect(set.rootGuard.contains('/etc/passwd')).toBe(false);
    expect(set.rootGuard.contains('images/a.jpg')).toBe(false);
    expect(() => set.assertInsideRoot('/etc/passwd')).toThrow(expect.objectContaining({ code: 'IMG_REQUEST_REFUSED' }));
  });
});

describe('symlinks', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'catalogs-roots-'));
    await mkdir(join(base, 'real-root', 'images', 'cat'), { recursive: true });
    await writeFile(join(base, 'real-root', 'images', 'cat', 'img1.jpg'), 'x');
    await mkdir(join(base, 'outside'));
    await writeFile(join(base, 'outside', 'secret.jpg'), 'x');
    await symlink(join(base, 'outside'), join(base, 'real-root', 'images', 'cat', 'evil'));
    await symlink(join(base, 'real-root'), join(base, 'linked-root'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('refuses the real path of a symlink that leads outside, accepts a symlinked root', async () => {
    const linked = await loadFixtureSet(FIXTURE_CATALOGS, join(base, 'linked-root'));
    const escaped = await realpath(join(base, 'linked-root', 'images', 'cat', 'evil', 'secret.jpg'));
    expect(() => linked.assertInsideRoot(escaped)).toThrow(expect.objectContaining({ code: 'IMG_REQUEST_REFUSED' }));
    const inside = await realpath(join(base, 'linked-root', 'images', 'cat', 'img1.jpg'));
    expect(inside.startsWith(join(base, 'real-root'))).toBe(true);
    expect(() => linked.assertInsideRoot(inside)).not.toThrow();
  });
});

describe('isInside', () => {
  it('compares whole path elements', () => {
    expect(isInside('/srv/root', '/srv/root')).toBe(true);
    expect(isInside('/srv/root', '/srv/root/a')).toBe(true);
    expect(isInside('/srv/root', '/srv/rootx/a')).toBe(false);
    expect(isInside('/srv/root', '/srv')).toBe(false);
    expect(isInside('/', '/etc')).toBe(true);
  });
});

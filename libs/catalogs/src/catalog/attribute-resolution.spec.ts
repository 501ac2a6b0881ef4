import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURE_ROOT, copyFixtures, loadFixtureSet } from '../test/fixtures';
import type { CatalogSet } from './catalog-set';

let set: CatalogSet;
beforeAll(async () => {
  set = await loadFixtureSet();
});
const attrs = (rootId: string) => {
  const c = set.catalog(rootId);
  if (c === undefined) {
    throw new Error(`fixture catalog ${rootId} missing`);
  }
  return c.attributes;
};

describe('attributes of default.ini (§4.2, §10 fixture)', () => {
  it('types every value', () => {
    const a = attrs('');
    expect(a).toMatchObject({
      rootId: '',
      rootPath: `${FIXTURE_ROOT}/images`,
      rootPathSetting: 'images/',
      defaultPix: [400, 400],
      defaultThumbPix: [100, 100],
      maxPix: [2000, 2000],
      jpegQuality: { quality: 80, chroma: false },
      bkgColor: { hex: 'FFFFFF', r: 255, g: 255, b: 255, alpha: 255 },
      expiration: 10,
      defaultExpiration: 1,
      nonImgExpiration: 0.1,
      errorDetail: 0,
      defaultImage: null,
      errorImage: null,
      defaultImageMode: 0,
      thumbType: 2,
      thumbHorizAlign: 2,
      thumbVertAlign: 2,
      defaultExt: '.jpg',
      watermark: 'wm',
    });
  });

  it('falls back to the recommended shipping defaults for what default.ini leaves out', () => {
    expect(attrs('')).toMatchObject({
      resMode: 3,
      fullMatch: false,
      useLastModified: false,
      requestLock: false,
      requestObfuscation: false,
      resolution: 72,
      printResolution: 72,
      thumbRes: null,
      publishInfo: null,
      bfc: null,
    });
    expect(attrs('').raw('ResMode')).toBeUndefined();
  });

  it('uses the .ini mtime as TimeStamp when none is set', () => {
    expect(attrs('').timeStamp).toBe(set.defaultCatalog.mtime.getTime());
  });
});

describe('inheritance (§4.2)', () => {
  it('inherits what a catalog does not define', () => {
    expect(attrs('cat')).toMatchObject({ maxPix: [2000, 2000], jpegQuality: { quality: 80, chroma: false }, expiration: 10, defaultExt: '.jpg' });
  });

  it('lets a catalog override, with case-insensitive names', () => {
    expect(attrs('cat')).toMatchObject({ errorDetail: 2, defaultImage: 'noimage', publishInfo: 'fixture catalog', rootPath: `${FIXTURE_ROOT}/images/cat` });
  });

  it('disables DefaultExt, Watermark ... when defined but empty, even though default.ini sets them', () => {
    expect(attrs('full').defaultExt).toBeNull();
    expect(attrs('cat').watermark).toBeNull();
    expect(attrs('cat').raw('watermark')).toBe('');
    expect(attrs('locked').watermark).toBe('wm');
  });

  it('keeps an absolute RootPath as configured', () => {
    expect(attrs('abs').rootPath).toBe('/srv/elsewhere/images');
  });

  it('resolves data files against the catalog folder and does not inherit them', () => {
    expect(attrs('cat').catalogFiles.map((f) => f.split('/').pop())).toEqual(['cat.txt', 'cat-extra.txt']);
    expect(attrs('abs').catalogFiles).toEqual([]);
    expect(attrs('abs').macroFile).toBeNull();
    expect(set.catalog('abs')?.records.size).toBe(0);
  });
});

describe('attribute edge cases', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await copyFixtures());
  });
  afterEach(() => cleanup());

  const load = async (ini: string) => {
    await writeFile(join(dir, 'x.ini'), `RootId=x\n${ini}`);
    const loaded = await loadFixtureSet(dir);
    const x = loaded.catalog('x');
    if (x === undefined) {
      throw new Error('x not loaded');
    }
    return x.attributes;
  };

  it('falls back to default.ini for an empty value of an ordinary attribute', async () => {
    const a = await load('MaxPix=\nErrorDetail=\n');
    expect(a.maxPix).toEqual([2000, 2000]);
    expect(a.errorDetail).toBe(0);
  });

  it('adds the dot to DefaultExt, and parses flags, colours and pairs', async () => {
    const a = await load('DefaultExt=tif\nFullMatch=1\nBkgColor=0x80ff00\nDefaultPix=0,300\nJpegQuality=95,1\nRequestLock=1\nExpiration=-1\nTimeStamp=1000\n');
    expect(a).toMatchObject({
      defaultExt: '.tif',
      fullMatch: true,
      bkgColor: { hex: '80FF00', r: 128, g: 255, b: 0 },
      defaultPix: [0, 300],
      jpegQuality: { quality: 95, chroma: true },
      requestLock: true,
      expiration: -1,
      timeStamp: 1000,
    });
  });

  it('an empty RootPath contributes nothing: the catalog reads from IS_ROOT_PATH itself', async () => {
    expect((await load('RootPath=\n')).rootPath).toBe(FIXTURE_ROOT);
  });

  it('refuses out-of-range values with file, line and attribute', async () => {
    await expect(load('\nErrorDetail=4\n')).rejects.toThrow(`${join(dir, 'x.ini')}:3: attribute errordetail: 4 is not one of 0, 1, 2, 3`);
    await expect(load('ThumbType=0\n')).rejects.toThrow(/attribute thumbtype: 0 is not one of 1, 2, 3/);
    await expect(load('JpegQuality=80,2\n')).rejects.toThrow(/attribute jpegquality: "2" is not a flag/);
    await expect(load('Resolution=0\n')).rejects.toThrow(/attribute resolution: 0 must be > 0/);
  });

  it('reports a bad value inherited from default.ini against default.ini', async () => {
    await writeFile(join(dir, 'default.ini'), 'RootId=\nNonImgExpiration=soon\n');
    await expect(loadFixtureSet(dir)).rejects.toThrow(`${join(dir, 'default.ini')}:2: attribute nonimgexpiration: "soon" is not a number`);
  });

  it('keeps unknown attributes available through raw()', async () => {
    const a = await load('AllowDirectAccess=include:IS\n');
    expect(a.raw('ALLOWDIRECTACCESS')).toBe('include:IS');
  });

  it('reads .ini files as UTF-8 after a BOM, else as ISO-8859-1', async () => {
    await writeFile(join(dir, 'u.ini'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('RootId=u\nPublishInfo=café\n', 'utf8')]));
    await writeFile(join(dir, 'l.ini'), Buffer.from('RootId=l\r\nPublishInfo=café\r\n', 'latin1'));
    const loaded = await loadFixtureSet(dir);
    expect(loaded.catalog('u')?.attributes.publishInfo).toBe('café');
    expect(loaded.catalog('l')?.attributes.publishInfo).toBe('café');
  });
});

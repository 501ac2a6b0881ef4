// Issue 15 item 5: a source used only as a layer gets derived levels (the level cache counts layer
// renders), and layers that need less than full resolution read them. Which file a layer was
// read from is proven as in level-cache.int-spec.ts: the derived file is replaced by a magenta
// one of the same page sizes, which turns exactly the layers that read it magenta.
import { copyFile, cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES, ImageServerHarness, near, pixels, RED } from './support/image-server.harness';

const MAGENTA = [255, 0, 255];

describe('level reads for layer sources (issue 15 item 5)', () => {
  let root: string;
  let levelDir: string;
  let server: ImageServerHarness;
  const levelFiles = async () => (await readdir(levelDir)).filter((f) => f.endsWith('.tif'));
  /** The colour at a point of a composite of white 1000x800 with img1 (red top-left quadrant) as layer 1. */
  const colour = async (query: string, x: number, y: number) => {
    const r = await server.get(`/is/image/cat/base.png?layer=1&src=lv.jpg&${query}&scl=1&fmt=png`);
    expect(r.status).toBe(200);
    return (await pixels(r.body)).at(x, y).slice(0, 3);
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-comp-levels-'));
    levelDir = join(root, 'levels');
    await cp(FIXTURES, root, { recursive: true });
    await copyFile(join(FIXTURES, 'images/cat/img1.jpg'), join(root, 'images/cat/lv.jpg'));
    await writeFile(join(root, 'images/cat/base.png'), await sharp({ create: { width: 1000, height: 800, channels: 3, background: '#ffffff' } }).png().toBuffer());
    server = await ImageServerHarness.start({
      IS_CATALOG_ROOT: join(root, 'catalog'),
      IS_ROOT_PATH: root,
      IS_SOURCE_STAT_TTL_MS: '0',
      IS_RESULT_CACHE_BYTES: '0',
      IS_LEVEL_CACHE: '1',
      IS_LEVEL_CACHE_DIR: levelDir,
      IS_LEVEL_CACHE_AFTER: '2',
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a layer source rendered IS_LEVEL_CACHE_AFTER times at half size is derived; smaller layers read the level, full-size ones the source', async () => {
    // layer 1 = img1 at half size (500x400), centred on the 1000x800 base: its red quadrant at x 250..499, y 200..399
    expect(near(await colour('size=500,0', 300, 250), RED)).toBe(true);
    expect(near(await colour('scale=0.5', 300, 250), RED)).toBe(true);
    for (let i = 0; i < 500 && (await levelFiles()).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const [file] = await levelFiles();
    expect(file).toBeDefined();
    const path = join(levelDir, file as string);
    const { width, height } = await sharp(path).metadata();
    await writeFile(path, await sharp({ create: { width: width ?? 1, height: height ?? 1, channels: 3, background: { r: 255, g: 0, b: 255 } } })
      .tiff({ tile: true, pyramid: true, tileWidth: 256, tileHeight: 256, compression: 'deflate' }).toBuffer());
    // a quarter-size layer reads the derived level (now magenta) …
    expect(near(await colour('size=250,0', 400, 320), MAGENTA)).toBe(true);
    // … a full-size one reads the source
    expect(near(await colour('scale=1', 100, 100), RED)).toBe(true);
  });
});

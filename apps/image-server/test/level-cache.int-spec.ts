// The level cache (IS_LEVEL_CACHE, on by default; the harness turns it off elsewhere): derived pyramid levels of non-pyramid sources.
// Which file a reply was read from is proven by tampering: a derived file replaced by a magenta
// one of the same page sizes turns exactly the replies that read it magenta.
import fc from 'fast-check';
import { copyFile, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { RenderAdmissionService } from '../src/limits/render-admission.service';
import { BLUE, FIXTURES, GREEN, ImageServerHarness, meanDifference, near, pixels, RED, tiffCompression, YELLOW } from './support/image-server.harness';

const MAGENTA = [255, 0, 255];

/** The finished level files in `dir` (not the `.tmp` of a derivation in progress). */
const levelFiles = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.tif')).sort();

/** Waits until `dir` holds more than `count` level files (derivation runs in the background). */
async function moreThan(dir: string, count: number): Promise<string[]> {
  for (let i = 0; i < 500 && (await levelFiles(dir)).length <= count; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return levelFiles(dir);
}


/** The value of gauge is_level_cache_derivations{state} in a /metrics reply. */
function derivations(metrics: string, state: 'waiting' | 'running'): number | undefined {
  const line = new RegExp(`^is_level_cache_derivations\\{[^}]*state="${state}"[^}]*\\} (\\d+)$`, 'm').exec(metrics);
  return line === null ? undefined : Number(line[1]);
}

/** Waits (a bounded number of event-loop turns) until `ready()` holds; what the test asserts next does not depend on how long that took. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !ready(); i++) {
    await new Promise((r) => setImmediate(r));
  }
  expect(ready()).toBe(true);
}

/** A solid magenta pyramid TIFF with the page sizes of `file` (or `size`), written over it. */
async function tamper(file: string, size?: { width: number; height: number }): Promise<void> {
  const { width, height } = size ?? (await sharp(file).metadata());
  const magenta = await sharp({ create: { width, height, channels: 3, background: { r: 255, g: 0, b: 255 } } })
    .tiff({ tile: true, pyramid: true, tileWidth: 256, tileHeight: 256, compression: 'deflate' })
    .toBuffer();
  await writeFile(file, magenta);
}

describe('level cache (IS_LEVEL_CACHE): derived pyramid levels of non-pyramid sources', () => {
  let root: string;
  let levelDir: string;
  let server: ImageServerHarness;
  let reference: ImageServerHarness;
  const env = () => ({
    IS_CATALOG_ROOT: join(root, 'catalog'),
    IS_ROOT_PATH: root,
    IS_SOURCE_STAT_TTL_MS: '0',
    IS_RESULT_CACHE_BYTES: '0',
    IS_LEVEL_CACHE: '1',
    IS_LEVEL_CACHE_DIR: levelDir,
    IS_LEVEL_CACHE_AFTER: '2',
  });
  const files = () => levelFiles(levelDir);
  /** Waits until the folder holds `n` level files. */
  const settle = async (n: number) => {
    const found = await moreThan(levelDir, n - 1);
    expect(found).toHaveLength(n);
    return found.map((f) => join(levelDir, f));
  };
  const colour = async (url: string, x = 0.5, y = 0.5) => {
    const r = await server.get(url);
    expect(r.status).toBe(200);
    const p = await pixels(r.body);
    return p.at(Math.floor(p.width * x), Math.floor(p.height * y)).slice(0, 3);
  };
  /** Renders `url` IS_LEVEL_CACHE_AFTER (2) times at half its width, and returns the level file that derives (from 1/2). */
  const derive = async (url: string) => {
    const before = await files();
    expect((await server.get(`${url}?wid=500`)).status).toBe(200);
    expect((await server.get(`${url}?wid=499`)).status).toBe(200);
    const after = await settle(before.length + 1);
    return after.find((f) => !before.includes(f.slice(levelDir.length + 1))) as string;
  };
  /** A copy of img1.jpg (1000×800, red/green/blue/yellow quadrants) under a new name in catalog cat. */
  const source = async (name: string) => {
    await copyFile(join(FIXTURES, 'images/cat/img1.jpg'), join(root, 'images/cat', name));
    return `/is/image/cat/${name}`;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-levels-'));
    levelDir = join(root, 'levels');
    await cp(FIXTURES, root, { recursive: true });
    server = await ImageServerHarness.start(env());
    reference = await ImageServerHarness.start({ IS_RESULT_CACHE_BYTES: '0' });
  });
  afterAll(async () => {
    await server.close();
    await reference.close();
    await rm(root, { recursive: true, force: true });
  });

  it('derives a source rendered IS_LEVEL_CACHE_AFTER times, once: a JPEG-tiled pyramid TIFF from half its size', async () => {
    const url = await source('a.jpg');
    expect((await server.get(`${url}?wid=500`)).status).toBe(200);
    expect(await files()).toEqual([]);
    expect((await server.get(`${url}?wid=480`)).status).toBe(200);
    const [file] = await settle(1);
    const bytes = await readFile(file as string);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.pages]).toEqual(['tiff', 500, 400, 2]);
    expect(tiffCompression(bytes)).toBe(7);
    const page1 = await sharp(bytes, { page: 1 }).metadata();
    expect([page1.width, page1.height]).toEqual([250, 200]);
    await server.get(`${url}?wid=140`);
    await server.get(`${url}?wid=160`);
    expect(await files()).toHaveLength(1);
  });

  it('issue 14: the long tail pays nothing: a source rendered twice is not derived at the default IS_LEVEL_CACHE_AFTER (8), a reused one is', async () => {
    const dir = join(root, 'levels-reuse');
    const byDefault = await ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE_AFTER: '', IS_LEVEL_CACHE_DIR: dir });
    try {
      const [twice, reused] = [await source('twice.jpg'), await source('reused.jpg')];
      for (const wid of [300, 301]) {
        expect((await byDefault.get(`${twice}?wid=${wid}`)).status).toBe(200);
      }
      for (let i = 0; i < 8; i++) {
        expect((await byDefault.get(`${reused}?wid=${300 + i}`)).status).toBe(200);
      }
      // One derivation runs at a time, oldest first: had the source rendered twice been queued, its file would be there by now.
      for (const name of await moreThan(dir, 0)) {
        await tamper(join(dir, name));
      }
      const centre = async (url: string) => (await pixels((await byDefault.get(`${url}?wid=100`)).body)).at(25, 20).slice(0, 3);
      expect(near(await centre(twice), RED)).toBe(true);
      expect(near(await centre(reused), MAGENTA)).toBe(true);
      expect(await levelFiles(dir)).toHaveLength(1);
    } finally {
      await byDefault.close();
    }
  });

  it('issue 14: a source that reaches the count while the CPU is busy waits, without deriving, until renders leave room', async () => {
    const dir = join(root, 'levels-busy');
    const busy = await ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE_DIR: dir, IS_MAX_RENDERS: '1' });
    const admission = busy.app.get(RenderAdmissionService);
    // Renders that hold the only render slot until released: real admission, real waiting.
    const hold = () => {
      let release: () => void = () => undefined;
      const held = admission.run(() => new Promise<void>((r) => (release = r)));
      return { held, release: () => release() };
    };
    const gauge = async (state: 'waiting' | 'running') => derivations((await busy.get('/metrics')).text, state);
    try {
      const url = await source('busy.jpg');
      expect((await busy.get(`${url}?wid=300`)).status).toBe(200);
      const first = hold();
      await until(() => admission.load.inFlight === 1);
      // The second render waits behind the first hold, a second hold behind it: when it ends, the slot passes on at once.
      const second = busy.get(`${url}?wid=301`);
      await until(() => admission.load.queued === 1);
      const next = hold();
      expect(admission.load.queued).toBe(2);
      first.release();
      expect((await second).status).toBe(200);
      expect(admission.load).toEqual({ inFlight: 1, queued: 0 });
      expect([await gauge('waiting'), await gauge('running')]).toEqual([1, 0]);
      expect(await readdir(dir)).toEqual([]);
      next.release();
      await Promise.all([first.held, next.held]);
      const [name] = await moreThan(dir, 0);
      expect([await gauge('waiting'), await gauge('running')]).toEqual([0, 0]);
      await tamper(join(dir, name as string));
      expect(near((await pixels((await busy.get(`${url}?wid=100`)).body)).at(25, 20).slice(0, 3), MAGENTA)).toBe(true);
    } finally {
      await busy.close();
    }
  });

  it.each([
    ['thumbnails (wid=100, 120: 1/8 holds them)', ['wid=100', 'wid=120'], [125, 100]],
    ['wid=200, 240 (1/4 holds them)', ['wid=200', 'wid=240'], [250, 200]],
    ['a thumbnail and a zoom tile (rect=: may need any level)', ['wid=100', 'scl=4&rect=0,0,100,100'], [500, 400]],
    ['a thumbnail and a crop', ['wid=100', 'crop=0,0,500,400&wid=100'], [500, 400]],
  ])('issue 14: derives from the cheapest decode that gives the levels its counted renders used: %s', async (_, requests, first) => {
    const before = await files();
    const url = await source(`reduce-${first.join('x')}-${requests.length}-${requests[1]?.length}.jpg`);
    for (const q of requests) {
      expect((await server.get(`${url}?${q}`)).status).toBe(200);
    }
    const [file] = (await settle(before.length + 1)).filter((f) => !before.includes(f.slice(levelDir.length + 1)));
    const meta = await sharp(file as string).metadata();
    expect([meta.width, meta.height]).toEqual(first);
    // Replies that need more detail than the levels hold read the source; those they hold read the levels.
    await tamper(file as string);
    expect(near(await colour(`${url}?wid=${(first[0] as number) + 50}`, 0.25, 0.25), RED)).toBe(true);
    expect(near(await colour(`${url}?wid=${first[0]}`, 0.25, 0.25), MAGENTA)).toBe(true);
  });

  it('replies from derived levels are the picture the source gives (mean difference under 3/255)', async () => {
    const url = await source('b.jpg');
    await derive(url);
    const requests = ['wid=100', 'wid=333&hei=200&fit=crop', 'rgn=100,100,600,500&wid=150', 'req=tmb', 'cropN=0.1,0.1,0.5,0.5&wid=120', 'wid=240&fmt=png', 'scl=3&rect=50,50,100,100'];
    for (const q of requests) {
      const ours = await server.get(`${url}?${q}`);
      const plain = await reference.get(`/is/image/cat/img1.jpg?${q}`);
      expect([q, ours.status, plain.status]).toEqual([q, 200, 200]);
      expect({ q, below3: (await meanDifference(ours.body, plain.body)) < 3 }).toEqual({ q, below3: true });
    }
  });

  it('reduced replies read the derived levels; full-resolution replies and layer commands read the source', async () => {
    const url = await source('c.jpg');
    await tamper(await derive(url));
    expect(near(await colour(`${url}?wid=100`), MAGENTA)).toBe(true);
    expect(near(await colour(`${url}?crop=0,0,500,400&wid=100`), MAGENTA)).toBe(true);
    expect(near(await colour(`${url}?wid=500`, 0.25, 0.25), MAGENTA)).toBe(true);
    // More pixels than the largest derived level (500×400): the source.
    expect(near(await colour(`${url}?wid=600`, 0.25, 0.25), RED)).toBe(true);
    expect(near(await colour(`${url}?scl=1&rect=0,0,100,100`), RED)).toBe(true);
    // Layer commands other than a lone crop read level 0 (the source).
    expect(near(await colour(`${url}?rotate=90&wid=100`, 0.25, 0.25), BLUE)).toBe(true);
  });

  it('a changed source is a new version: its content is served at once, and derived anew', async () => {
    const url = await source('d.jpg');
    await tamper(await derive(url));
    expect(near(await colour(`${url}?wid=100`), MAGENTA)).toBe(true);
    const green = await sharp({ create: { width: 600, height: 600, channels: 3, background: { r: 0, g: 255, b: 0 } } }).jpeg().toBuffer();
    await writeFile(join(root, 'images/cat/d.jpg'), green);
    expect(near(await colour(`${url}?wid=100`), GREEN)).toBe(true);
    const file = await derive(url);
    expect((await sharp(file).metadata()).width).toBe(300);
    expect(near(await colour(`${url}?wid=100`), GREEN)).toBe(true);
  });

  it('a derived file that cannot be read: the reply comes from the source, and the file is not used again', async () => {
    const url = await source('e.jpg');
    const file = await derive(url);
    await tamper(file);
    expect(near(await colour(`${url}?wid=100`), MAGENTA)).toBe(true);
    await writeFile(file, Buffer.from('not a TIFF any more'));
    expect(near(await colour(`${url}?wid=100`, 0.75, 0.75), YELLOW)).toBe(true);
    await tamper(file, { width: 500, height: 400 });
    expect(near(await colour(`${url}?wid=100`, 0.75, 0.75), YELLOW)).toBe(true);
  });

  it('a derived file gone from the folder (evicted by another process sharing it): the reply comes from the source, and it is derived again', async () => {
    const url = await source('gone.jpg');
    const file = await derive(url);
    await rm(file);
    expect(near(await colour(`${url}?wid=100`, 0.75, 0.75), YELLOW)).toBe(true);
    expect(await stat(file).catch(() => undefined)).toBeUndefined();
    expect(near(await colour(`${url}?wid=101`, 0.75, 0.75), YELLOW)).toBe(true);
    expect(near(await colour(`${url}?wid=102`, 0.75, 0.75), YELLOW)).toBe(true);
    for (let i = 0; i < 500 && (await stat(file).catch(() => undefined)) === undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await tamper(file);
    expect(near(await colour(`${url}?wid=100`), MAGENTA)).toBe(true);
  });

  it('keeps alpha: a PNG source is derived with lossless tiles, and its replies match the source', async () => {
    const png = await sharp({ create: { width: 600, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: await sharp({ create: { width: 300, height: 400, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } }).png().toBuffer(), left: 0, top: 0 }])
      .png()
      .toBuffer();
    await writeFile(join(root, 'images/cat/f.png'), png);
    const url = '/is/image/cat/f.png';
    const first = await server.get(`${url}?wid=150&fmt=png-alpha`);
    const file = await derive(url);
    const meta = await sharp(file).metadata();
    expect([meta.width, meta.height, meta.channels, tiffCompression(await readFile(file))]).toEqual([300, 200, 4, 8]);
    await tamper(file);
    expect(near(await colour(`${url}?wid=150`, 0.25, 0.5), MAGENTA)).toBe(true);
    await writeFile(file, await sharp(png).resize(300, 200).tiff({ tile: true, pyramid: true, compression: 'deflate' }).toBuffer());
    const again = await server.get(`${url}?wid=150&fmt=png-alpha`);
    const p = await pixels(again.body);
    expect([p.width, p.height, p.channels]).toEqual([150, 100, 4]);
    expect(p.at(30, 50)).toEqual([255, 0, 0, 255]);
    expect(p.at(120, 50)[3]).toBe(0);
    expect(await meanDifference(again.body, first.body)).toBeLessThan(1);
  });

  it('property: for random view and crop commands, replies from derived levels have the status, size and picture the source gives', async () => {
    const url = await source('p.jpg');
    await derive(url);
    const int = (min: number, max: number) => fc.integer({ min, max }).map(String);
    const rect = fc.tuple(int(-100, 900), int(-100, 700), int(1, 400), int(1, 400)).map((r) => r.join(','));
    const command = fc.oneof(
      int(1, 600).map((v) => `wid=${v}`),
      int(1, 500).map((v) => `hei=${v}`),
      fc.constantFrom('1.5', '2', '3.7', '8', '20').map((v) => `scl=${v}`),
      fc.constantFrom('fit', 'constrain', 'crop', 'wrap', 'stretch', 'hfit', 'vfit', 'fit,1', 'crop,1').map((v) => `fit=${v}`),
      rect.map((v) => `rgn=${v}`),
      rect.map((v) => `rect=${v}`),
      rect.map((v) => `crop=${v}`),
      fc.constantFrom('0.1,0.1,0.5,0.5', '0,0,1,1', '0.5,0.5,0.5,0.5', '-0.1,0,0.5,0.5').map((v) => `cropN=${v}`),
      fc.constantFrom('-1,-1', '1,1', '0,0.5').map((v) => `align=${v}`),
      fc.constantFrom('png', 'jpeg', 'png-alpha').map((v) => `fmt=${v}`),
      fc.constantFrom('1,0.5,0', '2,1,10').map((v) => `op_usm=${v}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 4 }), async (commands) => {
        const q = commands.join('&');
        const [ours, plain] = [await server.get(`${url}?${q}`), await reference.get(`/is/image/cat/img1.jpg?${q}`)];
        expect([q, ours.status]).toEqual([q, plain.status]);
        if (ours.status === 200) {
          const [a, b] = [await pixels(ours.body), await pixels(plain.body)];
          expect([q, a.width, a.height, a.channels, a.format]).toEqual([q, b.width, b.height, b.channels, b.format]);
          expect({ q, close: (await meanDifference(ours.body, plain.body)) < 4 }).toEqual({ q, close: true });
        }
      }),
      { numRuns: 60, seed: 20261203 },
    );
  });

  it('leaves pyramids, GIFs and small sources alone', async () => {
    await writeFile(join(root, 'images/cat/g.gif'), await sharp(join(FIXTURES, 'images/cat/img1.jpg')).gif().toBuffer());
    const before = await files();
    for (const path of ['img1-pyramid.tif', 'levels.tif', 'noimage.png', 'g.gif']) {
      for (let i = 0; i < 3; i++) {
        expect((await server.get(`/is/image/cat/${path}?wid=${20 + i}`)).status).toBe(200);
      }
    }
    // Derivations run one at a time, oldest first: once a JPEG rendered after them has its file, any of theirs would be there.
    const marker = await derive(await source('after-pyramids.jpg'));
    expect(await files()).toEqual([...before, marker.slice(levelDir.length + 1)].sort());
  });

  it('a restart indexes the level files a previous run left, and removes unfinished ones', async () => {
    const url = await source('h.jpg');
    await tamper(await derive(url));
    await writeFile(join(levelDir, `${'0'.repeat(40)}.tif.1.0.tmp`), 'half-written');
    const restarted = await ImageServerHarness.start(env());
    try {
      expect((await readdir(levelDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const r = await restarted.get(`${url}?wid=100`);
      expect(near((await pixels(r.body)).at(50, 40).slice(0, 3), MAGENTA)).toBe(true);
    } finally {
      await restarted.close();
    }
  });

  it('IS_LEVEL_CACHE_BYTES bounds the folder: files beyond it are not read, and are deleted', async () => {
    const url = await source('i.jpg');
    await tamper(await derive(url));
    const small = await ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE_BYTES: '1' });
    try {
      const r = await small.get(`${url}?wid=100`);
      expect(near((await pixels(r.body)).at(25, 20).slice(0, 3), RED)).toBe(true);
    } finally {
      await small.close();
    }
    expect(await files()).toEqual([]);
  });

  it('IS_LEVEL_CACHE_FULL=1 keeps the full level too: full-size zoom tiles read it, layer commands still read the source', async () => {
    const dir = join(root, 'levels-full');
    const full = await ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE_DIR: dir, IS_LEVEL_CACHE_FULL: '1' });
    try {
      const url = await source('full.jpg');
      await full.get(`${url}?wid=10`);
      await full.get(`${url}?wid=11`);
      const [name] = await moreThan(dir, 0);
      const file = join(dir, name as string);
      const bytes = await readFile(file);
      const meta = await sharp(bytes).metadata();
      expect([meta.width, meta.height, meta.pages, tiffCompression(bytes)]).toEqual([1000, 800, 3, 7]);
      const tile = 'scl=1&rect=400,300,200,200';
      expect(await meanDifference((await full.get(`${url}?${tile}`)).body, (await reference.get(`/is/image/cat/img1.jpg?${tile}`)).body)).toBeLessThan(3);
      await tamper(file);
      const at = async (q: string, x: number, y: number) => {
        const p = await pixels((await full.get(`${url}?${q}`)).body);
        return p.at(Math.floor(p.width * x), Math.floor(p.height * y)).slice(0, 3);
      };
      expect(near(await at(tile, 0.25, 0.25), MAGENTA)).toBe(true);
      expect(near(await at('wid=600', 0.25, 0.25), MAGENTA)).toBe(true);
      expect(near(await at('wid=100', 0.5, 0.5), MAGENTA)).toBe(true);
      expect(near(await at('rotate=90&wid=100', 0.25, 0.25), BLUE)).toBe(true);
    } finally {
      await full.close();
    }
  });

  it('evicts the least recently used level file first, not the oldest written', async () => {
    const dir = join(root, 'levels-lru');
    const one = (await stat(await derive(await source('lru-probe.jpg')))).size;
    const lru = await ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE_DIR: dir, IS_LEVEL_CACHE_BYTES: String(Math.floor(one * 2.5)) });
    const derived = async (url: string) => {
      const before = (await levelFiles(dir)).length;
      await lru.get(`${url}?wid=500`);
      await lru.get(`${url}?wid=499`);
      await moreThan(dir, before);
    };
    const centre = async (url: string) => (await pixels((await lru.get(`${url}?wid=100`)).body)).at(25, 20).slice(0, 3);
    try {
      const [a, b, c] = [await source('lru-a.jpg'), await source('lru-b.jpg'), await source('lru-c.jpg')];
      await derived(a);
      await derived(b);
      for (const f of await levelFiles(dir)) {
        await tamper(join(dir, f));
      }
      expect(near(await centre(a), MAGENTA)).toBe(true);
      await derived(c);
      expect(near(await centre(a), MAGENTA)).toBe(true);
      expect(near(await centre(b), RED)).toBe(true);
    } finally {
      await lru.close();
    }
    expect(await levelFiles(dir)).toHaveLength(2);
  });

  it('a folder that cannot be used stops the start with a message naming IS_LEVEL_CACHE_DIR', async () => {
    const notADir = join(root, 'images/cat/a.jpg');
    await expect(ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE_DIR: notADir })).rejects.toThrow(`IS_LEVEL_CACHE_DIR=${notADir} cannot be used as the level cache folder`);
    // Readable but not writable (even for root): every derivation would fail, so the start does.
    await expect(ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE_DIR: '/proc' })).rejects.toThrow('IS_LEVEL_CACHE_DIR=/proc cannot be used as the level cache folder');
  });

  it('is on by default, in ${DATA_DIR}/image-levels', async () => {
    const data = join(root, 'data-default');
    const byDefault = await ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE: '', IS_LEVEL_CACHE_DIR: '', DATA_DIR: data });
    try {
      const url = await source('default.jpg');
      await byDefault.get(`${url}?wid=10`);
      await byDefault.get(`${url}?wid=11`);
      const dir = join(data, 'image-levels');
      const [name] = await moreThan(dir, 0);
      await tamper(join(dir, name as string));
      expect(near((await pixels((await byDefault.get(`${url}?wid=100`)).body)).at(25, 20).slice(0, 3), MAGENTA)).toBe(true);
    } finally {
      await byDefault.close();
    }
  });

  it('a default folder that cannot be used: the server starts and serves without the level cache', async () => {
    const notADir = join(root, 'images/cat/a.jpg');
    const readOnly = await ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE: '', IS_LEVEL_CACHE_DIR: '', DATA_DIR: notADir });
    try {
      const url = await source('no-folder.jpg');
      for (const wid of [10, 11, 12, 100]) {
        expect((await readOnly.get(`${url}?wid=${wid}`)).status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 200));
      const metrics = (await readOnly.get('/metrics')).text;
      expect(metrics).not.toMatch(/is_level_cache_events_total\{event="(used|derived|failed)"\} [1-9]/);
      expect(near((await pixels((await readOnly.get(`${url}?wid=100`)).body)).at(25, 20).slice(0, 3), RED)).toBe(true);
    } finally {
      await readOnly.close();
    }
  });

  it.each([
    ['IS_LEVEL_CACHE=0', { IS_LEVEL_CACHE: '0' }],
    ['IS_LEVEL_CACHE_BYTES=0', { IS_LEVEL_CACHE_BYTES: '0' }],
  ])('%s switches it off: nothing is derived, the folder is not even created', async (_, off) => {
    const dir = join(root, `levels-off-${Object.keys(off)[0]}`);
    const plain = await ImageServerHarness.start({ ...env(), IS_LEVEL_CACHE_DIR: dir, ...off });
    try {
      const url = await source(`off-${Object.keys(off)[0]}.jpg`);
      for (const wid of [10, 11, 12, 13]) {
        expect((await plain.get(`${url}?wid=${wid}`)).status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 300));
      await expect(stat(dir)).rejects.toThrow(/ENOENT/);
    } finally {
      await plain.close();
    }
  });
});

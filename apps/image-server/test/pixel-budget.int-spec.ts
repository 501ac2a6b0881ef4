// Issue 14, item 1: a pixel budget for every stage of the pipeline. Every command of the command
// table, with extreme values, alone, after wid=100 and in random combinations (fast-check, fixed
// seed, bounded count), against the real server in a child process whose resident memory is read
// from /proc: each reply comes within a second, an out-of-range value is a 4xx naming the command,
// and no reply makes the server's memory rise by more than BYTES_PER_BUDGET_PIXEL per pixel of its
// pixel budget (src/pipeline/pixel-budget.ts, README "Pixel budget") plus MEMORY_SLACK.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { buildRenderSpec } from '../src/commands/build-render-spec';
import { IMAGE_COMMANDS } from '../src/commands/command-table';
import { BUDGET_FACTOR, BUDGET_FLOOR_PIXELS } from '../src/pipeline/pixel-budget';
import { FIXTURES } from './support/image-server.harness';
import { type MeasuredReply, ServerChild } from './support/server-child';

/** img1.jpg of the fixtures. */
const SOURCE_PIXELS = 1000 * 800;
/** IS_MAX_RENDER_PIXELS of the server under test (its catalog has MaxPix=0,0: this is the only reply limit). */
const MAX_REPLY_PIXELS = 1_000_000;
/** IS_MAX_INPUT_PIXELS: the default, so the pixel budget, not the input limit, is what bounds the layers. */
const MAX_INPUT_PIXELS = 100_000_000;
/**
 * Resident memory a render may add per pixel of its budget. An intermediate image is held as RGBA
 * (4 bytes a pixel); a render holds at most the layer and the composite after rotate/extend, and
 * libvips needs working buffers for the view on top. Measured here: at most 5–6 bytes.
 */
const BYTES_PER_BUDGET_PIXEL = 16;
/** What any request may add on top (HTTP, the reply's encoding, V8 and allocator noise). Measured: a refused request adds under 1 MB. */
const MEMORY_SLACK = 48 * 1024 * 1024;
/** How far the server's resident memory may rise over the whole run (about 2,200 requests, 190 renders). Measured: 120–130 MB. */
const RUN_GROWTH_LIMIT = 256 * 1024 * 1024;
/**
 * The issue's bound on every reply, as a timed assertion; the renders allowed here take 10–350 ms.
 * On a loaded machine a reply over it is sent once more and only the second time counts: a
 * regression (seconds, like the old code's) is slow both times, a scheduling hiccup is not.
 */
const REPLY_WITHIN_MS = 1000;
/** A regression (the old code took 2.4–7 s for size=12000,12000 here, and crashed after 50 s for 50000) fails as "no reply" at this point. */
const GIVE_UP_MS = 15_000;

/** Values at and beyond every bound of the table: zero, negatives, 2^31, 50000×50000, NaN, huge lists. */
const EXTREMES = [
  '0', '-1', '1', '0.0000001', '2147483648', '-2147483648', '9007199254740993', '1e308', '-1e308', 'NaN', 'Infinity', '',
  '50000,50000', '65535,65535', '0,50000', '-50000,-50000', '50000,50000,50000,50000', '-50000,-50000,50000,50000',
  '0,0,2147483648,2147483648', '0,0,1,1', '0,0,0,0', '0.5,0.5,1e308,1e308', '65535,65535,65535,65535', '-65535,-65535,-65535,-65535',
  '0,0,100,100,100', 'lrud', 'fit,1', 'stretch,1', 'png-alpha', '255,0,0', `${'1,'.repeat(2000)}1`, `${'50000,'.repeat(500)}50000`,
];
const NAMES = IMAGE_COMMANDS.flatMap((e) => e.names);

type Pair = readonly [string, string];

const queryOf = (pairs: readonly Pair[]) => pairs.map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('&');

/** True when the command table refuses the commands (the server must then answer 400). */
function invalid(pairs: readonly Pair[]): boolean {
  try {
    buildRenderSpec(pairs.map(([name, value]) => ({ name, value })), { thumbnail: false });
    return false;
  } catch {
    return true;
  }
}

/** The pixel budget of a reply of `replyPixels` from img1 (README "Pixel budget"). */
const budgetOf = (replyPixels: number) => Math.min(MAX_INPUT_PIXELS, Math.max(BUDGET_FLOOR_PIXELS, BUDGET_FACTOR * Math.max(SOURCE_PIXELS, replyPixels)));

describe('pixel budget: every command with extreme values (issue 14)', () => {
  let root: string;
  let server: ServerChild;
  let startRss: number;
  const worst = { ratio: 0, query: '', grewBy: 0 };
  let highest = 0;
  const slowest = { ms: 0, query: '' };
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-budget-'));
    await cp(join(FIXTURES, 'catalog'), root, { recursive: true });
    // MaxPix=0,0 and DefaultPix=0,0: nothing but the server limits bounds a reply; ErrorDetail=2 shows the command refused.
    await writeFile(join(root, 'budget.ini'), 'RootId=budget\nRootPath=images/cat/\nCatalogFile=cat.txt\nMaxPix=0,0\nDefaultPix=0,0\nErrorDetail=2\n');
    // Error images drawn as text canvases (§5.4): one within IS_MAX_RENDER_PIXELS, one over it.
    const records = 'Id\tPath\tModifier\tPostModifier\tExpiration\tUserData\nbig\t\tsize=4000,4000&bgc=ffffff&text=$error.title$\t\t\t\nsmall\t\tsize=900,900&bgc=ffffff&fmt=png&text=$error.title$\t\t\t\n';
    await writeFile(join(root, 'texts.txt'), records);
    for (const [id, image] of [['bigerr', 'big'], ['smallerr', 'small']]) {
      await writeFile(join(root, `${id}.ini`), `RootId=${id}\nRootPath=images/cat/\nCatalogFile=texts.txt\nErrorImage=${image}\n`);
    }
    server = await ServerChild.start({
      IS_CATALOG_ROOT: root,
      IS_ROOT_PATH: FIXTURES,
      IS_WATCH_CATALOGS: '0',
      IS_LEVEL_CACHE: '0',
      IS_RESULT_CACHE_BYTES: '0',
      IS_MAX_RENDER_PIXELS: String(MAX_REPLY_PIXELS),
      IS_MAX_INPUT_PIXELS: String(MAX_INPUT_PIXELS),
      IS_STATUS_USAGE: '400',
      IS_MAX_RENDERS: '1',
      LOG_LEVEL: 'error',
    });
    // Warm up (first render, JIT) so the first measured request does not pay for it.
    await server.get('/is/image/budget/img1?wid=100&rotate=30', GIVE_UP_MS);
    startRss = server.memory().rss;
  });
  afterAll(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  /** Sends the commands for img1 and checks the reply: in time, 200/400/403 as the values deserve, memory within budget. */
  async function check(pairs: readonly Pair[], object = 'img1'): Promise<MeasuredReply> {
    const query = queryOf(pairs);
    const send = async () => {
      try {
        return await server.get(`/is/image/budget/${object}?${query}`, GIVE_UP_MS);
      } catch (error) {
        throw new Error(`${query}: ${String(error)}; server ${server.alive ? 'running' : `gone:\n${server.log}`}`);
      }
    };
    let r = await send();
    if (r.ms > REPLY_WITHIN_MS && server.alive) {
      r = await send();
    }
    highest = Math.max(highest, server.memory().peak);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    if (r.ms > slowest.ms) {
      Object.assign(slowest, { ms: r.ms, query });
    }
    const facts = `${query} → ${r.status} in ${Math.round(r.ms)} ms, +${Math.round(r.grewBy / 1048576)} MB: ${r.text.slice(0, 300)}`;
    expect([facts, server.alive]).toEqual([facts, true]);
    expect([facts, r.ms <= REPLY_WITHIN_MS]).toEqual([facts, true]);
    let bound = MEMORY_SLACK;
    if (invalid(pairs)) {
      expect([facts, r.status, r.text.startsWith('Invalid request\n')]).toEqual([facts, 400, true]);
      expect([facts, pairs.some(([n]) => r.text.includes(`${n}=`))]).toEqual([facts, true]);
    } else if (r.status === 200) {
      const meta = await sharp(r.body).metadata();
      const replyPixels = (meta.width ?? 0) * (meta.height ?? 0);
      expect([facts, replyPixels > 0 && replyPixels <= MAX_REPLY_PIXELS]).toEqual([facts, true]);
      bound += BYTES_PER_BUDGET_PIXEL * budgetOf(replyPixels);
      const ratio = r.grewBy / budgetOf(replyPixels);
      if (ratio > worst.ratio) {
        Object.assign(worst, { ratio, query, grewBy: r.grewBy });
      }
    } else {
      // Valid values whose images are too large: 403 "Image too large", naming one of the request's commands (ErrorDetail=2).
      expect([facts, r.status, r.text.startsWith('Image too large\n')]).toEqual([facts, 403, true]);
      expect([facts, pairs.some(([n]) => r.text.includes(`${n}=`))]).toEqual([facts, true]);
    }
    expect([facts, r.grewBy <= bound]).toEqual([facts, true]);
    return r;
  }

  it('refuses the finding, size=50000,50000&wid=100, at once, naming size=, and holds nothing for it', async () => {
    for (const size of ['12000,12000', '50000,50000']) {
      const r = await check([['size', size], ['wid', '100']]);
      expect(r.status).toBe(403);
      expect(r.text).toContain(`size=${size}: the layer image`);
      expect(r.grewBy).toBeLessThan(MEMORY_SLACK);
    }
    expect((await check([['size', '2000,2000'], ['wid', '100']])).status).toBe(200);
    // Non-image requests get the refusal in the format they asked for (§5.6).
    const props = await server.get('/is/image/budget/img1?req=props,json&size=50000,50000&wid=100', GIVE_UP_MS);
    expect(props.status).toBe(403);
    expect(props.text).toMatch(/^\/\*jsonp\*\/s7jsonError\(\{"message":"size=50000,50000: the layer image 50000x40000 .*","title":"Image too large"\},""\);$/);
  });

  it.each(NAMES)('%s: every extreme value alone and after wid=100', async (name) => {
    for (const value of EXTREMES) {
      await check([[name, value]]);
      await check([['wid', '100'], [name, value]]);
    }
  });

  it('a blur far wider than its reply is capped by its work (op_blur=100 at scl=0.001 is sigma 50,000)', async () => {
    // 1000×1000 at sigma 1000 (the former cap) took seconds; capped by the work limit it is sigma 100.
    const r = await check([['scl', '0.001'], ['rect', '0,0,1000,1000'], ['op_blur', '100']]);
    expect(r.status).toBe(200);
  });

  it('a template record (size= canvas, no image) is bounded by the same budget', async () => {
    expect((await check([['wid', '50']], 'tpl')).status).toBe(200);
    for (const value of ['65535,65535', '50000,50000', '5000,5000']) {
      const r = await check([['size', value], ['wid', '100']], 'tpl');
      expect([r.status, r.text]).toEqual([403, expect.stringContaining(`size=${value}`)]);
    }
  });

  it('an error image drawn as a text canvas is a reply: over IS_MAX_RENDER_PIXELS it is not drawn, the plain error is sent', async () => {
    const small = await server.get('/is/image/smallerr/missing?wid=100', GIVE_UP_MS);
    expect(small.status).toBe(200);
    expect(await sharp(small.body).metadata()).toMatchObject({ width: 900, height: 900 });
    // size=4000,4000 is 16 Mpx (64 MB as RGBA) for an error reply: it was drawn (200, a 4000×4000 JPEG) before this check.
    const big = await server.get('/is/image/bigerr/missing?wid=100', GIVE_UP_MS);
    expect([big.status, big.text]).toEqual([403, 'Image not found']);
    expect(big.grewBy).toBeLessThan(MEMORY_SLACK);
  });

  it('random combinations of commands and extreme values (fast-check, fixed seed)', async () => {
    const int = fc.integer({ min: -70_000, max: 70_000 }).map(String);
    const value = fc.oneof(
      fc.constantFrom(...EXTREMES),
      int,
      fc.tuple(int, int).map((xs) => xs.join(',')),
      fc.array(int, { minLength: 4, maxLength: 4 }).map((xs) => xs.join(',')),
      fc.double().map(String),
      fc.constantFrom('0.5', '2', '45', '100', '0,0,500,400', '10,10,10,10', '2000,0', 'lr', 'crop,1', 'png'),
    );
    const pairs = fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(pairs, async (ps) => {
        await check(ps);
      }),
      { seed: 14_1, numRuns: 250, endOnFailure: true },
    );
  });

  it('random combinations of in-range values that size images (fast-check, fixed seed)', async () => {
    const int = (min: number, max: number) => fc.integer({ min, max }).map(String);
    const real = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map(String);
    const list = (...xs: fc.Arbitrary<string>[]) => fc.tuple(...xs).map((v) => v.join(','));
    const big = fc.oneof(int(1, 3000), int(1, 2 ** 31));
    const rect = list(int(-70_000, 70_000), int(-70_000, 70_000), big, big);
    const sizing: Record<string, fc.Arbitrary<string>> = {
      crop: rect,
      cropn: list(real(-2, 2), real(-2, 2), real(0.001, 50), real(0.001, 50)),
      scale: fc.oneof(real(0.001, 100), fc.constantFrom('0.5', '2', '3', '100')),
      size: list(int(0, 65535), int(0, 65535)),
      rotate: fc.oneof(real(-3600, 3600), fc.constantFrom('45', '90', '1')),
      extend: list(int(-65535, 65535), int(-65535, 65535), int(-65535, 65535), int(-65535, 65535)),
      flip: fc.constantFrom('lr', 'ud', 'lrud'),
      bgcolor: fc.constantFrom('ff000080', '00ff00'),
      rgn: rect,
      rect: fc.oneof(rect, list(int(0, 5000), int(0, 5000), int(1, 1200), int(1, 1200), real(0.01, 100))),
      wid: fc.oneof(int(1, 1200), int(1, 65535)),
      hei: fc.oneof(int(1, 1200), int(1, 65535)),
      scl: fc.oneof(real(0.0001, 10_000), fc.constantFrom('1', '0.5', '0.0001')),
      fit: list(fc.constantFrom('fit', 'constrain', 'crop', 'wrap', 'stretch', 'hfit', 'vfit'), fc.constantFrom('0', '1')),
      align: list(real(-1, 1), real(-1, 1)),
      op_blur: real(0, 100),
      op_usm: list(real(0, 5), real(0, 250), int(0, 255), fc.constantFrom('0', '1')),
      op_sharpen: fc.constantFrom('1'),
      fmt: fc.constantFrom('png-alpha', 'webp', 'gif', 'tif'),
    };
    const pair = fc.constantFrom(...Object.keys(sizing)).chain((name) => (sizing[name] ?? fc.constant('')).map((v): Pair => [name, v]));
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 6 }), async (ps) => {
        await check(ps);
      }),
      { seed: 14_2, numRuns: 250, endOnFailure: true },
    );
  });

  it('the server stays within its budget over the whole run', () => {
    const { rss } = server.memory();
    process.stdout.write(`pixel budget: worst render ${worst.ratio.toFixed(2)} bytes/budget pixel (${worst.query}, +${Math.round(worst.grewBy / 1048576)} MB); start ${Math.round(startRss / 1048576)} MB, highest ${Math.round(highest / 1048576)} MB, now ${Math.round(rss / 1048576)} MB; slowest reply ${Math.round(slowest.ms)} ms (${slowest.query}); replies by status ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    // Freed buffers return to the system late (V8 collects external memory lazily, malloc keeps
    // arenas), so the run may sit a few renders above its start; it never approaches one unbudgeted
    // layer (size=12000,12000&wid=100 alone took +540 MB before the budget).
    expect({ highest, within: highest - startRss <= RUN_GROWTH_LIMIT }).toEqual({ highest, within: true });
  });
});

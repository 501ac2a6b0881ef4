// Issue 15, "Done means": random layer stacks never answer a 5xx, and a stack whose added layers
// are all hide=1 has exactly the base image's pixels. Fixed seeds: a failure replays the same way.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { FIXTURES, ImageServerHarness, type TestReply } from './support/image-server.harness';

const SOURCES = ['src=red', 'src=badge', 'src=twotone', 'src=masked', 'src=gone', 'src=red&mask=halfmask', 'color=0000ff', 'color=00ff0080&size=30,30', 'src=img1'];

/** One layer command, valid most of the time and now and then out of range or malformed. */
const layerCommand: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: -150, max: 150 }), fc.integer({ min: -150, max: 150 })).map(([x, y]) => `pos=${x},${y}`),
  fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })).map(([x, y]) => `posN=${x.toFixed(3)},${y.toFixed(3)}`),
  fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 })).map(([w, h]) => `size=${w},${h}`),
  fc.double({ min: 0.01, max: 4, noNaN: true }).map((f) => `scale=${f.toFixed(3)}`),
  fc.integer({ min: -720, max: 720 }).map((d) => `rotate=${d}`),
  fc.constantFrom('flip=lr', 'flip=ud', 'flip=lrud'),
  fc.integer({ min: -10, max: 120 }).map((o) => `opac=${o}`),
  fc.constantFrom('norm', 'mult', 'screen', 'lighten', 'darken', 'dissolve', 'overlay').map((m) => `blendMode=${m}`),
  fc.tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -30, max: 30 })).map(([a, b]) => `extend=${a},${b},${b},${a}`),
  fc.tuple(fc.integer({ min: -20, max: 40 }), fc.integer({ min: -20, max: 40 }), fc.integer({ min: 1, max: 60 })).map(([x, y, w]) => `crop=${x},${y},${w},${w}`),
  fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })).map(([x, y]) => `anchor=${x},${y}`),
  fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })).map(([x, y]) => `origin=${x},${y}`),
  fc.constantFrom('maskUse=invert', 'maskUse=off', 'bgColor=ff00ff', 'hide=0', 'pos=abc', 'op_blur=2', 'op_brightness=30'),
  fc.tuple(fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })).map(([w, h]) => `sizeN=${w.toFixed(2)},${h.toFixed(2)}`),
  fc.tuple(fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: -1, max: 2, noNaN: true })).map(([a, b]) => `extendN=${a.toFixed(2)},${b.toFixed(2)},${b.toFixed(2)},${a.toFixed(2)}`),
  // Effect layers: the commands after them belong to the effect (pos, color, opac, op_blur, maskUse; others ignored).
  fc.constantFrom('effect=-1&pos=4,4', 'effect=1&color=00ff00&maskUse=invert&pos=3,0', 'effect=-2&op_blur=3&opac=50', 'effect=0', 'effect=-1&op_blur=100&color=0000ff80'),
);

/** A layer: its source, then its commands (hide=1, when asked, goes after the layer's own commands, before any effect segment: the last hide= wins). */
const layer: fc.Arbitrary<readonly [string, string[]]> = fc.tuple(fc.constantFrom(...SOURCES), fc.array(layerCommand, { maxLength: 5 }));

/** Layers 1..n of a stack, numbered. */
const stack: fc.Arbitrary<(readonly [string, string[]])[]> = fc.array(layer, { minLength: 1, maxLength: 4 });

const query = (layers: readonly (readonly [string, string[]])[], hide: boolean): string =>
  layers.map(([src, cmds], i) => {
    const effect = cmds.findIndex((c) => c.startsWith('effect='));
    const own = effect < 0 ? cmds : cmds.slice(0, effect);
    const effects = effect < 0 ? [] : cmds.slice(effect);
    return [`layer=${i + 1}`, src, ...own, ...(hide ? ['hide=1'] : []), ...effects].join('&');
  }).join('&');

async function raw(r: TestReply): Promise<Buffer> {
  return sharp(r.body).ensureAlpha().raw().toBuffer();
}

describe('random layer stacks (issue 15)', () => {
  let root: string;
  let server: ImageServerHarness;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-comp-prop-'));
    await cp(join(FIXTURES, 'catalog'), root, { recursive: true });
    await writeFile(join(root, 'comp.ini'), 'RootId=comp\nRootPath=images/comp/\nCatalogFile=comp.txt\nErrorDetail=2\nDefaultImage=\n');
    await writeFile(
      join(root, 'comp.txt'),
      'Id\tPath\tMaskPath\n' +
        'white\twhite.png\t\n' + 'red\tred.png\t\n' + 'badge\tbadge.png\t\n' + 'twotone\ttwotone.png\t\n' +
        'masked\tred.png\thalfmask.png\n' + 'halfmask\thalfmask.png\t\n' + 'gone\tmissing.png\t\n' + 'img1\t../cat/img1.jpg\t\n',
    );
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: root });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('never answers a 5xx, whatever the stack, the base and the view', async () => {
    const statuses = new Set<number>();
    const view = fc.constantFrom('', 'wid=60', 'wid=40&hei=40&fit=crop', 'scl=2', 'rgn=10,10,50,50', 'fmt=png-alpha', 'req=props', 'req=imageprops', 'req=validate');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('comp/white', 'comp/badge', 'comp', 'cat/img1'), stack, view, async (path, layers, v) => {
        const r = await server.get(`/is/image/${path}?${query(layers, false)}${v === '' ? '' : `&${v}`}&cache=off`);
        statuses.add(r.status);
        expect({ url: `${path}?${query(layers, false)}&${v}`, server: r.status >= 500 ? r.text : 'no 5xx' }).toEqual({ url: `${path}?${query(layers, false)}&${v}`, server: 'no 5xx' });
      }),
      { seed: 1515, numRuns: 120 },
    );
    // Both outcomes were met: composites rendered and bad stacks refused.
    expect([...statuses].sort()).toEqual([200, 403]);
  });

  it('a stack of hidden layers has the base image\'s pixels exactly', async () => {
    const base = {
      'comp/white': await raw(await server.get('/is/image/comp/white?fmt=png-alpha')),
      'comp/badge': await raw(await server.get('/is/image/comp/badge?fmt=png-alpha')),
    };
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('comp/white' as const, 'comp/badge' as const), stack, async (path, layers) => {
        // Missing sources and bad values still fail a hidden layer (it is checked); only stacks that render are compared.
        const r = await server.get(`/is/image/${path}?${query(layers, true)}&fmt=png-alpha&cache=off`);
        expect(r.status === 200 || r.status === 403).toBe(true);
        if (r.status === 200) {
          expect((await raw(r)).equals(base[path])).toBe(true);
          compared++;
        }
      }),
      { seed: 2626, numRuns: 80 },
    );
    // The property is not vacuous: most stacks render.
    expect(compared).toBeGreaterThan(30);
  });
});

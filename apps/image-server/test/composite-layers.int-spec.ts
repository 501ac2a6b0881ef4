// Issue 15 items 2, 3 and 5: multi-layer compositing (image-serving.md §1.6 step 8, §3.2, §3.5, §5).
// Fixtures: test/fixtures/images/comp (make-composite-fixtures.mjs), solid colours so sampled pixels are exact.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { CatalogsService } from '../src/catalogs/catalogs.service';
import { FIXTURES, ImageServerHarness, type TestReply } from './support/image-server.harness';

type Rgba = [number, number, number, number];

/** The reply's pixels as RGBA, and a reader of one pixel. */
async function pixels(r: TestReply): Promise<{ width: number; height: number; at: (x: number, y: number) => Rgba }> {
  expect(r.status).toBe(200);
  const { data, info } = await sharp(r.body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => {
      const i = (y * info.width + x) * 4;
      return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1, data[i + 3] ?? -1];
    },
  };
}

const BLUE: Rgba = [0, 0, 255, 255];
const GREEN: Rgba = [0, 255, 0, 255];
const YELLOW: Rgba = [255, 255, 0, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
const WHITE: Rgba = [255, 255, 255, 255];
const RED: Rgba = [255, 0, 0, 255];

/** Each channel within `tol` of the expected one. */
function near(actual: Rgba, expected: Rgba, tol = 2): boolean {
  return actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tol);
}

/** `[x, y, colour]` samples checked in one assertion, so a failure shows every wrong pixel. */
async function expectPixels(r: TestReply, samples: readonly [number, number, Rgba][], size?: [number, number], tol = 2): Promise<void> {
  const img = await pixels(r);
  if (size !== undefined) {
    expect([img.width, img.height]).toEqual(size);
  }
  const wrong = samples.filter(([x, y, c]) => !near(img.at(x, y), c, tol)).map(([x, y, c]) => ({ x, y, expected: c, actual: img.at(x, y) }));
  expect(wrong).toEqual([]);
}

describe('multi-layer compositing (issue 15)', () => {
  let root: string;
  let server: ImageServerHarness;
  const png = (path: string, query: string) => server.get(`/is/image/${path}?${query}${query === '' ? '' : '&'}fmt=png-alpha`);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-comp-'));
    await cp(join(FIXTURES, 'catalog'), join(root, 'catalog'), { recursive: true });
    await cp(join(FIXTURES, 'images'), join(root, 'images'), { recursive: true });
    await writeFile(join(root, 'catalog', 'comp.ini'), 'RootId=comp\nRootPath=images/comp/\nCatalogFile=comp.txt\nErrorDetail=2\nDefaultImage=\n');
    await writeFile(join(root, 'catalog', 'compd.ini'), 'RootId=compd\nRootPath=images/comp/\nCatalogFile=comp.txt\nErrorDetail=2\nDefaultImage=red\nDefaultImageMode=1\n');
    await writeFile(
      join(root, 'catalog', 'comp.txt'),
      'Id\tPath\tMaskPath\tAnchor\tResolution\n' +
        'red144\tred.png\t\t\t144\n' +
        'white36\twhite.png\t\t\t36\n' +
        'white\twhite.png\t\t\n' +
        'gray\tgray.png\t\t\n' +
        'red\tred.png\t\t\n' +
        'badge\tbadge.png\t\t\n' +
        'twotone\ttwotone.png\t\t\n' +
        'masked\tred.png\thalfmask.png\t\n' +
        'cornered\tred.png\t\t0,0\n' +
        'halfmask\thalfmask.png\t\t\n' +
        'levels\t../cat/levels.tif\t\t\n' +
        'gone\tmissing.png\t\t\n',
    );
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root, IS_SOURCE_STAT_TTL_MS: '0' });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a layer is centred on layer 0 by default, and pos= moves it (pixels)', async () => {
    // red 20x10 centred on 100x80: x 40..59, y 35..44
    await expectPixels(await png('comp/white', 'layer=1&src=red'), [[40, 35, RED], [59, 44, RED], [39, 35, WHITE], [60, 44, WHITE], [50, 34, WHITE]], [100, 80]);
    await expectPixels(await png('comp/white', 'layer=1&src=red&pos=-30,20'), [[10, 55, RED], [29, 64, RED], [30, 55, WHITE], [45, 40, WHITE]]);
  });

  it('posN= moves by fractions of layer 0; a layer outside the composite is clipped away', async () => {
    await expectPixels(await png('comp/white', 'layer=1&src=red&posN=0.2,0.25'), [[60, 55, RED], [79, 64, RED], [59, 55, WHITE], [50, 40, WHITE]]);
    const plain = await png('comp/white', '');
    const away = await png('comp/white', 'layer=1&src=red&pos=500,500');
    expect(away.body.equals(plain.body)).toBe(true);
    await expectPixels(await png('comp/white', 'layer=1&src=red&pos=-55,-40'), [[0, 0, RED], [4, 4, RED], [5, 5, WHITE]]);
  });

  it('size= and scale= size a layer (aspect kept) before it is placed', async () => {
    const samples: [number, number, Rgba][] = [[30, 30, RED], [69, 49, RED], [29, 40, WHITE], [70, 40, WHITE], [50, 29, WHITE], [50, 50, WHITE]];
    await expectPixels(await png('comp/white', 'layer=1&src=red&size=40,0'), samples);
    await expectPixels(await png('comp/white', 'layer=1&src=red&scale=2'), samples);
    await expectPixels(await png('comp/white', 'layer=1&src=red&size=40,40'), samples);
  });

  describe('res= (scale = res ÷ the source\'s catalog::Resolution, else attribute::Resolution)', () => {
    // The size= test's 40x20 red box centred on the 100x80 base: x 30..69, y 30..49.
    const box40: [number, number, Rgba][] = [[30, 30, RED], [69, 49, RED], [29, 40, WHITE], [70, 40, WHITE], [50, 29, WHITE], [50, 50, WHITE]];
    const box20: [number, number, Rgba][] = [[40, 35, RED], [59, 44, RED], [39, 35, WHITE], [60, 44, WHITE], [50, 34, WHITE], [50, 45, WHITE]];

    it('scales a layer by res over its record\'s Resolution (144: res=288 doubles it), else over the catalog\'s (72)', async () => {
      await expectPixels(await png('comp/white', 'layer=1&src=red144&res=288'), box40, [100, 80]);
      await expectPixels(await png('comp/white', 'layer=1&src=red&res=144'), box40, [100, 80]);
      await expectPixels(await png('comp/white', 'layer=1&src=red144&res=144'), box20, [100, 80]);
    });

    it('scale=, size= and sizeN= of the same layer win over it; layers without a source image ignore it', async () => {
      await expectPixels(await png('comp/white', 'layer=1&src=red144&res=288&scale=1'), box20);
      await expectPixels(await png('comp/white', 'layer=1&src=red144&size=20,0&res=288'), box20);
      await expectPixels(await png('comp/white', 'layer=1&src=red144&sizeN=0.2,0&res=288'), box20);
      await expectPixels(await png('comp/white', 'layer=1&color=ff0000&size=40,20&res=1000'), box40);
    });

    it('on layer 0 it sizes the composite, and on a single image the reply (scl=1: no view scaling)', async () => {
      // white36 at res=18: 50x40; red 20x10 centred: x 15..34, y 15..24
      await expectPixels(await png('comp/white36', 'res=18&layer=1&src=red'), [[15, 15, RED], [34, 24, RED], [14, 15, WHITE], [35, 24, WHITE], [25, 14, WHITE], [25, 25, WHITE]], [50, 40]);
      await expectPixels(await png('comp/red144', 'res=72&scl=1'), [[0, 0, RED], [9, 4, RED]], [10, 5]);
      await expectPixels(await png('comp/red144', 'res=72&scale=3&scl=1'), [[0, 0, RED], [59, 29, RED]], [60, 30]);
    });

    it('a bad value is a usage error naming the layer and res=; a layer it makes too large is IMG_TOO_LARGE naming res=', async () => {
      const bad = await server.get('/is/image/comp/white?layer=1&src=red&res=0');
      expect([bad.status, bad.text]).toEqual([403, expect.stringContaining('layer 1: res=0: ')]);
      const huge = await server.get('/is/image/comp/white?layer=1&src=red&res=360000');
      expect([huge.status, huge.text]).toEqual([403, expect.stringMatching(/^Image too large\nlayer 1: res=360000: the layer image 100000x50000/)]);
    });
  });

  it('sizeN= sizes a layer in fractions of layer 0; extendN= adds margins in fractions of the layer', async () => {
    await expectPixels(await png('comp/white', 'layer=1&src=red&sizeN=0.4,0'), [[30, 30, RED], [69, 49, RED], [29, 40, WHITE], [70, 40, WHITE]]);
    await expectPixels(await png('comp/white', 'layer=1&src=red&extendN=0.25,0.5,0.25,0.5&bgColor=0000ff'), [[36, 31, BLUE], [63, 48, BLUE], [50, 40, RED], [34, 40, WHITE]]);
    // on layer 0: the composite grows by half its width on the left, transparent
    await expectPixels(await png('comp/red', 'extendN=0.5,0,0,0&scl=1'), [[5, 5, CLEAR], [15, 5, RED]], [30, 10]);
    // sizeN on layer 0: fractions of its own source (white 100x80 at half size: 50x40)
    await expectPixels(await png('comp/white', 'sizeN=0.5,0&layer=1&src=red&scl=1'), [[25, 20, RED], [5, 5, WHITE]], [50, 40]);
  });

  it('crop= takes part of a layer source', async () => {
    // twotone: green left half, yellow right half; its right half is a 10x10 yellow layer at x 45..54, y 35..44
    await expectPixels(await png('comp/white', 'layer=1&src=twotone&crop=10,0,10,10'), [[45, 35, YELLOW], [54, 44, YELLOW], [44, 40, WHITE], [55, 40, WHITE]]);
  });

  it('opac= blends a layer with what is below it', async () => {
    await expectPixels(await png('comp/white', 'layer=1&src=red&opac=50'), [[50, 40, [255, 127, 127, 255]], [30, 40, WHITE]]);
    await expectPixels(await png('comp/white', 'layer=1&src=red&opac=50,50'), [[50, 40, [255, 191, 191, 255]]]);
    await expectPixels(await png('comp/white', 'layer=1&src=red&opac=0'), [[50, 40, WHITE]]);
  });

  it.each([
    ['norm', RED],
    ['mult', [128, 0, 0, 255]],
    ['screen', [255, 128, 128, 255]],
    ['lighten', [255, 128, 128, 255]],
    ['darken', [128, 0, 0, 255]],
  ] as [string, Rgba][])('blendMode=%s blends red onto mid gray', async (mode, expected) => {
    await expectPixels(await png('comp/gray', `layer=1&src=red&blendMode=${mode}`), [[50, 40, expected], [30, 40, [128, 128, 128, 255]]]);
  });

  it('blendMode=dissolve takes each pixel whole from the layer or from below, about opac of them, the same every time', async () => {
    const q = 'layer=1&color=ff0000&opac=50&blendMode=dissolve&cache=off';
    const a = await pixels(await png('comp/white', q));
    let red = 0;
    let white = 0;
    for (let y = 0; y < a.height; y++) {
      for (let x = 0; x < a.width; x++) {
        const c = a.at(x, y);
        red += near(c, RED, 0) ? 1 : 0;
        white += near(c, WHITE, 0) ? 1 : 0;
      }
    }
    expect(red + white).toBe(100 * 80);
    expect(red / (100 * 80)).toBeGreaterThan(0.4);
    expect(red / (100 * 80)).toBeLessThan(0.6);
    const b = await png('comp/white', q);
    expect(b.body.equals((await png('comp/white', q)).body)).toBe(true);
  });

  it('rotate= turns a layer clockwise around its centre; flip= mirrors it', async () => {
    // twotone 20x10 (green | yellow) turned 90°: 10x20, green on top, at x 45..54, y 30..49
    await expectPixels(await png('comp/white', 'layer=1&src=twotone&rotate=90'), [[50, 33, GREEN], [50, 46, YELLOW], [44, 40, WHITE], [55, 40, WHITE], [50, 29, WHITE]]);
    await expectPixels(await png('comp/white', 'layer=1&src=twotone&rotate=180'), [[43, 40, YELLOW], [56, 40, GREEN]]);
    await expectPixels(await png('comp/white', 'layer=1&src=twotone&flip=lr'), [[43, 40, YELLOW], [56, 40, GREEN]]);
    // turned 45°: the green half goes up-left of the centre, the yellow half down-right; corners of the box stay white
    await expectPixels(await png('comp/white', 'layer=1&src=twotone&rotate=45'), [[46, 36, GREEN], [54, 44, YELLOW], [50, 30, WHITE], [35, 40, WHITE], [57, 33, WHITE]]);
  });

  it('extend= adds margins filled with bgColor=', async () => {
    // red 20x10 + 5 px on each side = 30x20 at x 35..64, y 30..49
    await expectPixels(await png('comp/white', 'layer=1&src=red&extend=5,5,5,5&bgColor=0000ff'), [[36, 31, BLUE], [63, 48, BLUE], [50, 40, RED], [34, 40, WHITE]]);
  });

  it('a layer with alpha shows what is below through its transparent part', async () => {
    // badge 20x20: left half blue, right half transparent, at x 40..59, y 30..49
    await expectPixels(await png('comp/white', 'layer=1&src=badge'), [[43, 40, BLUE], [56, 40, WHITE]]);
    // maskUse=invert: the blue half becomes transparent (bgColor= shows behind it), the clear half opaque (its pixels are black)
    await expectPixels(await png('comp/white', 'layer=1&src=badge&maskUse=invert&bgColor=00ff00'), [[43, 40, GREEN], [56, 40, [0, 0, 0, 255]]]);
    await expectPixels(await png('comp/white', 'layer=1&src=badge&maskUse=off'), [[43, 40, BLUE], [56, 40, [0, 0, 0, 255]]]);
  });

  it('mask= and the record\'s MaskPath cut a layer; maskUse=invert|off', async () => {
    const left: [number, number] = [43, 40];
    const right: [number, number] = [56, 40];
    await expectPixels(await png('comp/white', 'layer=1&src=masked'), [[...left, RED], [...right, WHITE]]);
    await expectPixels(await png('comp/white', 'layer=1&src=red&mask=halfmask'), [[...left, RED], [...right, WHITE]]);
    await expectPixels(await png('comp/white', 'layer=1&src=masked&maskUse=invert'), [[...left, WHITE], [...right, RED]]);
    await expectPixels(await png('comp/white', 'layer=1&src=masked&maskUse=off'), [[...left, RED], [...right, RED]]);
  });

  it('anchor=, anchorN=, catalog::Anchor and origin=/originN= choose the point placed on layer 0\'s origin', async () => {
    const topLeft: [number, number, Rgba][] = [[50, 40, RED], [69, 49, RED], [49, 40, WHITE], [60, 39, WHITE], [70, 45, WHITE]];
    await expectPixels(await png('comp/white', 'layer=1&src=red&anchor=0,0'), topLeft);
    await expectPixels(await png('comp/white', 'layer=1&src=red&anchorN=-0.5,-0.5'), topLeft);
    await expectPixels(await png('comp/white', 'layer=1&src=cornered'), topLeft);
    await expectPixels(await png('comp/white', 'layer=1&src=red&origin=0,0'), topLeft);
    // the anchor follows the layer's transforms: scaled 2x, the corner stays on the origin
    await expectPixels(await png('comp/white', 'layer=1&src=red&anchor=0,0&scale=2'), [[50, 40, RED], [89, 59, RED], [49, 40, WHITE]]);
    await expectPixels(await png('comp/white', 'layer=1&src=red&originN=0.5,0.5'), [[30, 30, RED], [49, 39, RED], [50, 40, WHITE]]);
    // layer 0's own anchor moves the origin the others are placed on
    await expectPixels(await png('comp/white', 'anchor=0,0&layer=1&src=red'), [[0, 0, RED], [9, 4, RED], [10, 5, WHITE]]);
  });

  it('hide=1 leaves a layer out; a stack of hidden layers is the base image', async () => {
    const plain = await png('comp/white', '');
    const hidden = await png('comp/white', 'layer=1&src=red&hide=1&layer=2&color=00ff00&hide=1');
    expect(hidden.body.equals(plain.body)).toBe(true);
    // hiding layer 0 keeps its size and shows only the others
    await expectPixels(await png('comp/white', 'hide=1&layer=1&src=red'), [[0, 0, CLEAR], [50, 40, RED]], [100, 80]);
  });

  it('colour layers: color= with size= (default: the composite), and a colour layer 0 on a catalog-only path', async () => {
    await expectPixels(await png('comp/white', 'layer=1&color=0000ff&size=10,10'), [[45, 35, BLUE], [54, 44, BLUE], [44, 40, WHITE]]);
    await expectPixels(await png('comp/white', 'layer=1&color=0000ff'), [[0, 0, BLUE], [99, 79, BLUE]]);
    await expectPixels(await png('comp', 'color=00ff00&size=30,20'), [[0, 0, GREEN], [29, 19, GREEN]], [30, 20]);
    await expectPixels(await png('comp', 'layer=0&color=00ff00&size=30,20&layer=1&src=red&size=10,0'), [[15, 10, RED], [5, 10, GREEN]], [30, 20]);
  });

  it('layer 0 may name its own source (src=) on a catalog-only path; layers stack in order', async () => {
    const a = await png('comp', 'layer=0&src=white&layer=1&src=red');
    const b = await png('comp/white', 'layer=1&src=red');
    expect(a.body.equals(b.body)).toBe(true);
    await expectPixels(await png('comp/white', 'layer=1&src=red&layer=2&color=0000ff&size=10,10'), [[50, 40, BLUE], [42, 40, RED]]);
    // stacked by number, not by the order they are written in
    await expectPixels(await png('comp/white', 'layer=2&color=0000ff&size=10,10&layer=1&src=red'), [[50, 40, BLUE], [42, 40, RED]]);
    await expectPixels(await png('comp/white', 'layer=2&src=red&layer=1&color=0000ff&size=10,10'), [[50, 40, RED], [42, 40, RED]]);
  });

  it('op_* filters under a layer apply to that layer only', async () => {
    await expectPixels(await png('comp/white', 'layer=1&src=red&op_brightness=-100'), [[50, 40, [0, 0, 0, 255]], [30, 40, WHITE]]);
    await expectPixels(await png('comp/white', 'layer=1&src=red&op_saturation=-100'), [[50, 40, [127, 127, 127, 255]]], undefined, 3);
    const sharpEdge = await pixels(await png('comp/white', 'layer=1&src=red&extend=5,5,5,5'));
    const blurred = await pixels(await png('comp/white', 'layer=1&src=red&extend=5,5,5,5&op_blur=4'));
    expect(sharpEdge.at(40, 40)).toEqual(RED);
    expect(near(blurred.at(40, 40), RED, 10)).toBe(false);
    expect(blurred.at(10, 10)).toEqual(WHITE);
  });

  it('item 5: a layer source that is a pyramid TIFF reads the smallest level with the detail the layer needs', async () => {
    // levels.tif: 400x320 red, 200x160 green, 100x80 blue, 50x40 white: the colour tells the level read
    await expectPixels(await png('comp/gray', 'layer=1&src=levels&size=100,0'), [[50, 40, BLUE], [0, 0, BLUE]]);
    await expectPixels(await png('comp/gray', 'layer=1&src=levels&size=90,0'), [[50, 40, BLUE], [0, 0, [128, 128, 128, 255]]]);
    await expectPixels(await png('comp/gray', 'layer=1&src=levels&scale=0.5'), [[50, 40, GREEN]]);
    await expectPixels(await png('comp/gray', 'layer=1&src=levels'), [[50, 40, RED]]);
    await expectPixels(await png('comp/gray', 'layer=1&src=levels&crop=200,160,200,160&size=50,0'), [[50, 40, BLUE]]);
  });

  describe('effect layers (effect=n: shadows and glows from a layer\'s mask)', () => {
    it('an outer effect (n < 0) lies behind its layer, moved by pos=, in color= and opac=', async () => {
      // red 20x10 at x 40..59, y 35..44; its shadow at x 45..64, y 40..49
      await expectPixels(await png('comp/white', 'layer=1&src=red&effect=-1&pos=5,5'), [[62, 47, [0, 0, 0, 255]], [50, 40, RED], [62, 37, WHITE], [42, 46, WHITE]]);
      await expectPixels(await png('comp/white', 'layer=1&src=red&effect=-1&pos=5,5&color=0000ff&opac=50'), [[62, 47, [127, 127, 255, 255]], [50, 40, RED]]);
      await expectPixels(await png('comp/white', 'layer=1&src=red&effect=-1&pos=5,5&color=0000ff80'), [[62, 47, [127, 127, 255, 255]]]);
    });

    it('op_blur= feathers an effect beyond its layer\'s edge', async () => {
      const sharpShadow = await pixels(await png('comp/white', 'layer=1&src=red&effect=-1&pos=5,5'));
      const soft = await pixels(await png('comp/white', 'layer=1&src=red&effect=-1&pos=5,5&op_blur=4'));
      expect(sharpShadow.at(66, 45)).toEqual(WHITE);
      const [edge] = soft.at(66, 45);
      expect(edge).toBeGreaterThan(100);
      expect(edge).toBeLessThan(250);
      expect(soft.at(50, 40)).toEqual(RED);
    });

    it('an inner effect (n > 0) lies over its layer, only where the layer is opaque; maskUse=invert makes an inner shadow', async () => {
      await expectPixels(await png('comp/white', 'layer=1&src=red&effect=1&color=0000ff'), [[50, 40, BLUE], [40, 35, BLUE], [39, 40, WHITE], [30, 40, WHITE]]);
      await expectPixels(await png('comp/white', 'layer=1&src=red&effect=1&pos=5,0&maskUse=invert&color=0000ff'), [[42, 40, BLUE], [44, 40, BLUE], [50, 40, RED], [38, 40, WHITE]]);
      // the badge's transparent half takes no inner effect
      await expectPixels(await png('comp/white', 'layer=1&src=badge&effect=1&color=00ff00'), [[43, 40, GREEN], [56, 40, WHITE]]);
    });

    it('effects attach to layer 0 too, and stack by number', async () => {
      // badge 20x20 as layer 0: its red outer effect moved 3 px right shows in the transparent half only
      await expectPixels(await png('comp/badge', 'effect=-1&pos=3,0&color=ff0000'), [[11, 10, RED], [5, 10, BLUE], [15, 10, CLEAR]], [20, 20]);
      await expectPixels(await png('comp/white', 'layer=1&src=red&effect=2&color=00ff00&effect=1&color=0000ff'), [[50, 40, GREEN]]);
      await expectPixels(await png('comp/white', 'layer=1&src=red&effect=1&color=00ff00&effect=2&color=0000ff'), [[50, 40, BLUE]]);
    });

    it('other commands of an effect are ignored (as Adobe documents); bad values and unbuilt effect commands are refused naming the effect', async () => {
      const plain = await png('comp/white', 'layer=1&src=red&effect=-1&pos=5,5');
      expect((await png('comp/white', 'layer=1&src=red&effect=-1&pos=5,5&rotate=45&size=1,1')).body.equals(plain.body)).toBe(true);
      for (const [query, named, title] of [
        ['layer=1&src=red&effect=0', 'effect=0: expected a non-zero integer', 'Invalid request'],
        ['layer=1&src=red&effect=-1&opac=abc', 'layer 1, effect -1: opac=abc: ', 'Invalid request'],
        ['layer=1&src=red&effect=-1&op_grow=3', 'layer 1, effect -1: op_grow=3: the command op_grow is not supported by this server', 'Invalid request'],
      ] as [string, string, string][]) {
        const r = await server.get(`/is/image/comp/white?${query}`);
        expect({ query, status: r.status, named: r.text.includes(named), title: r.text.split('\n')[0] }).toEqual({ query, status: 403, named: true, title });
      }
      const resolved = await server.get('/is/image/comp/white?layer=1&src=red&effect=-1&pos=5,5&req=resolve');
      expect(resolved.text.split('\n')[0]).toBe('comp/white?req=resolve&layer=1&src=red&effect=-1&pos=5,5');
    });
  });

  it('a colour layer on a gray or CMYK base keeps its colour (the composite is sRGB)', async () => {
    // gradient: 256x16 gray PNG, value = x; a red 10x10 layer in its centre
    await expectPixels(await png('cat/gradient', 'layer=1&color=ff0000&size=10,10&scl=1'), [[128, 8, RED], [20, 8, [20, 20, 20, 255]]], [256, 16], 3);
    await writeFile(join(root, 'images', 'comp', 'cmyk.jpg'), await sharp({ create: { width: 100, height: 80, channels: 3, background: '#ffffff' } }).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer());
    await expectPixels(await png('comp/cmyk.jpg', 'layer=1&src=red'), [[50, 40, RED], [10, 10, WHITE]], [100, 80], 12);
  });

  it('the view transform and output commands apply to the composite', async () => {
    // wid=50 halves everything: red at x 20..29, y 17..22
    await expectPixels(await png('comp/white', 'layer=1&src=red&wid=50'), [[21, 18, RED], [28, 21, RED], [18, 20, WHITE], [31, 20, WHITE]], [50, 40]);
    const jpeg = await server.get('/is/image/comp/white?layer=1&src=red&fmt=jpeg');
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
  });

  describe('errors (issue 15 item 3)', () => {
    it('a missing layer source is image-not-found naming the layer; a bad layer value is a usage error naming the layer and the command', async () => {
      const missing = await server.get('/is/image/comp/white?layer=2&src=gone');
      expect(missing.status).toBe(403);
      expect(missing.text).toContain('Image not found');
      expect(missing.text).toContain('layer 2: image file images/comp/missing.png does not exist');
      for (const [query, named] of [
        ['layer=2&src=red&pos=abc', 'layer 2: pos=abc: '],
        ['layer=1&src=red&opac=150', 'layer 1: opac=150: '],
        ['layer=3&color=nope', 'layer 3: color=nope: '],
        ['layer=1&src=red&blendMode=overlay', 'layer 1: blendmode=overlay: '],
        ['layer=1&src=red&layer=2&src=red&rotate=x', 'layer 2: rotate=x: '],
      ] as [string, string][]) {
        const r = await server.get(`/is/image/comp/white?${query}`);
        expect({ query, status: r.status, named: r.text.includes(named), title: r.text.split('\n')[0] }).toEqual({ query, status: 403, named: true, title: 'Invalid request' });
      }
      const props = await server.get('/is/image/comp/white?layer=2&src=red&pos=abc&req=props,json');
      expect(props.status).toBe(403);
      expect(props.text).toMatch(/^\/\*jsonp\*\/s7jsonError\(/);
      expect(props.text).toContain('layer 2: pos=abc');
      const validate = await server.get('/is/image/comp/white?layer=2&src=red&pos=abc&req=validate');
      expect(validate.status).toBe(403);
      expect(validate.text).toContain('layer 2: pos=abc');
    });

    it('DefaultImageMode=1 replaces only the missing layer\'s source; mode 0 replaces the whole request', async () => {
      // compd: DefaultImage=red, DefaultImageMode=1: the missing layer is drawn from red, centred as a red layer would be
      await expectPixels(await png('compd/white', 'layer=1&src=gone'), [[40, 35, RED], [59, 44, RED], [39, 35, WHITE]], [100, 80]);
      // cat: DefaultImage=noimage (200x200 magenta), mode 0
      await expectPixels(await png('cat/img1', 'layer=1&src=nothing-here'), [[100, 100, [255, 0, 255, 255]]], [200, 200]);
    });

    it('req=props and req=imageprops get no default image for a missing layer, in either mode (§5.5: img and tmb only)', async () => {
      for (const url of ['/is/image/compd/white?layer=1&src=gone&req=props', '/is/image/compd/white?layer=1&src=gone&req=imageprops', '/is/image/cat/img1?layer=1&src=nothing-here&req=props']) {
        const r = await server.get(url);
        expect({ url, status: r.status, title: r.text.split('\n')[0] }).toEqual({ url, status: 403, title: 'Image not found' });
      }
      // the same props request with the layer's source present describes the composite
      expect((await server.get('/is/image/compd/white?layer=1&src=red&req=props')).status).toBe(200);
    });

    it('the pixel budget counts every layer and names the layer that is too large', async () => {
      const r = await server.get('/is/image/comp/white?layer=1&src=red&size=30000,30000&wid=100');
      expect(r.status).toBe(403);
      expect(r.text).toContain('Image too large');
      expect(r.text).toContain('layer 1: size=30000,30000');
    });

    it('named and negative layers stay refused by name', async () => {
      const r = await server.get('/is/image/comp/white?layer=top&src=red');
      expect(r.status).toBe(403);
      expect(r.text).toContain('layer=top');
      expect(r.text).toContain('not supported by this server');
    });
  });

  describe('cache and ETag (every layer source counts)', () => {
    it('replacing a layer\'s source file changes the reply and its ETag', async () => {
      await writeFile(join(root, 'images', 'comp', 'swap.png'), await sharp({ create: { width: 20, height: 10, channels: 3, background: '#ff0000' } }).png().toBuffer());
      await writeFile(join(root, 'catalog', 'comp.txt'), `${await readFile(join(root, 'catalog', 'comp.txt'), 'utf8')}swap\tswap.png\t\t\n`);
      await server.app.get(CatalogsService).reload();
      const first = await png('comp/white', 'layer=1&src=swap');
      await expectPixels(first, [[50, 40, RED]]);
      expect((await png('comp/white', 'layer=1&src=swap')).headers['x-is-cache']).toBe('hit');
      // a new file (new mtime and size) under the same name
      await new Promise((done) => setTimeout(done, 20));
      await writeFile(join(root, 'images', 'comp', 'swap.png'), await sharp({ create: { width: 20, height: 10, channels: 3, background: '#0000ff' } }).png({ compressionLevel: 0 }).toBuffer());
      const second = await png('comp/white', 'layer=1&src=swap');
      await expectPixels(second, [[50, 40, BLUE]]);
      expect(second.headers['etag']).not.toBe(first.headers['etag']);
    });
  });

  describe('property requests describe composites', () => {
    it('req=props describes the reply of the same URL and how its layers built it (composite.*, layer.<n>.*), from the cache or not', async () => {
      const url = '/is/image/comp/white?layer=1&src=red&scale=2&pos=5,5&layer=2&color=0000ff&size=10,10&hide=1&layer=3&src=badge&fmt=png-alpha&wid=50';
      const image = await server.get(url);
      for (const suffix of ['&req=props', '&req=props']) {
        const props = await server.get(`${url}${suffix}`);
        expect(props.status).toBe(200);
        const lines = props.text.split('\n');
        for (const line of [
          'image.width=50', 'image.height=40', 'image.type=image/png', 'image.mask=1', `image.length=${image.body.length}`,
          `image.version=${String(image.headers['etag']).slice(1, -1)}`,
          'composite.width=100', 'composite.height=80', 'composite.layers=4',
          'layer.0.kind=object', 'layer.0.src=comp/white', 'layer.0.width=100', 'layer.0.height=80', 'layer.0.hide=0',
          'layer.1.kind=object', 'layer.1.src=red', 'layer.1.width=40', 'layer.1.height=20', 'layer.1.hide=0',
          'layer.2.kind=color', 'layer.2.color=0000ff', 'layer.2.width=10', 'layer.2.height=10', 'layer.2.hide=1',
          'layer.3.kind=object', 'layer.3.src=badge', 'layer.3.width=20', 'layer.3.hide=0',
        ]) {
          expect({ line, present: lines.includes(line) }).toEqual({ line, present: true });
        }
      }
      const json = await server.get('/is/image/comp?color=00ff00&size=30,20&layer=1&text=hi&req=props,json');
      expect(json.text).toMatch(/^\/\*jsonp\*\/s7jsonResponse\(\{.*"image\.width":"30".*"composite\.layers":"2".*"layer\.0\.color":"00ff00".*"layer\.1\.kind":"text".*"layer\.1\.text":"hi"/);
    });

    it('req=props gives the reply size of the composite; req=imageprops the layers; req=resolve every layer\'s commands', async () => {
      const props = await server.get('/is/image/comp/white?layer=1&src=red&wid=50&req=props');
      expect(props.text).toContain('image.width=50');
      expect(props.text).toContain('image.height=40');
      const image = await server.get('/is/image/comp/white?layer=1&src=red&scale=2&layer=2&color=0000ff&size=10,10&hide=1&req=imageprops');
      expect(image.status).toBe(200);
      for (const line of [
        'image.width=100', 'composite.width=100', 'composite.height=80', 'composite.layers=3',
        'layer.0.kind=object', 'layer.0.src=comp/white', 'layer.0.width=100',
        'layer.1.kind=object', 'layer.1.src=red', 'layer.1.width=40', 'layer.1.height=20', 'layer.1.hide=0',
        'layer.2.kind=color', 'layer.2.color=0000ff', 'layer.2.width=10', 'layer.2.hide=1',
      ]) {
        expect({ line, present: image.text.split('\n').includes(line) }).toEqual({ line, present: true });
      }
      const catalogOnly = await server.get('/is/image/comp?color=00ff00&size=30,20&layer=1&src=red&req=imageprops');
      expect(catalogOnly.status).toBe(200);
      expect(catalogOnly.text).toContain('composite.width=30');
      const resolved = await server.get('/is/image/comp/white?layer=1&src=red&pos=5,5&layer=2&color=0000ff&req=resolve');
      expect(resolved.text.split('\n')[0]).toBe('comp/white?req=resolve&layer=1&src=red&pos=5,5&layer=2&color=0000ff');
    });
  });
});

// §9 items 5-7 and the §10 rows: every command, encoder and req= type checked on the decoded output
// (size, format, channels, colour at points) and on the reply headers. The other int-specs test
// behaviour case by case; this one makes sure that none of those is only a size or status check.
// img1 is 1000×800 with four solid quadrants: red (top-left), green (top-right), blue (bottom-left), yellow (bottom-right).
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { BLUE, GREEN, ImageServerHarness, near, pixels, RED, tiffCompression, WHITE, YELLOW } from './support/image-server.harness';

const IMAGE_TTL = 'public, max-age=36000';
const PROPS_TTL = 'public, max-age=360';
const NOT_CACHEABLE = 'no-cache, no-store, max-age=0';
const MAGENTA = [255, 0, 255];
const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');

interface Shape {
  width: number;
  height: number;
  format: string;
  channels: number;
  mime: string;
}
/** x, y, expected colour (RGB or RGBA), tolerance. */
type Probe = readonly [number, number, readonly number[], number?];

const jpeg = (width: number, height: number): Shape => ({ width, height, format: 'jpeg', channels: 3, mime: 'image/jpeg' });
const png = (width: number, height: number, channels = 3): Shape => ({ width, height, format: 'png', channels, mime: 'image/png' });
/** The four quadrants of img1 scaled to w×h, probed 10 % inside each corner. */
const quadrants = (w: number, h: number): Probe[] => [
  [Math.round(w * 0.1), Math.round(h * 0.1), RED],
  [Math.round(w * 0.9), Math.round(h * 0.1), GREEN],
  [Math.round(w * 0.1), Math.round(h * 0.9), BLUE],
  [Math.round(w * 0.9), Math.round(h * 0.9), YELLOW],
];

describe('output pixels and headers of every command, encoder and req= type (image-serving.md §9, §10)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start();
  });
  afterAll(async () => {
    await server.close();
  });

  /** GETs an image reply and checks headers (type, TTL, ETag = MD5, length), decoded shape and colour probes. */
  const render = async (url: string, shape: Shape, probes: readonly Probe[] = [], cacheControl = IMAGE_TTL) => {
    const reply = await server.get(url);
    expect({ url, status: reply.status }).toEqual({ url, status: 200 });
    expect(reply.headers['content-type']).toBe(shape.mime);
    expect(reply.headers['cache-control']).toBe(cacheControl);
    expect(reply.headers['etag']).toBe(`"${md5(reply.body)}"`);
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    const px = await pixels(reply.body);
    expect({ width: px.width, height: px.height, format: px.format, channels: px.channels }).toEqual({
      width: shape.width,
      height: shape.height,
      format: shape.format,
      channels: shape.channels,
    });
    for (const [x, y, colour, tolerance] of probes) {
      const pixel = px.at(x, y);
      expect({ url, x, y, pixel, near: near(pixel, colour, tolerance) }).toEqual({ url, x, y, pixel, near: true });
    }
    return { reply, px };
  };

  const same = async (a: string, b: string) => {
    const [ra, rb] = [await server.get(a), await server.get(b)];
    expect([ra.status, rb.status]).toEqual([200, 200]);
    return ra.body.equals(rb.body);
  };

  describe('layer commands (§3.2, §9 item 5)', () => {
    it.each<[string, string, Shape, Probe[]]>([
      ['crop= (row 18)', '/is/image/cat/img1?scl=1&crop=500,400,500,400', jpeg(500, 400), [[10, 10, YELLOW], [490, 390, YELLOW]]],
      ['cropN= (row 18)', '/is/image/cat/img1?scl=1&cropN=0.1,0,0.8,1', jpeg(800, 800), [[350, 100, RED], [450, 100, GREEN], [350, 700, BLUE], [450, 700, YELLOW]]],
      ['crop= outside the source with bgColor= (jpeg)', '/is/image/cat/img1?scl=1&crop=-100,-100,300,300&bgColor=0000ff', jpeg(300, 300), [[50, 50, BLUE], [200, 200, RED]]],
      ['scale=0.1', '/is/image/cat/img1?scale=0.1&fmt=png', png(100, 80), quadrants(100, 80)],
      ['size=100,0', '/is/image/cat/img1?size=100,0&fmt=png', png(100, 80), quadrants(100, 80)],
      ['size=0,100', '/is/image/cat/img1?size=0,100&fmt=png', png(125, 100), quadrants(125, 100)],
      ['rotate=180', '/is/image/cat/img1?scl=1&rotate=180&fmt=png', png(1000, 800), [[100, 80, YELLOW], [900, 80, BLUE], [100, 720, GREEN], [900, 720, RED]]],
      ['rotate=45 flattens the transparent corners on bgc (jpeg)', '/is/image/cat/img1?scl=1&rotate=45', jpeg(1273, 1273), [[3, 3, WHITE], [1269, 1269, WHITE]]],
      ['rotate=45 with bgColor=', '/is/image/cat/img1?scl=1&rotate=45&bgColor=00ff00&fmt=png', png(1273, 1273), [[3, 3, GREEN, 0], [1269, 3, GREEN, 0]]],
      ['flip=lr', '/is/image/cat/img1?scl=1&flip=lr&fmt=png', png(1000, 800), [[100, 80, GREEN], [900, 80, RED], [100, 720, YELLOW], [900, 720, BLUE]]],
      ['flip=ud', '/is/image/cat/img1?scl=1&flip=ud&fmt=png', png(1000, 800), [[100, 80, BLUE], [900, 80, YELLOW], [100, 720, RED], [900, 720, GREEN]]],
      ['flip=lrud', '/is/image/cat/img1?scl=1&flip=lrud&fmt=png', png(1000, 800), [[100, 80, YELLOW], [900, 80, BLUE], [100, 720, GREEN], [900, 720, RED]]],
      [
        'extend=l,t,r,b with bgColor= (row 19)',
        '/is/image/cat/img1?scl=1&extend=10,20,30,40&bgColor=00ff00&fmt=png',
        png(1040, 860),
        [[5, 400, GREEN, 0], [500, 10, GREEN, 0], [1035, 400, GREEN, 0], [500, 855, GREEN, 0], [15, 25, RED], [1005, 815, YELLOW]],
      ],
      ['extend= without bgColor= flattens on BkgColor (jpeg)', '/is/image/cat/img1?scl=1&extend=10,10,10,10', jpeg(1020, 820), [[3, 3, WHITE], [500, 3, WHITE], [100, 100, RED]]],
      ['extend= without bgColor= flattens on bgc=', '/is/image/cat/img1?scl=1&extend=10,10,10,10&bgc=0000ff&fmt=png', png(1020, 820), [[500, 3, BLUE, 0], [1016, 100, BLUE, 0], [100, 100, RED]]],
      // Order (§3.2): crop, then flip, then rotate, then extend. Red|green strip → flipped green|red → rotated: green on top → 50 px blue on the left.
      [
        'crop → flip → rotate → extend order',
        '/is/image/cat/img1?scl=1&crop=0,0,1000,400&flip=lr&rotate=90&extend=50,0,0,0&bgColor=0000ff&fmt=png',
        png(450, 1000),
        [[10, 500, BLUE, 0], [250, 100, GREEN], [250, 900, RED]],
      ],
    ])('%s', async (_name, url, shape, probes) => {
      await render(url, shape, probes);
    });

    it('rotate=45 in png-alpha leaves transparent corners and an opaque centre', async () => {
      const { px } = await render('/is/image/cat/img1?scl=1&rotate=45&fmt=png-alpha', png(1273, 1273, 4));
      expect(px.at(3, 3)[3]).toBe(0);
      expect(px.at(636, 300)[3]).toBe(255);
    });

    it('extend= in png-alpha without bgColor= has a transparent border', async () => {
      const { px } = await render('/is/image/cat/img1?scl=1&extend=10,10,10,10&fmt=png-alpha', png(1020, 820, 4), [[100, 100, [...RED, 255]]]);
      expect(px.at(500, 3)[3]).toBe(0);
    });
  });

  describe('filters (§3.2, §9 item 5)', () => {
    /** The blurred red→green edge of img1 (x = 500 in the source, x = 100 in the crop). */
    const edgeUrl = (extra: string) => `/is/image/cat/img1?scl=1&crop=400,0,200,100&op_blur=3&fmt=png${extra}`;
    const greenRow = (px: Awaited<ReturnType<typeof pixels>>) => Array.from({ length: 31 }, (_, i) => px.at(85 + i, 50)[1] ?? 0);

    it.each(['&op_sharpen=1', '&op_usm=5,10,0,0'])('%s steepens a soft edge (dark side darker, bright side brighter) and keeps flat areas', async (q) => {
      const soft = greenRow((await render(edgeUrl(''), png(200, 100))).px);
      const { px } = await render(edgeUrl(q), png(200, 100), [[5, 50, RED, 2], [195, 50, GREEN, 2]]);
      const sharpened = greenRow(px);
      const dark = soft.map((v, i) => [v, sharpened[i] ?? 0]).filter(([v = 0]) => v >= 20 && v <= 60);
      const bright = soft.map((v, i) => [v, sharpened[i] ?? 0]).filter(([v = 0]) => v >= 200 && v <= 245);
      expect(dark.length).toBeGreaterThan(0);
      expect(bright.length).toBeGreaterThan(0);
      expect(dark.every(([before = 0, after = 0]) => after < before)).toBe(true);
      expect(bright.every(([before = 0, after = 0]) => after > before)).toBe(true);
    });

    it('op_blur= mixes the two colours across the edge, far pixels stay pure', async () => {
      const { px } = await render('/is/image/cat/img1?scl=1&fmt=png&crop=400,0,200,100&op_blur=20', png(200, 100), [[5, 50, RED, 6], [195, 50, GREEN, 6]]);
      const [r = 0, g = 0, b = 0] = px.at(100, 50);
      expect([r > 40 && r < 215, g > 40 && g < 215, b < 10]).toEqual([true, true, true]);
    });

    it.each<[string, Probe[]]>([
      ['op_brightness=-20', [[10, 10, [203, 0, 0], 2], [90, 10, [0, 203, 0], 2], [10, 70, [0, 0, 203], 2], [90, 70, [204, 204, 0], 2]]],
      ['op_brightness=20', [[10, 10, [255, 51, 51], 2], [10, 70, [51, 51, 255], 2]]],
      ['op_contrast=-50', [[10, 10, [191, 64, 64], 2], [90, 70, [191, 191, 64], 2]]],
      ['op_contrast=100', [[10, 10, [255, 0, 0], 1], [10, 70, [0, 0, 255], 1]]],
    ])('%s on img1 (png)', async (q, probes) => {
      await render(`/is/image/cat/img1?wid=100&fmt=png&${q}`, png(100, 80), probes);
    });

    it('op_saturation=-100 is gray, -50 lowers and 50 raises the saturation of a photo', async () => {
      const gray = (await render('/is/image/cat/img1?wid=100&fmt=png&op_saturation=-100', png(100, 80))).px;
      for (const [x, y] of [[10, 10], [90, 10], [10, 70], [90, 70]] as const) {
        const [r = 0, g = 0, b = 0] = gray.at(x, y);
        expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThanOrEqual(2);
      }
      const spread = async (q: string) => {
        const { px } = await render(`/is/image/plain/photo.jpg?wid=150&fmt=png${q}`, png(150, 100));
        let sum = 0;
        for (let y = 5; y < 100; y += 10) {
          for (let x = 5; x < 150; x += 10) {
            const [r = 0, g = 0, b = 0] = px.at(x, y);
            sum += Math.max(r, g, b) - Math.min(r, g, b);
          }
        }
        return sum;
      };
      const plain = await spread('');
      expect(plain).toBeGreaterThan(0);
      expect(await spread('&op_saturation=-50')).toBeLessThan(plain * 0.8);
      expect(await spread('&op_saturation=50')).toBeGreaterThan(plain * 1.2);
    });
  });

  describe('view transform (§3.1)', () => {
    it.each<[string, string, Shape, Probe[]]>([
      ['row 2: wid=200', '/is/image/cat/img1?wid=200&fmt=png', png(200, 160), quadrants(200, 160)],
      ['row 3: hei=200', '/is/image/cat/img1?hei=200&fmt=png', png(250, 200), quadrants(250, 200)],
      ['row 12: scl=2', '/is/image/cat/img1?scl=2', jpeg(500, 400), quadrants(500, 400)],
      ['row 13: scl=1 bypasses DefaultPix', '/is/image/cat/img1?scl=1', jpeg(1000, 800), quadrants(1000, 800)],
      ['scl=1&wid=300&hei=300&align=-1,-1 keeps the top-left corner', '/is/image/cat/img1?scl=1&wid=300&hei=300&align=-1,-1', jpeg(300, 300), [[5, 5, RED], [295, 295, RED]]],
      ['fit=fit pads top and bottom', '/is/image/cat/img1?wid=200&hei=200&fit=fit&fmt=png', png(200, 200), [[100, 5, WHITE, 0], [100, 194, WHITE, 0], [10, 30, RED], [190, 170, YELLOW]]],
      ['row 7: fit=constrain shrinks the reply (no padding)', '/is/image/cat/img1?wid=200&hei=200&fit=constrain&fmt=png', png(200, 160), [[2, 2, RED], [197, 157, YELLOW]]],
      ['row 8: fit=crop', '/is/image/cat/img1?wid=200&hei=200&fit=crop', jpeg(200, 200), [[2, 2, RED], [95, 50, RED], [105, 50, GREEN], [197, 197, YELLOW]]],
      ['row 11: fit=wrap grows to 250×200', '/is/image/cat/img1?wid=200&hei=200&fit=wrap&fmt=png', png(250, 200), [[120, 50, RED], [130, 50, GREEN], [120, 150, BLUE], [130, 150, YELLOW]]],
      ['row 9: fit=stretch distorts (quadrants become 100×100)', '/is/image/cat/img1?wid=200&hei=200&fit=stretch&fmt=png', png(200, 200), [[95, 95, RED], [105, 95, GREEN], [95, 105, BLUE], [105, 105, YELLOW]]],
      ['fit=hfit uses the x scale (bands top/bottom)', '/is/image/cat/img1?wid=200&hei=200&fit=hfit&fmt=png', png(200, 200), [[100, 5, WHITE, 0], [10, 30, RED], [190, 170, YELLOW]]],
      ['fit=vfit uses the y scale (sides cropped)', '/is/image/cat/img1?wid=200&hei=200&fit=vfit&fmt=png', png(200, 200), [[2, 2, RED], [95, 50, RED], [105, 50, GREEN], [197, 197, YELLOW]]],
      ['fit=constrain,1 upscales', '/is/image/cat/img1?wid=1200&hei=1200&fit=constrain,1', jpeg(1200, 960), quadrants(1200, 960)],
      ['fit=constrain,0 does not upscale', '/is/image/cat/img1?wid=1200&hei=1200&fit=constrain,0', jpeg(1000, 800), quadrants(1000, 800)],
      ['fit=wrap,1 upscales', '/is/image/cat/img1?wid=1200&hei=1200&fit=wrap,1', jpeg(1500, 1200), quadrants(1500, 1200)],
      ['fit=wrap,0 does not upscale', '/is/image/cat/img1?wid=1200&hei=1200&fit=wrap,0', jpeg(1000, 800), quadrants(1000, 800)],
      ['fit=crop,1 upscales to cover and crops', '/is/image/cat/img1?wid=1200&hei=1000&fit=crop,1', jpeg(1200, 1000), [[5, 5, RED], [595, 50, RED], [605, 50, GREEN], [1195, 995, YELLOW]]],
      ['fit=stretch,1 upscales each axis', '/is/image/cat/img1?wid=1200&hei=1200&fit=stretch,1', jpeg(1200, 1200), [[5, 5, RED], [550, 550, RED], [650, 650, YELLOW]]],
      ['fit=stretch,0 keeps 1:1 and pads', '/is/image/cat/img1?wid=1200&hei=1200&fit=stretch,0', jpeg(1200, 1200), [[50, 600, WHITE], [600, 100, WHITE], [105, 205, RED], [1095, 995, YELLOW]]],
      ['fit=hfit,1 upscales by the x scale', '/is/image/cat/img1?wid=1200&hei=1200&fit=hfit,1', jpeg(1200, 1200), [[600, 60, WHITE], [5, 125, RED], [1195, 1075, YELLOW]]],
      ['fit=hfit,0 does not upscale', '/is/image/cat/img1?wid=1200&hei=1200&fit=hfit,0', jpeg(1200, 1200), [[50, 600, WHITE], [105, 205, RED]]],
      ['fit=vfit,1 upscales by the y scale', '/is/image/cat/img1?wid=1200&hei=1200&fit=vfit,1', jpeg(1200, 1200), [[5, 5, RED], [595, 5, RED], [605, 5, GREEN], [1195, 1195, YELLOW]]],
      ['align=1,1 puts the image at the bottom', '/is/image/cat/img1?wid=200&hei=200&align=1,1&fmt=png', png(200, 200), [[100, 20, WHITE, 0], [10, 45, RED], [190, 195, YELLOW]]],
      ['align=-1,0 with fit=crop keeps the left side', '/is/image/cat/img1?wid=200&hei=200&fit=crop&align=-1,0&fmt=png', png(200, 200), [[120, 50, RED], [130, 50, GREEN]]],
      ['align=1,0 with fit=crop keeps the right side', '/is/image/cat/img1?wid=200&hei=200&fit=crop&align=1,0&fmt=png', png(200, 200), [[70, 50, RED], [80, 50, GREEN]]],
      ['bgc= fills the view padding (png, exact)', '/is/image/cat/img1?wid=200&hei=200&bgc=0000ff&fmt=png', png(200, 200), [[100, 5, BLUE, 0], [100, 195, BLUE, 0], [10, 30, RED]]],
      ['rgn= region of the composite (png)', '/is/image/cat/img1?rgn=400,300,200,200&wid=100&fmt=png', png(100, 100), [[20, 20, RED], [80, 20, GREEN], [20, 80, BLUE], [80, 80, YELLOW]]],
      ['row 17: rect= bottom-right tile', '/is/image/cat/img1?scl=1&rect=500,400,500,400&fmt=png', png(500, 400), [[5, 5, YELLOW], [495, 395, YELLOW]]],
      ['rect=x,y,w,h,scale scales the view before the tile', '/is/image/cat/img1?scl=1&rect=0,0,100,80,0.1', jpeg(100, 80), quadrants(100, 80)],
      ['DefaultPix scales a 600×400 photo down to 400×267', '/is/image/plain/photo.jpg', jpeg(400, 267), []],
      ['DefaultPix never upscales (noimage 200×200 stays)', '/is/image/cat/noimage', jpeg(200, 200), [[100, 100, MAGENTA]]],
      ['MaxPix: a reply of exactly MaxPix width is allowed', '/is/image/cat/img1?wid=2000', jpeg(2000, 1600), quadrants(2000, 1600)],
      ['MaxPix: a rect= tile of a view larger than MaxPix is allowed', '/is/image/cat/img1?scl=0.4&rect=0,0,500,500', jpeg(500, 500), [[5, 5, RED], [495, 495, RED]]],
      ['MaxPix=0,0 is unlimited (lm catalog)', '/is/image/lm/img1?wid=2500', jpeg(2500, 2000), quadrants(2500, 2000)],
      ['row 28: variables', '/is/image/cat/img1?$w=300&wid=$w$', jpeg(300, 240), quadrants(300, 240)],
      ['row 57: plain path in the default catalog', '/is/image/plain/photo.jpg?wid=100', jpeg(100, 67), []],
    ])('%s', async (_name, url, shape, probes) => {
      await render(url, shape, probes);
    });

    it('bgc= is ignored for png-alpha: the padding is transparent', async () => {
      const { px } = await render('/is/image/cat/img1?wid=200&hei=200&bgc=00ff00&fmt=png-alpha', png(200, 200, 4), [[10, 30, [...RED, 255]]]);
      expect(px.at(100, 5)[3]).toBe(0);
    });

    it('align= is irrelevant with wid only and with fit=constrain (identical bytes)', async () => {
      expect(await same('/is/image/cat/img1?wid=200&align=1,1', '/is/image/cat/img1?wid=200')).toBe(true);
      expect(await same('/is/image/cat/img1?wid=200&hei=200&fit=constrain&align=1,1', '/is/image/cat/img1?wid=200&hei=200&fit=constrain')).toBe(true);
    });

    it('MaxPix: hei=1601 makes the width 2001 > MaxPix → 403 Image too large, not cacheable', async () => {
      const r = await server.get('/is/image/cat/img1?hei=1601');
      expect([r.status, r.headers['content-type'], r.headers['cache-control'], r.text]).toEqual([403, 'text/plain; charset=UTF-8', NOT_CACHEABLE, 'Image too large']);
      expect(r.headers['etag']).toBeUndefined();
    });

    it('row 27: the view macro renders like its expansion (wid=240, jpeg, qlt=85)', async () => {
      await render('/is/image/cat/img1?$view$', jpeg(240, 192), quadrants(240, 192));
      expect(await same('/is/image/cat/img1?$view$', '/is/image/cat/img1?wid=240&fmt=jpeg&qlt=85')).toBe(true);
      await render('/is/image/cat/img1?$view$&wid=480', jpeg(480, 384), quadrants(480, 384));
    });
  });

  describe('encoders (§3.3, §9 item 6)', () => {
    it.each<[string, string, string]>([
      ['gif-alpha', 'image/gif', 'gif'],
      ['webp-alpha', 'image/webp', 'webp'],
      ['avif-alpha', 'image/avif', 'heif'],
      ['png-alpha', 'image/png', 'png'],
      ['png8-alpha', 'image/png', 'png'],
      ['tif-alpha', 'image/tiff', 'tiff'],
    ])('fmt=%s → %s with 4 channels, opaque red and transparent right half', async (fmt, mime, format) => {
      const { px } = await render(`/is/image/cat/alpha?fmt=${fmt}`, { width: 200, height: 100, format, channels: 4, mime }, [[50, 50, [...RED, 255], 6]]);
      expect(px.at(150, 50)[3]).toBeLessThan(16);
    });

    it.each([
      ['none', 1],
      ['lzw', 5],
      ['zip', 8],
      ['jpeg', 7],
    ] as const)('fmt=tif,,%s → image/tiff, TIFF compression %i, pixels intact', async (c, tag) => {
      const { reply } = await render(`/is/image/cat/img1?wid=100&fmt=tif,,${c}`, { width: 100, height: 80, format: 'tiff', channels: 3, mime: 'image/tiff' }, quadrants(100, 80));
      expect(tiffCompression(reply.body)).toBe(tag);
    });

    it.each<[string, Shape]>([
      ['jpeg,gray', { ...jpeg(100, 80), channels: 1 }],
      ['png,gray', png(100, 80, 1)],
      ['tif,gray', { width: 100, height: 80, format: 'tiff', channels: 1, mime: 'image/tiff' }],
    ])('fmt=%s is a 1-channel image of the luminance', async (fmt, shape) => {
      const { px } = await render(`/is/image/cat/img1?wid=100&fmt=${fmt}`, shape);
      const [red = 0] = px.at(10, 10);
      const [yellow = 0] = px.at(90, 70);
      const [blue = 0] = px.at(10, 70);
      expect(yellow).toBeGreaterThan(red + 60);
      expect(red).toBeGreaterThan(blue + 20);
    });

    it('fmt=gif,gray is gray (R=G=B) and row 22 fmt=jpeg,gray&qlt=60 is 1-channel b-w', async () => {
      const { px } = await render('/is/image/cat/img1?wid=100&fmt=gif,gray', { width: 100, height: 80, format: 'gif', channels: 4, mime: 'image/gif' });
      const [r = 0, g = 0, b = 0] = px.at(10, 10);
      expect([r, r]).toEqual([g, b]);
      const { reply } = await render('/is/image/cat/img1?fmt=jpeg,gray&qlt=60&wid=200', { ...jpeg(200, 160), channels: 1 });
      expect((await sharp(reply.body).metadata()).space).toBe('b-w');
    });

    it('fmt=png,rgb is the explicit default pixel type', async () => {
      await render('/is/image/cat/img1?wid=100&fmt=png,rgb', png(100, 80), quadrants(100, 80));
      expect(await same('/is/image/cat/img1?wid=100&fmt=png,rgb', '/is/image/cat/img1?wid=100&fmt=png')).toBe(true);
    });

    it('qlt= defaults to JpegQuality (80,0 → 4:2:0; lm 70,1 → 4:4:4); chroma=1 → 4:4:4; chroma is ignored for gray', async () => {
      expect(await same('/is/image/cat/img1?wid=150', '/is/image/cat/img1?wid=150&qlt=80')).toBe(true);
      const dflt = await render('/is/image/cat/img1?wid=150', jpeg(150, 120), quadrants(150, 120));
      expect((await sharp(dflt.reply.body).metadata()).chromaSubsampling).toBe('4:2:0');
      const chroma = await render('/is/image/cat/img1?wid=150&qlt=90,1', jpeg(150, 120), quadrants(150, 120));
      expect((await sharp(chroma.reply.body).metadata()).chromaSubsampling).toBe('4:4:4');
      const lm = await render('/is/image/lm/img1?wid=150', jpeg(150, 120), quadrants(150, 120));
      expect((await sharp(lm.reply.body).metadata()).chromaSubsampling).toBe('4:4:4');
      await render('/is/image/cat/img1?wid=150&qlt=90,1&fmt=jpeg,gray', { ...jpeg(150, 120), channels: 1 });
    });

    it.each(['webp', 'avif', 'tif,,jpeg'])('qlt= lowers the size of fmt=%s', async (fmt) => {
      const low = await server.get(`/is/image/plain/photo.jpg?wid=150&fmt=${fmt}&qlt=20`);
      const high = await server.get(`/is/image/plain/photo.jpg?wid=150&fmt=${fmt}&qlt=90`);
      expect([low.status, high.status]).toEqual([200, 200]);
      expect(low.headers['content-type']).toBe(high.headers['content-type']);
      expect(low.body.length).toBeLessThan(high.body.length * 0.6);
    });

    it.each<[string, Shape]>([
      ['jpeg', jpeg(100, 80)],
      ['png', png(100, 80)],
      ['tif', { width: 100, height: 80, format: 'tiff', channels: 3, mime: 'image/tiff' }],
    ])('printRes=150 sets the density of fmt=%s', async (fmt, shape) => {
      const { reply } = await render(`/is/image/cat/img1?wid=100&fmt=${fmt}&printRes=150`, shape, quadrants(100, 80));
      expect((await sharp(reply.body).metadata()).density).toBe(150);
    });

    it('resMode= bilin, bicub, sharp2, bisharp and legacy sharp all render; kernels differ; default = ResMode=3 (bicub)', async () => {
      const bodies: Buffer[] = [];
      for (const mode of ['bilin', 'bicub', 'sharp2', 'bisharp']) {
        bodies.push((await render(`/is/image/plain/photo.jpg?wid=150&fmt=png&resMode=${mode}`, png(150, 100))).reply.body);
      }
      expect(new Set(bodies.map(md5)).size).toBe(4);
      await render('/is/image/cat/img1?wid=150&resMode=sharp', jpeg(150, 120), quadrants(150, 120));
      expect(await same('/is/image/plain/photo.jpg?wid=150&fmt=png', '/is/image/plain/photo.jpg?wid=150&fmt=png&resMode=bicub')).toBe(true);
    });
  });

  describe('image request types (§2, §2.2)', () => {
    it('req=img is the default', async () => {
      await render('/is/image/cat/img1?req=img&wid=150', jpeg(150, 120), quadrants(150, 120));
      expect(await same('/is/image/cat/img1?req=img&wid=150', '/is/image/cat/img1?wid=150')).toBe(true);
    });

    it('row 61: req=tmb&fmt=png fits DefaultThumbPix with ThumbBkgColor bands, TTL = Expiration', async () => {
      await render('/is/image/cat/img1?req=tmb&fmt=png', png(100, 100), [[50, 3, WHITE, 0], [50, 96, WHITE, 0], [10, 20, RED], [90, 80, YELLOW]]);
    });

    it('req=tmb with wid/hei uses that box (ThumbType 2: fit, centred)', async () => {
      await render('/is/image/cat/img1?req=tmb&wid=50&hei=80', jpeg(50, 80), [[25, 5, WHITE], [25, 75, WHITE], [10, 25, RED], [40, 55, YELLOW]]);
    });
  });

  describe('property request types in every format (§2, §2.1, §9 item 7)', () => {
    const TYPES = [
      ['imageprops', '/is/image/cat/img1?req=imageprops&wid=10', 'image', 'width', '1000', PROPS_TTL],
      ['exists', '/is/image/cat/img1?req=exists', 'catalogRecord', 'exists', '1', PROPS_TTL],
      ['catalogprops', '/is/image/cat?req=catalogprops', 'catalog', 'maxPix', '2000,2000', PROPS_TTL],
      ['validate', '/is/image/cat/img1?req=validate&wid=100', 'request', 'isValid', '1', NOT_CACHEABLE],
      ['props', '/is/image/cat/img1?req=props', 'image', 'width', '400', PROPS_TTL],
    ] as const;
    const withFormat = (url: string, format: string) => url.replace(/req=(\w+)/, `req=$1,${format}`);
    const expectHeaders = (r: { status: number; headers: Record<string, unknown> }, mime: string, ttl: string) => {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(mime);
      expect(r.headers['cache-control']).toBe(ttl);
      if (ttl === NOT_CACHEABLE) {
        expect(r.headers['etag']).toBeUndefined();
      } else {
        expect(r.headers['etag']).toMatch(/^"[0-9a-f]{32}"$/);
      }
    };

    it.each(TYPES)('req=%s,text', async (_t, url, group, key, value, ttl) => {
      const r = await server.get(withFormat(url, 'text'));
      expectHeaders(r, 'text/plain; charset=UTF-8', ttl);
      const lines = r.text.split('\n');
      expect(lines[0]).toBe('#S7Z OK');
      expect(lines[1]).toMatch(/^#[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d [A-Z]+ \d{4}$/);
      expect(lines).toContain(`${group}.${key}=${value}`);
    });

    it.each(TYPES)('req=%s,javascript', async (_t, url, group, key, value, ttl) => {
      const r = await server.get(withFormat(url, 'javascript'));
      expectHeaders(r, 'text/javascript; charset=UTF-8', ttl);
      expect(r.text.split('\n')).toContain(`${group}.${key}='${value}'`);
      expect(r.text).not.toContain('#S7Z');
    });

    it.each(TYPES)('req=%s,xml', async (_t, url, group, key, value, ttl) => {
      const r = await server.get(withFormat(url, 'xml'));
      expectHeaders(r, 'text/xml; charset=UTF-8', ttl);
      expect(r.text.startsWith('<?xml version="1.0" encoding="UTF-8" ?>\n<prop-group>\n')).toBe(true);
      expect(r.text).toContain(`<prop-group name="${group}">`);
      expect(r.text).toContain(`<property name="${key}" value="${value}" />`);
      expect(r.text.trimEnd().endsWith('</prop-group>')).toBe(true);
    });

    it.each(TYPES)('req=%s,json: JSONP with s7jsonResponse, handler= and id=', async (_t, url, group, key, value, ttl) => {
      const plain = await server.get(withFormat(url, 'json'));
      expectHeaders(plain, 'text/javascript; charset=UTF-8', ttl);
      expect(plain.text).toMatch(new RegExp(`^/\\*jsonp\\*/s7jsonResponse\\(\\{.*"${group}\\.${key}":"${value}".*\\},""\\);$`));
      const named = await server.get(`${withFormat(url, 'json')}&handler=myCb2&id=req7`);
      expectHeaders(named, 'text/javascript; charset=UTF-8', ttl);
      expect(named.text).toMatch(new RegExp(`^/\\*jsonp\\*/myCb2\\(\\{.*"${group}\\.${key}":"${value}".*\\},"req7"\\);$`));
      expect(JSON.parse(named.text.slice('/*jsonp*/myCb2('.length, named.text.lastIndexOf('},') + 1))).toMatchObject({ [`${group}.${key}`]: value });
    });

    it('req=userdata in text, xml and json (handler=, id=), TTL = Expiration', async () => {
      const text = await server.get('/is/image/cat/ud?req=userdata,text');
      expectHeaders(text, 'text/plain; charset=UTF-8', IMAGE_TTL);
      expect(text.text).toBe('a=1\r\nb=two\r\n');
      const xml = await server.get('/is/image/cat/ud?req=userdata,xml');
      expectHeaders(xml, 'text/xml; charset=UTF-8', IMAGE_TTL);
      expect(xml.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8" \?>\n<prop-group>\n\s*<property name="a" value="1" \/>\n\s*<property name="b" value="two" \/>\n<\/prop-group>\n?$/);
      const json = await server.get('/is/image/cat/ud?req=userdata,json&handler=ud1&id=x9');
      expectHeaders(json, 'text/javascript; charset=UTF-8', IMAGE_TTL);
      expect(json.text).toBe('/*jsonp*/ud1({"a":"1","b":"two"},"x9");');
      const none = await server.get('/is/image/cat/nope?req=userdata,json');
      expectHeaders(none, 'text/javascript; charset=UTF-8', IMAGE_TTL);
      expect(none.text).toBe('/*jsonp*/s7jsonResponse({},"");');
    });

    it('req=exists,xml for a missing record is 0, not an error', async () => {
      const r = await server.get('/is/image/cat/nope?req=exists,xml');
      expectHeaders(r, 'text/xml; charset=UTF-8', PROPS_TTL);
      expect(r.text).toContain('<property name="exists" value="0" />');
    });

    it('row 38: req=imageprops ignores view commands (same body with and without wid=)', async () => {
      const a = await server.get('/is/image/cat/img1?req=imageprops,json&wid=10');
      const b = await server.get('/is/image/cat/img1?req=imageprops,json');
      expectHeaders(a, 'text/javascript; charset=UTF-8', PROPS_TTL);
      expect(a.text).toBe(b.text);
      expect(a.text).toContain('"image.height":"800"');
      expect(a.text).toContain('"image.pixTyp":"RGB"');
    });

    it('row 43: GET /is/image has a text/plain body with NonImgExpiration and an ETag', async () => {
      const r = await server.get('/is/image');
      expectHeaders(r, 'text/plain; charset=UTF-8', PROPS_TTL);
      expect(r.text.split('\n')[0]).toBe('#S7Z OK');
      expect(r.text).toMatch(/\ncopyright=Copyright .+\n?$/);
    });
  });
});

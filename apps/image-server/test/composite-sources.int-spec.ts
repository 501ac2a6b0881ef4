// Issue 15 item 2 (sources): text layers, nested is{…} requests and templates over HTTP
// (image-serving.md §1.4, §3.5, §4.3, §5). Fixtures: test/fixtures/images/comp (solid colours).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { FIXTURES, ImageServerHarness, type TestReply } from './support/image-server.harness';

type Rgba = [number, number, number, number];

interface Pixels {
  width: number;
  height: number;
  at: (x: number, y: number) => Rgba;
  /** Pixels in [x0,x1)×[y0,y1) that `test` accepts. */
  count: (x0: number, y0: number, x1: number, y1: number, test: (c: Rgba) => boolean) => number;
}

async function pixels(r: TestReply): Promise<Pixels> {
  expect(r.status).toBe(200);
  const { data, info } = await sharp(r.body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Rgba => {
    const i = (y * info.width + x) * 4;
    return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1, data[i + 3] ?? -1];
  };
  const count = (x0: number, y0: number, x1: number, y1: number, test: (c: Rgba) => boolean) => {
    let n = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        n += test(at(x, y)) ? 1 : 0;
      }
    }
    return n;
  };
  return { width: info.width, height: info.height, at, count };
}

const WHITE: Rgba = [255, 255, 255, 255];
const BLUE: Rgba = [0, 0, 255, 255];
const RED: Rgba = [255, 0, 0, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
const near = (a: Rgba, e: Rgba, tol = 2) => a.every((v, i) => Math.abs(v - (e[i] ?? 0)) <= tol);
const reddish = (c: Rgba) => c[0] > 180 && c[1] < 90 && c[2] < 90 && c[3] > 128;
const notWhite = (c: Rgba) => !near(c, WHITE, 8);

/** `[x, y, colour]` samples in one assertion, so a failure lists every wrong pixel. */
async function expectPixels(r: TestReply, samples: readonly [number, number, Rgba][], size?: [number, number]): Promise<Pixels> {
  const img = await pixels(r);
  if (size !== undefined) {
    expect([img.width, img.height]).toEqual(size);
  }
  const wrong = samples.filter(([x, y, c]) => !near(img.at(x, y), c)).map(([x, y, c]) => ({ x, y, expected: c, actual: img.at(x, y) }));
  expect(wrong).toEqual([]);
  return img;
}

const RED_RTF = encodeURIComponent('{\\rtf1{\\colortbl;\\red255\\green0\\blue0;}\\vertalc\\qc\\fs40\\b\\cf1 HH}');

describe('layer sources: text, nested requests, templates (issue 15)', () => {
  let root: string;
  let server: ImageServerHarness;
  const png = (path: string, query: string) => server.get(`/is/image/${path}?${query}${query === '' ? '' : '&'}fmt=png-alpha`);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-srcs-'));
    await cp(join(FIXTURES, 'catalog'), join(root, 'catalog'), { recursive: true });
    await cp(join(FIXTURES, 'images'), join(root, 'images'), { recursive: true });
    const records =
      'Id\tPath\tModifier\tPostModifier\n' +
      'white\twhite.png\t\t\n' +
      'red\tred.png\t\t\n' +
      'badge\tbadge.png\t\t\n' +
      'gone\tmissing.png\t\t\n' +
      'tplA\t\tsize=100,80&color=ffffff&layer=1&src=$object$&size=40,40\t\n' +
      'tplT\twhite.png\t$txt=none&layer=1&text=$txt$&size=60,40\tqlt=5\n' +
      'tplSelf\t\tsize=40,40&color=0000ff&layer=1&src=is{?template=tplSelf}\t\n' +
      'tplRef\t\ttemplate=tplA\t\n' +
      'wm\tbadge.png\t\t\n' +
      'wmq\tbadge.png\tsizeN=0.5,0.5&align=1,1&opac=50&fmt=gif&wid=5\t\n' +
      'wmbad\tbadge.png\tsizeN=2\t\n';
    await writeFile(join(root, 'catalog', 'srcs.txt'), records);
    await writeFile(join(root, 'catalog', 'srcs.ini'), 'RootId=srcs\nRootPath=images/comp/\nCatalogFile=srcs.txt\nErrorDetail=2\nDefaultImage=\n');
    await writeFile(join(root, 'catalog', 'srcsd.ini'), 'RootId=srcsd\nRootPath=images/comp/\nCatalogFile=srcs.txt\nErrorDetail=2\nDefaultImage=red\nDefaultImageMode=0\n');
    await writeFile(join(root, 'catalog', 'srcs1.ini'), 'RootId=srcs1\nRootPath=images/comp/\nCatalogFile=srcs.txt\nErrorDetail=2\nDefaultImage=red\nDefaultImageMode=1\n');
    const watermarked = (id: string, mark: string) => writeFile(join(root, 'catalog', `${id}.ini`), `RootId=${id}\nRootPath=images/comp/\nCatalogFile=srcs.txt\nErrorDetail=2\nDefaultImage=\nWatermark=${mark}\n`);
    await Promise.all([watermarked('wmk', 'wm'), watermarked('wmkq', 'wmq'), watermarked('wmkgone', 'nope'), watermarked('wmkbad', 'wmbad')]);
    // Server errors (class 3, 403 by default) answer 500 here, so a bug cannot hide behind the usage status.
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root, IS_STATUS_SERVER: '500' });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  describe('text layers (text=, textAttr=, size=)', () => {
    it('draws RTF text in its colour inside the size= box, centred on layer 0; the rest of the box is transparent', async () => {
      // box 60x40 centred on the 100x80 base: x 20..79, y 20..59
      const img = await expectPixels(await png('srcs/white', `layer=1&text=${RED_RTF}&size=60,40`), [[0, 0, WHITE], [21, 21, WHITE], [78, 58, WHITE], [99, 79, WHITE]], [100, 80]);
      expect(img.count(20, 20, 80, 60, reddish)).toBeGreaterThan(60);
      expect(img.count(0, 0, 100, 20, notWhite) + img.count(0, 60, 100, 80, notWhite) + img.count(0, 0, 20, 80, notWhite) + img.count(80, 0, 100, 80, notWhite)).toBe(0);
    });

    it('is a layer like any other: pos= moves it, opac= fades it', async () => {
      const moved = await pixels(await png('srcs/white', `layer=1&text=${RED_RTF}&size=60,40&pos=-20,0`));
      expect(moved.count(0, 20, 60, 60, reddish)).toBeGreaterThan(60);
      expect(moved.count(60, 0, 100, 80, notWhite)).toBe(0);
      const faded = await pixels(await png('srcs/white', `layer=1&text=${RED_RTF}&size=60,40&opac=0`));
      expect(faded.count(0, 0, 100, 80, notWhite)).toBe(0);
    });

    it('as layer 0 the text box is the composite: transparent around the glyphs, dark glyphs by default', async () => {
      const img = await expectPixels(await png('srcs', 'text=Hello&size=80,30'), [[79, 29, CLEAR], [79, 0, CLEAR]], [80, 30]);
      expect(img.count(0, 0, 80, 30, (c) => c[3] > 200 && c[0] < 80 && c[1] < 80 && c[2] < 80)).toBeGreaterThan(20);
    });

    it('without size= the box is the text\'s size; textAttr=144 draws it twice as large, scale=2 scales the box', async () => {
      const small = await pixels(await png('srcs', 'text=Hello'));
      const large = await pixels(await png('srcs', 'text=Hello&textAttr=144'));
      expect(large.height / small.height).toBeCloseTo(2, 0);
      expect(large.width).toBeGreaterThan(small.width * 1.7);
      // scale= sizes the text box like any layer source
      const scaled = await pixels(await png('srcs', 'text=Hello&scale=2'));
      expect([scaled.width, scaled.height]).toEqual([small.width * 2, small.height * 2]);
    });

    it('a bad textAttr= or a box over the limit is a usage error naming the layer and the command', async () => {
      const bad = await server.get('/is/image/srcs/white?layer=1&text=x&textAttr=72,blurry');
      expect(bad.status).toBe(403);
      expect(bad.text).toContain('layer 1: textAttr=72,blurry');
      const huge = await server.get('/is/image/srcs/white?layer=2&text=x&size=5000,10');
      expect(huge.status).toBe(403);
      expect(huge.text).toContain('layer 2: text=x');
    });

    it('still refuses the text commands not built (textAngle, textPath …), naming them', async () => {
      const r = await server.get('/is/image/srcs/white?layer=1&text=x&textAngle=90');
      expect(r.status).toBe(403);
      expect(r.text).toContain('textAngle=90: the command textAngle is not supported by this server');
    });
  });

  describe('nested requests (src=is{…})', () => {
    // badge 20x20 (left half blue, right half transparent) sized 40x40 and centred: x 30..69, y 20..59
    const badgeSamples: [number, number, Rgba][] = [[31, 21, BLUE], [48, 58, BLUE], [51, 21, WHITE], [68, 58, WHITE], [10, 10, WHITE]];

    it('renders the nested request through the same pipeline; its alpha is the layer mask', async () => {
      await expectPixels(await png('srcs/white', 'layer=1&src=is{srcs/badge?size=40,40}'), badgeSamples, [100, 80]);
      await expectPixels(await png('srcs/white', 'layer=1&src=is(srcs/badge?wid=40)'), badgeSamples, [100, 80]);
    });

    it('ignores fmt, qlt, bgc and req inside the nested request', async () => {
      await expectPixels(await png('srcs/white', 'layer=1&src=is{srcs/badge?size=40,40&bgc=ff0000&fmt=jpeg&qlt=1&req=props}'), badgeSamples, [100, 80]);
    });

    it('passes the outer variables and $object$ into the nested request', async () => {
      await expectPixels(await png('srcs/badge', '$w=40&layer=0&src=white&layer=1&src=is{?src=$object$&size=$w$,$w$}'), badgeSamples, [100, 80]);
    });

    it('refuses nesting deeper than 3 with a usage error naming the depth', async () => {
      const three = 'is{?src=is{?src=is{srcs/badge}}}';
      expect((await png('srcs/white', `layer=1&src=${three}`)).status).toBe(200);
      const r = await server.get('/is/image/srcs/white?layer=1&src=is{?src=is{?src=is{?src=is{srcs/badge}}}}');
      expect(r.status).toBe(403);
      expect(r.text).toContain('Invalid request');
      expect(r.text).toContain('nested 4 deep, more than the limit of 3');
      const validate = await server.get('/is/image/srcs/white?req=validate&layer=1&src=is{?src=is{?src=is{?src=is{srcs/badge}}}}');
      expect([validate.status, validate.text]).toEqual([403, expect.stringContaining('nested 4 deep')]);
      // a template that nests itself stops at the same limit
      const self = await server.get('/is/image/srcs/tplSelf');
      expect(self.status).toBe(403);
      expect(self.text).toContain('more than the limit of 3');
    });

    it('a malformed nested request or an ir{…} one is a usage error naming the layer and src', async () => {
      const ir = await server.get('/is/image/srcs/white?layer=1&src=ir{cat/x}');
      expect([ir.status, ir.text]).toEqual([403, expect.stringContaining('layer 1: src=ir{cat/x}: embedded ir{…} requests are not supported by this server')]);
    });

    it('a missing source inside it is image-not-found, with the default-image rules (§5.5)', async () => {
      const missing = await server.get('/is/image/srcs/white?layer=1&src=is{srcs/gone}');
      expect([missing.status, missing.text.split('\n')[0]]).toEqual([403, 'Image not found']);
      // DefaultImageMode=0: the default image replaces the whole reply
      await expectPixels(await png('srcsd/white', 'layer=1&src=is{srcs/gone}'), [[0, 0, RED], [19, 9, RED]], [20, 10]);
      // DefaultImageMode=1: only the layer's source is replaced (red 20x10 centred on white)
      await expectPixels(await png('srcs1/white', 'layer=1&src=is{srcs/gone}'), [[40, 35, RED], [59, 44, RED], [39, 35, WHITE], [0, 0, WHITE]], [100, 80]);
      // req=props gets no default image (§5.5), also for a source missing inside a nested request
      const props = await server.get('/is/image/srcs1/white?layer=1&src=is{?layer=1&src=is{srcs/gone}}&req=props');
      expect([props.status, props.text.split('\n')[0]]).toEqual([403, 'Image not found']);
    });

    it('mask=is{…}: the nested result is the layer mask (its gray value, transparent = masked out)', async () => {
      // red 20x10 centred (x 40..59, y 35..44); halfmask keeps the left half
      const samples: [number, number, Rgba][] = [[41, 36, RED], [49, 43, RED], [51, 36, WHITE], [58, 43, WHITE]];
      await expectPixels(await png('srcs/white', 'layer=1&src=red&mask=is{srcs/halfmask.png}'), samples, [100, 80]);
      await expectPixels(await png('srcs/white', 'layer=1&src=red&mask=is{?src=srcs/halfmask.png&size=40,20}'), samples, [100, 80]);
      const missing = await server.get('/is/image/srcs/white?layer=1&src=red&mask=is{srcs/gone}');
      expect([missing.status, missing.text.split('\n')[0]]).toEqual([403, 'Image not found']);
    });

    it('cache=on keeps the nested result in the result cache (lossless), reused by another request', async () => {
      const hits = async () => Number(/is_result_cache_lookups_total\{outcome="hit"[^}]*\} (\d+)/.exec((await server.get('/metrics')).text)?.[1] ?? 0);
      const before = await hits();
      await expectPixels(await png('srcs/white', 'layer=1&src=is{srcs/badge?size=40,40&cache=on}'), badgeSamples);
      const afterFirst = await hits();
      await expectPixels(await png('srcs/white', 'layer=1&src=is{srcs/badge?size=40,40&cache=on}&pos=0,0'), badgeSamples);
      expect(await hits()).toBe(afterFirst + 1);
      expect(afterFirst).toBe(before);
      // without cache=on nothing intermediate is cached
      await png('srcs/white', 'layer=1&src=is{srcs/badge?size=40,41}');
      await png('srcs/white', 'layer=1&src=is{srcs/badge?size=40,41}&pos=0,0');
      expect(await hits()).toBe(afterFirst + 1);
    });
  });

  describe('req=resolve shows what will be rendered', () => {
    it('expands nested requests (their records, templates, outer variables; ignored commands left out), every level, in the brackets written', async () => {
      const r = await server.get('/is/image/srcs/white?$v=2&layer=1&src=is{srcs/tplT?$txt=hi&op_blur=$v$&wid=50&fmt=png&zoomstep=1}&mask=is(?template=tplA&$object=red)&layer=2&src=is{?layer=1&src=is{srcs/badge?qlt=5&size=10,10}}&req=resolve');
      expect([r.status, r.headers['cache-control']]).toEqual([200, expect.stringContaining('no-store')]);
      expect(r.text.split('\n')).toEqual([
        'srcs/white?req=resolve' +
          '&layer=1&src=is{srcs/tplT?op_blur=2&wid=50&zoomstep=1&layer=1&text=hi&size=60,40}' +
          '&mask=is(srcs?size=100,80&color=ffffff&template=tplA&layer=1&src=red&size=40,40)' +
          '&layer=2&src=is{srcs?layer=1&src=is{srcs/badge?size=10,10}}',
        '# unknown commands (ignored): zoomstep',
        '',
      ]);
    });

    it('a nested request that cannot be rendered fails req=resolve the same way', async () => {
      const r = await server.get('/is/image/srcs/white?layer=1&src=is{?layer=1&src=is{?layer=1&src=is{?layer=1&src=is{srcs/red}}}}&req=resolve');
      expect([r.status, r.text]).toEqual([403, expect.stringContaining('nested 4 deep')]);
    });
  });

  describe('templates (template=, $object$, record modifiers)', () => {
    it('template= takes the record\'s Modifier as the body and the path object as $object$', async () => {
      await expectPixels(await png('srcs/badge', 'template=tplA'), [[31, 21, BLUE], [68, 58, WHITE], [5, 5, WHITE]], [100, 80]);
    });

    it('the outer view and output commands apply to the template result', async () => {
      const r = await server.get('/is/image/srcs/badge?template=tplA&wid=50&fmt=png');
      expect(r.headers['content-type']).toBe('image/png');
      await expectPixels(r, [[16, 11, BLUE], [2, 2, WHITE]], [50, 40]);
    });

    it('$var from the URL fill the template (its own definition is the default); no PostModifier applies', async () => {
      const img = await pixels(await png('srcs/badge', `template=tplT&$txt=${RED_RTF}`));
      expect(img.count(20, 20, 80, 60, reddish)).toBeGreaterThan(60);
      const props = await server.get('/is/image/srcs/badge?template=tplT&req=props');
      expect(props.text).toContain('image.quality=80');
      const resolved = await server.get('/is/image/srcs/badge?template=tplT&req=resolve');
      expect(resolved.text).toContain('template=tplT');
      expect(resolved.text).toContain('text=none');
    });

    it('a template= in a record\'s Modifier is refused by name, not ignored', async () => {
      const r = await server.get('/is/image/srcs/tplRef');
      expect([r.status, r.text]).toEqual([403, expect.stringContaining("template=tplA in the record's Modifier: templates named by a record are not supported by this server")]);
    });

    it('a missing template is image-not-found (default image rules apply)', async () => {
      const r = await server.get('/is/image/srcs/badge?template=nope');
      expect(r.status).toBe(403);
      expect(r.text).toContain('Image not found');
      expect(r.text).toContain('images/comp/nope.jpg');
      await expectPixels(await png('srcsd/badge', 'template=nope'), [[0, 0, RED]], [20, 10]);
    });
  });

  describe('attribute::Watermark', () => {
    // wm = badge 20x20 (left half blue, right half transparent), centred on the 100x80 white image: x 40..59, y 30..49
    it('is laid over every image reply of the catalog, centred, at its pixel size', async () => {
      await expectPixels(await png('wmk/white', ''), [[41, 31, BLUE], [49, 49, BLUE], [50, 31, WHITE], [39, 40, WHITE], [5, 5, WHITE]], [100, 80]);
      const plain = await pixels(await png('srcs/white', ''));
      expect(plain.count(0, 0, 100, 80, notWhite)).toBe(0);
    });

    it('goes over the top layer of a composite', async () => {
      // red 20x10 at x 40..59, y 35..44; the watermark's blue half covers its left half
      await expectPixels(await png('wmk/white', 'layer=1&src=red'), [[45, 40, BLUE], [55, 40, RED], [45, 32, BLUE]]);
    });

    it('takes sizeN=, align= and opac= from its record, ignores its view and request commands', async () => {
      // sizeN=0.5,0.5 of 100x80 → fits 50x40 → 40x40, align=1,1 → x 60..99, y 40..79; opac=50 → blue half over white
      const r = await png('wmkq/white', '');
      expect(r.headers['content-type']).toBe('image/png');
      await expectPixels(r, [[61, 41, [128, 128, 255, 255]], [79, 79, [128, 128, 255, 255]], [81, 60, WHITE], [59, 60, WHITE], [61, 39, WHITE]], [100, 80]);
    });

    it('never covers the padding of wid=/hei=, and is not drawn on thumbnails', async () => {
      const padded = await pixels(await png('wmk/white', 'wid=200&hei=80&align=-1,0'));
      expect([padded.width, padded.height]).toEqual([200, 80]);
      expect(near(padded.at(45, 40), BLUE)).toBe(true);
      expect(padded.count(100, 0, 200, 80, (c) => c[3] !== 0)).toBe(0);
      const thumb = await pixels(await server.get('/is/image/wmk/white?req=tmb&fmt=png'));
      expect(thumb.count(0, 0, thumb.width, thumb.height, notWhite)).toBe(0);
    });

    it('a watermark that cannot be drawn fails the reply, naming it (never an image without it)', async () => {
      const gone = await server.get('/is/image/wmkgone/white');
      expect([gone.status, gone.text.split('\n')[0]]).toEqual([403, 'Image not found']);
      expect(gone.text).toContain('watermark nope: ');
      const bad = await server.get('/is/image/wmkbad/white');
      expect(bad.status).toBe(403);
      expect(bad.text).toContain('watermark wmbad: sizeN=2');
    });
  });

  describe('on arbitrary stacks of these sources', () => {
    const value = (v: string) => encodeURIComponent(v);
    const rtf = fc.array(fc.constantFrom('{\\rtf1', '}', '{', '\\b', '\\fs80', '\\qc', '\\par', '\\cf1', 'Sale', ' ', '\\u8364?', '%', '&', '$txt$'), { maxLength: 12 }).map((p) => value(p.join('')));
    const inner = fc.array(fc.constantFrom('src=srcs/badge', 'src=srcs/gone', 'size=40,40', 'wid=30', 'bgc=ff0000', 'fmt=gif', 'cache=on', 'text=x', 'template=tplA', 'layer=1', 'rotate=30', 'src=is{srcs/red}', 'opac=50'), { maxLength: 5 }).map((p) => p.join('&'));
    const layer = fc.oneof(
      fc.tuple(rtf, fc.constantFrom('', '&size=60,40', '&size=0,0', '&size=30,0', '&size=5000,5'), fc.constantFrom('', '&textAttr=144', '&textAttr=72,off,autoRes,nbWrap', '&textAttr=x')).map(([t, sz, a]) => `text=${t}${sz}${a}`),
      fc.tuple(fc.constantFrom('is{', 'is(', 'is{?', 'ir{'), inner).map(([open, q]) => `src=${open}${open.startsWith('is{?') ? '' : 'srcs/badge?'}${q}${open.includes('(') ? ')' : '}'}`),
      fc.constantFrom('src=red&mask=is{srcs/halfmask.png}', 'src=red&mask=is{srcs/gone}', 'color=00ff0080&size=20,20'),
    );
    const request = fc.tuple(
      fc.constantFrom('srcs/white', 'srcs/badge', 'srcs1/white', 'wmk/white', 'srcs'),
      fc.constantFrom('', 'template=tplA&', 'template=tplT&$txt=Hi&', 'template=nope&'),
      fc.array(layer, { maxLength: 3 }),
      fc.constantFrom('', '&wid=50', '&fmt=png-alpha', '&req=props', '&req=validate'),
    ).map(([path, tpl, layers, tail]) => `/is/image/${path}?${tpl}${layers.map((l, i) => `layer=${i + 1}&${l}`).join('&')}${tail}`);

    // 200 stacks (seed 2026): 115 answer 200 and 85 a 403 usage or not-found error.
    it('never answer 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(request, async (url) => {
          const r = await server.get(url);
          expect({ url, status: r.status < 500 ? 'ok' : r.status }).toEqual({ url, status: 'ok' });
        }),
        { numRuns: 200, seed: 2026 },
      );
    });
  });
});

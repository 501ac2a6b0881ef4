import { TextLayerError } from './rtf-subset';
import { parseTextAttr, DEFAULT_TEXT_ATTR, type TextLayerSpec } from './text-layer-spec';
import { TextRasterRepository, type TextRaster } from './text-raster.repository';

const sut = new TextRasterRepository();
const spec = (over: Partial<TextLayerSpec>): TextLayerSpec => ({ text: 'x', box: { w: 0, h: 0 }, ...DEFAULT_TEXT_ATTR, ...over });

const alphaAt = (r: TextRaster, x: number, y: number) => r.data[(y * r.width + x) * 4 + 3] ?? -1;
/** Pixels with some ink (alpha > 0) and their colour sums, in a rectangle. */
function ink(r: TextRaster, x0 = 0, y0 = 0, x1 = r.width, y1 = r.height) {
  let n = 0;
  const sum = [0, 0, 0];
  const alphas = new Set<number>();
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * r.width + x) * 4;
      const a = r.data[i + 3] ?? 0;
      alphas.add(a);
      if (a > 200) {
        n++;
        for (let c = 0; c < 3; c++) {
          sum[c] = (sum[c] ?? 0) + (r.data[i + c] ?? 0);
        }
      }
    }
  }
  return { n, mean: sum.map((s) => (n === 0 ? 0 : Math.round(s / n))), alphas };
}

/** Rows between the first and last one with ink. */
function inkHeight(r: TextRaster): number {
  const rows: number[] = [];
  for (let y = 0; y < r.height; y++) {
    if (ink(r, 0, y, r.width, y + 1).n > 0) {
      rows.push(y);
    }
  }
  return rows.length === 0 ? 0 : (rows[rows.length - 1] ?? 0) - (rows[0] ?? 0) + 1;
}

describe('TextRasterRepository (text layers, §3.5)', () => {
  it('draws the text in its RTF colour inside a size= box, transparent elsewhere', async () => {
    const rtf = '{\\rtf1{\\colortbl;\\red255\\green0\\blue0;}\\vertalc\\qc\\fs48\\cf1 HH}';
    const r = await sut.draw(spec({ text: rtf, box: { w: 120, h: 80 } }));
    expect([r.width, r.height, r.channels]).toEqual([120, 80, 4]);
    const centre = ink(r, 30, 20, 90, 60);
    expect(centre.n).toBeGreaterThan(40);
    expect(centre.mean[0]).toBeGreaterThan(230);
    expect(centre.mean[1]).toBeLessThan(30);
    // centred: the corners and edges of the box stay fully transparent
    for (const [x, y] of [[1, 1], [118, 1], [1, 78], [118, 78], [60, 2], [60, 77]] as const) {
      expect(alphaAt(r, x, y)).toBe(0);
    }
  });

  it('sizes the box to the text when size= is not given, and grows the height for size=w,0', async () => {
    const auto = await sut.draw(spec({ text: 'Hello world' }));
    expect(auto.width).toBeGreaterThan(40);
    expect(auto.height).toBeGreaterThan(8);
    expect(auto.height).toBeLessThan(40);
    const wrapped = await sut.draw(spec({ text: 'Hello world '.repeat(6), box: { w: 60, h: 0 } }));
    expect(wrapped.width).toBe(60);
    expect(wrapped.height).toBeGreaterThan(auto.height * 3);
  });

  it('scales with textAttr res: 144 dpi draws twice the size of 72', async () => {
    const at72 = await sut.draw(spec({ text: 'Hello' }));
    const at144 = await sut.draw(spec({ text: 'Hello', res: 144 }));
    expect(at144.height / at72.height).toBeCloseTo(2, 0);
    expect(at144.width / at72.width).toBeGreaterThan(1.7);
  });

  it('autoRes fills the box, maxRes only shrinks text that would be cut', async () => {
    const box = { w: 200, h: 60 };
    const fixed = await sut.draw(spec({ text: 'Big', box }));
    const auto = await sut.draw(spec({ text: 'Big', box, resMode: 'autoRes' }));
    expect(ink(auto).n).toBeGreaterThan(ink(fixed).n * 4);
    const word = { text: 'ABCDEFGHIJKLMNOP', box: { w: 60, h: 30 }, wrap: 'noWrap' as const };
    const cut = await sut.draw(spec(word));
    const shrunk = await sut.draw(spec({ ...word, resMode: 'maxRes' }));
    // cut: the glyphs keep their size and run into the right edge; shrunk: smaller glyphs that end inside the box
    expect(ink(cut, 58, 0, 60, 30).n).toBeGreaterThan(0);
    expect(inkHeight(shrunk)).toBeLessThan(inkHeight(cut) * 0.8);
    const small = await sut.draw(spec({ text: 'Big', box, resMode: 'maxRes' }));
    expect(ink(small).n).toBe(ink(fixed).n);
  });

  it('antiAliasing off leaves only fully opaque or fully transparent pixels', async () => {
    const r = await sut.draw(spec({ text: 'Smooth', antiAliasing: 'off', res: 144 }));
    expect([...ink(r).alphas].sort((a, b) => a - b)).toEqual([0, 255]);
    const aa = await sut.draw(spec({ text: 'Smooth', res: 144 }));
    expect(ink(aa).alphas.size).toBeGreaterThan(2);
  });

  it('refuses boxes outside the limits', async () => {
    await expect(sut.draw(spec({ box: { w: 5000, h: 10 } }))).rejects.toThrow(TextLayerError);
    await expect(sut.draw(spec({ text: 'x'.repeat(200), res: 2400 }))).rejects.toThrow(TextLayerError);
  });
});

describe('parseTextAttr', () => {
  it('reads res, anti-aliasing, resMode and wrap, keeping defaults for empty parts', () => {
    expect(parseTextAttr('144')).toEqual({ res: 144, antiAliasing: 'norm', resMode: 'fixedRes', wrap: 'wrap' });
    expect(parseTextAttr(',OFF,autoRes,nbWrap')).toEqual({ res: 72, antiAliasing: 'off', resMode: 'autoRes', wrap: 'nbWrap' });
    expect(parseTextAttr('72,crisp,,noWrap')).toMatchObject({ antiAliasing: 'norm', wrap: 'noWrap' });
  });

  it('refuses bad values with a usage error naming textAttr', () => {
    for (const bad of ['0', 'abc', '72,blurry', '72,norm,bigRes', '72,norm,fixedRes,fold', '1,2,3,4,5', '99999']) {
      expect(() => parseTextAttr(bad)).toThrow(expect.objectContaining({ code: 'IMG_INVALID_COMMAND_VALUE', command: 'textAttr', value: bad }));
    }
  });
});

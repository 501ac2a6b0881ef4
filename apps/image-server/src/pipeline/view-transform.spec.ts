import { ImageServingError } from '@openexp/errors';
import { planView, type ViewCommands, type ViewLimits } from './view-transform';

const limits: ViewLimits = { defaultPix: { w: 400, h: 400 }, maxPix: { w: 2000, h: 2000 }, maxReplyPixels: 16_000_000 };
/** The §10 fixture img1: 1000×800. */
const plan = (v: ViewCommands, l: ViewLimits = limits) => planView(1000, 800, v, l);
const size = (v: ViewCommands) => {
  const p = plan(v);
  return [p.width, p.height];
};

describe('planView (image-serving.md §3.1)', () => {
  it('scales down to DefaultPix when no wid/hei/scl is given (row 1)', () => {
    expect(size({})).toEqual([400, 320]);
  });

  it('leaves an axis of DefaultPix at 0 unconstrained and never upscales to DefaultPix', () => {
    expect(planView(1000, 800, {}, { ...limits, defaultPix: { w: 0, h: 200 } })).toMatchObject({ width: 250, height: 200 });
    expect(planView(100, 80, {}, limits)).toMatchObject({ width: 100, height: 80 });
    expect(planView(1000, 800, {}, { ...limits, defaultPix: { w: 0, h: 0 } })).toMatchObject({ width: 1000, height: 800 });
  });

  it('derives the other dimension from the aspect for wid only / hei only (rows 2, 3, 57)', () => {
    expect(size({ wid: 200 })).toEqual([200, 160]);
    expect(size({ hei: 200 })).toEqual([250, 200]);
    expect(planView(600, 400, { wid: 100 }, limits)).toMatchObject({ width: 100, height: 67 });
  });

  it('fits inside wid×hei and centres by default (row 4)', () => {
    const p = plan({ wid: 200, hei: 200 });
    expect(p).toMatchObject({ width: 200, height: 200, resize: { w: 200, h: 160 }, pad: { top: 20, bottom: 20, left: 0, right: 0 } });
  });

  it('places the image with align (row 5)', () => {
    expect(plan({ wid: 200, hei: 200, align: { h: -1, v: -1 } }).pad).toEqual({ top: 0, bottom: 40, left: 0, right: 0 });
    expect(plan({ wid: 200, hei: 200, align: { h: 1, v: 1 } }).pad).toEqual({ top: 40, bottom: 0, left: 0, right: 0 });
  });

  it.each([
    ['constrain', false, 200, 160],
    ['crop', false, 200, 200],
    ['stretch', false, 200, 200],
    ['wrap', false, 250, 200],
    ['hfit', false, 200, 200],
    ['vfit', false, 200, 200],
  ] as const)('fit=%s gives the documented size (rows 7-11)', (mode, upscale, w, h) => {
    expect(size({ wid: 200, hei: 200, fit: { mode, upscale } })).toEqual([w, h]);
  });

  it('fit=crop scales to cover then crops the sides, centred (row 8)', () => {
    const p = plan({ wid: 200, hei: 200, fit: { mode: 'crop', upscale: false } });
    expect(p.resize).toEqual({ w: 250, h: 200 });
    expect(p.extract).toEqual({ x: 25, y: 0, w: 200, h: 200 });
  });

  it('fit=stretch scales each axis on its own', () => {
    expect(plan({ wid: 200, hei: 200, fit: { mode: 'stretch', upscale: false } }).resize).toEqual({ w: 200, h: 200 });
  });

  it('limits the scale to 1:1 unless the upscale flag is set (row 10)', () => {
    const no = plan({ wid: 1200, hei: 1200, fit: { mode: 'fit', upscale: false } });
    expect(no).toMatchObject({ width: 1200, height: 1200, resize: { w: 1000, h: 800 }, pad: { left: 100, right: 100, top: 200, bottom: 200 } });
    const yes = plan({ wid: 1200, hei: 1200, fit: { mode: 'fit', upscale: true } });
    expect(yes).toMatchObject({ width: 1200, height: 1200, resize: { w: 1200, h: 960 }, pad: { top: 120, bottom: 120 } });
  });

  it('scales by 1/scl and bypasses DefaultPix (rows 12, 13)', () => {
    expect(size({ scl: 2 })).toEqual([500, 400]);
    expect(size({ scl: 1 })).toEqual([1000, 800]);
  });

  it('crops to wid×hei around the centre with scl (row 14)', () => {
    const p = plan({ scl: 1, wid: 300, hei: 300 });
    expect(p).toMatchObject({ width: 300, height: 300, extract: { x: 350, y: 250, w: 300, h: 300 } });
  });

  it('refuses replies larger than MaxPix (rows 15, 16)', () => {
    expect(() => plan({ wid: 2001 })).toThrow(ImageServingError);
    expect(() => plan({ scl: 0.4 })).toThrow(expect.objectContaining({ code: 'IMG_TOO_LARGE' }));
    expect(() => planView(1000, 800, { scl: 0.4 }, { ...limits, maxPix: { w: 0, h: 0 } })).not.toThrow();
  });

  it('caps the reply, not the view image, at IS::MaxRenderRgnPixels: a zoom tile of a large view is served', () => {
    const small = { ...limits, maxReplyPixels: 40_000 };
    // 10000×8000 view (80 Mpx), 200×200 tile in its middle: the tile is the reply.
    expect(plan({ scl: 0.1, rect: { rect: { x: 5000, y: 4000, w: 200, h: 200 }, scale: 1 } }, small)).toMatchObject({
      width: 200, height: 200, source: { x: 0, y: 0, w: 1000, h: 800 }, resize: { w: 10000, h: 8000 }, extract: { x: 5000, y: 4000, w: 200, h: 200 },
    });
    expect(() => plan({ wid: 201, hei: 200 }, small)).toThrow(expect.objectContaining({ code: 'IMG_TOO_LARGE' }));
    expect(() => plan({ scl: 0.1, rect: { rect: { x: 0, y: 0, w: 201, h: 200 }, scale: 1 } }, small)).toThrow(expect.objectContaining({ code: 'IMG_TOO_LARGE' }));
    expect(plan({ wid: 200, hei: 200 }, small)).toMatchObject({ width: 200, height: 200 });
  });

  it('refuses a view image with a side beyond what libvips can address, however small the tile', () => {
    const tile = { x: 0, y: 0, w: 10, h: 10 };
    expect(() => plan({ scl: 5e-5, rect: { rect: tile, scale: 1 } })).toThrow(expect.objectContaining({ code: 'IMG_TOO_LARGE' }));
    expect(() => plan({ scl: 0.1, rect: { rect: tile, scale: 1e4 } })).toThrow(expect.objectContaining({ code: 'IMG_TOO_LARGE' }));
    expect(plan({ scl: 1e-3, rect: { rect: tile, scale: 1 } }).resize).toEqual({ w: 1_000_000, h: 800_000 });
  });

  it('takes a tile of the view image with rect and pads outside it (row 17)', () => {
    expect(plan({ scl: 1, rect: { rect: { x: 0, y: 0, w: 500, h: 400 }, scale: 1 } })).toMatchObject({
      width: 500, height: 400, extract: { x: 0, y: 0, w: 500, h: 400 },
    });
    const edge = plan({ scl: 1, rect: { rect: { x: 900, y: 700, w: 200, h: 200 }, scale: 1 } });
    expect(edge).toMatchObject({ width: 200, height: 200, extract: { x: 900, y: 700, w: 100, h: 100 }, pad: { left: 0, top: 0, right: 100, bottom: 100 } });
  });

  it('treats rgn as the composite and pads outside the source', () => {
    const p = plan({ rgn: { x: 900, y: 700, w: 200, h: 200 } });
    expect(p).toMatchObject({ width: 200, height: 200, source: { x: 900, y: 700, w: 100, h: 100 }, pad: { right: 100, bottom: 100 } });
  });

  it('pads everything when the tile misses the image', () => {
    const p = plan({ scl: 1, rect: { rect: { x: 5000, y: 0, w: 10, h: 10 }, scale: 1 } });
    expect(p.source).toBeUndefined();
    expect([p.width, p.height]).toEqual([10, 10]);
  });

  it('makes thumbnails per ThumbType inside DefaultThumbPix (row 61)', () => {
    const thumb = { box: { w: 100, h: 100 }, type: 2 as const, align: { h: 2 as const, v: 2 as const } };
    expect(planView(1000, 800, {}, limits, thumb)).toMatchObject({ width: 100, height: 100, resize: { w: 100, h: 80 }, pad: { top: 10, bottom: 10 } });
    expect(planView(1000, 800, {}, limits, { ...thumb, type: 1 })).toMatchObject({ width: 100, height: 100, resize: { w: 125, h: 100 }, extract: { x: 12 } });
    expect(planView(1000, 800, {}, limits, { ...thumb, type: 2, align: { h: 1, v: 1 } }).pad).toEqual({ top: 0, bottom: 20, left: 0, right: 0 });
    expect(planView(1000, 800, { wid: 50, hei: 50 }, limits, thumb)).toMatchObject({ width: 50, height: 50 });
  });
});

import { ImageServingError } from '@openexp/errors';
import { buildRenderSpec } from '../commands/build-render-spec';
import type { RenderDefaults } from '../commands/render-spec';
import { blurSigma, BLUR_WORK_LIMIT, BUDGET_FACTOR, BUDGET_FLOOR_PIXELS, checkPixelBudget, pixelBudget, type BudgetLimits, type RenderInput } from './pixel-budget';
import type { RenderJob } from './render-types';

const white = { r: 255, g: 255, b: 255, alpha: 255 };
const defaults: RenderDefaults = {
  bkgColor: white,
  jpegQuality: { quality: 80, chroma: false },
  resMode: 'bicub',
  defaultPix: { w: 400, h: 400 },
  defaultThumbPix: { w: 100, h: 100 },
  maxPix: { w: 0, h: 0 },
  thumbType: 2,
  thumbBkgColor: white,
  thumbAlign: { h: 2, v: 2 },
};
const limits: BudgetLimits = { maxInputPixels: 100_000_000, maxReplyPixels: 16_000_000 };
/** The sample photo of the finding (samples/images/dune.jpg). */
const dune: RenderInput = { kind: 'source', width: 1024, height: 640 };

function job(query: string, thumbnail = false, d: RenderDefaults = defaults): RenderJob {
  const commands = query.split('&').map((pair) => {
    const [name = '', value = ''] = pair.split('=');
    return { name: name.toLowerCase(), value };
  });
  return { spec: buildRenderSpec(commands, { thumbnail }), defaults: d, thumbnail };
}

function refusal(query: string, input: RenderInput = dune, l: BudgetLimits = limits, d: RenderDefaults = defaults): ImageServingError {
  try {
    checkPixelBudget(job(query, false, d), input, l);
  } catch (error) {
    if (error instanceof ImageServingError) {
      return error;
    }
    throw error;
  }
  throw new Error(`${query} was not refused`);
}

describe('pixelBudget', () => {
  it('is 4 × the larger of source and reply pixels, at least 4 Mpx, at most IS_MAX_INPUT_PIXELS', () => {
    expect(pixelBudget(1_000, 10_000, limits)).toBe(BUDGET_FLOOR_PIXELS);
    expect(pixelBudget(3_000_000, 10_000, limits)).toBe(BUDGET_FACTOR * 3_000_000);
    expect(pixelBudget(10_000, 5_000_000, limits)).toBe(BUDGET_FACTOR * 5_000_000);
    expect(pixelBudget(60_000_000, 0, limits)).toBe(100_000_000);
    expect(pixelBudget(0, 0, { ...limits, maxInputPixels: 1_000_000 })).toBe(1_000_000);
  });
});

describe('checkPixelBudget: the size of every image of a render, before sharp runs', () => {
  it('follows the layer through crop, size, rotate and extend, to the pixel', () => {
    const stages = checkPixelBudget(job('crop=0,0,512,320&scale=2&rotate=90&extend=10,20,30,40&wid=100'), dune, limits);
    expect(stages.images.map((i) => [i.stage, i.command, i.width, i.height])).toEqual([
      ['layer', 'scale', 1024, 640],
      ['rotate', 'rotate', 640, 1024],
      ['extend', 'extend', 680, 1084],
    ]);
    expect(stages.composite).toEqual({ width: 680, height: 1084 });
    expect([stages.view.width, stages.view.height]).toEqual([100, 159]);
    expect(stages.sourcePixels).toBe(1024 * 640);
  });

  it('names the command of a layer that is the source as it is (no crop, size or scale)', () => {
    expect(checkPixelBudget(job('rotate=90&wid=100'), dune, limits).images.map((i) => [i.stage, i.command, i.value])).toEqual([
      ['layer', 'rotate', '90'],
      ['rotate', 'rotate', '90'],
    ]);
    expect(checkPixelBudget(job('bgColor=ff0000&wid=100'), dune, limits).images[0]).toMatchObject({ command: 'bgcolor', value: 'FF0000' });
  });

  it('grows the canvas of a rotation that is not a multiple of 90° as libvips does', () => {
    const [, rotated] = checkPixelBudget(job('size=100,0&rotate=45&wid=50'), dune, limits).images;
    // 100×63 turned 45°: (100 + 63) × cos 45° = 115.26 on both sides.
    expect([rotated?.width, rotated?.height]).toEqual([115, 115]);
  });

  it('holds nothing when the view reads the source itself (no layer commands, or a crop inside the source alone)', () => {
    expect(checkPixelBudget(job('wid=100'), dune, limits).images).toEqual([]);
    const window = checkPixelBudget(job('crop=10,10,200,100&wid=100'), dune, limits);
    expect(window.images).toEqual([]);
    expect(window.composite).toEqual({ width: 200, height: 100 });
  });

  it('refuses the finding, size=50000,50000&wid=100, naming size=', () => {
    const e = refusal('size=50000,50000&wid=100');
    expect(e).toMatchObject({ code: 'IMG_TOO_LARGE', command: 'size', value: '50000,50000' });
    expect(e.detail).toContain('50000x31250');
    expect(e.errorClass).toBe(2);
  });

  it('refuses a layer over 4 × its own pixels even when it is under IS_MAX_INPUT_PIXELS', () => {
    // 4000×2500 = 10 Mpx for a 100×63 reply of a 0.66 Mpx source: over the 4 Mpx floor.
    expect(refusal('size=4000,4000&wid=100')).toMatchObject({ code: 'IMG_TOO_LARGE', command: 'size' });
    // The same layer for a 2000×1250 reply (2.5 Mpx, budget 10 Mpx) is that reply's own size class.
    expect(checkPixelBudget(job('size=4000,4000&wid=2000'), dune, limits).budget).toBe(10_000_000);
  });

  it.each([
    ['scale=100&wid=100', 'scale', '100'],
    ['crop=0,0,60000,1&rotate=45&wid=100', 'rotate', '45'],
    ['extend=5000,5000,5000,5000&wid=100', 'extend', '5000,5000,5000,5000'],
    ['extend=-65535,0,65535,0&rotate=30&size=2000,0&wid=10', 'extend', '-65535,0,65535,0'],
    ['crop=0,0,9007199254740991,9007199254740991&wid=10', 'crop', '0,0,9007199254740991,9007199254740991'],
    ['cropN=0,0,100,100&wid=100', 'cropn', '0,0,100,100'],
    // NaN: (1e308 + 1e308) × 1024 − 1e308 × 1024 is Infinity − Infinity.
    ['cropN=1e308,0,1e308,1', 'cropn', '1e+308,0,1e+308,1'],
  ])('%s is refused before any allocation, naming %s', (query, command, value) => {
    expect(refusal(query)).toMatchObject({ code: 'IMG_TOO_LARGE', command, value });
  });

  it('bounds a template canvas (size= of a record without an image) by the same budget', () => {
    const canvas = (w: number, h: number): RenderInput => ({ kind: 'canvas', width: w, height: h });
    expect(checkPixelBudget(job('bgc=ff0000'), canvas(200, 200), limits).images).toHaveLength(1);
    expect(refusal('wid=100', canvas(65535, 65535))).toMatchObject({ code: 'IMG_TOO_LARGE', command: 'size', value: '65535,65535' });
    expect(refusal('wid=100', canvas(5000, 5000))).toMatchObject({ code: 'IMG_TOO_LARGE', command: 'size' });
    expect(checkPixelBudget(job('wid=3000'), canvas(5000, 5000), limits).budget).toBe(36_000_000);
  });

  it('never lets an intermediate image exceed IS_MAX_INPUT_PIXELS, whatever the reply', () => {
    const small = { ...limits, maxInputPixels: 1_000_000 };
    expect(refusal('rotate=45&wid=2000', dune, small)).toMatchObject({ code: 'IMG_TOO_LARGE', command: 'rotate' });
    expect(checkPixelBudget(job('rotate=90&wid=2000'), dune, small).images).toHaveLength(2);
  });

  it('leaves replies over MaxPix or IS_MAX_RENDER_PIXELS to the view plan (same code)', () => {
    expect(refusal('wid=5000&hei=5000', dune)).toMatchObject({ code: 'IMG_TOO_LARGE' });
  });
});

describe('replies refused as too large name the command that sized them', () => {
  const smallReplies = { ...limits, maxReplyPixels: 1_000_000 };
  // A catalog with MaxPix=0,0 and DefaultPix=0,0: a request without view commands gets the composite's size.
  const unlimited = { ...defaults, defaultPix: { w: 0, h: 0 } };
  it.each([
    ['wid=2000&hei=1000', 'wid', '2000'],
    ['wid=100&hei=20000', 'hei', '20000'],
    ['scl=0.5', 'scl', '0.5'],
    ['scl=0.01&rect=0,0,2000,2000', 'rect', '0,0,2000,2000'],
    ['rgn=0,0,50000,50000', 'rgn', '0,0,50000,50000'],
    // No view command: the rotated layer made the reply (1273×1273 of a 1000×800 source) that large.
    ['rotate=45', 'rotate', '45'],
  ])('%s names %s', (query, command, value) => {
    expect(refusal(query, { kind: 'source', width: 1000, height: 800 }, smallReplies, unlimited)).toMatchObject({ code: 'IMG_TOO_LARGE', command, value });
  });
});

describe('blurSigma: op_blur= in view pixels, its work bounded by the reply', () => {
  it('is radius × view scale / 2, at least 0.3', () => {
    expect(blurSigma(10, 1, 1_000_000)).toBe(5);
    expect(blurSigma(10, 0.25, 1_000_000)).toBe(1.25);
    expect(blurSigma(0.1, 0.1, 1_000_000)).toBe(0.3);
  });

  it('never does more than BLUR_WORK_LIMIT pixel × sigma, nor exceeds 1000', () => {
    // op_blur=100 at scl=0.001: sigma 50,000 asked.
    expect(blurSigma(100, 1000, 4_000_000)).toBe(25);
    expect(blurSigma(100, 1000, 1_000_000)).toBe(100);
    expect(blurSigma(100, 1000, 10_000)).toBe(1000);
    for (const pixels of [1, 640 * 480, 2000 * 2000, 16_000_000]) {
      expect(blurSigma(100, 1e6, pixels) * pixels).toBeLessThanOrEqual(Math.max(BLUR_WORK_LIMIT, 0.3 * pixels));
    }
  });
});

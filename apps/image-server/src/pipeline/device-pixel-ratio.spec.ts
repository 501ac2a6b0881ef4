import { ImageServingError } from '@openexp/errors';
import { buildRenderSpec } from '../commands/build-render-spec';
import type { RenderDefaults } from '../commands/render-spec';
import { planViewAtDpr } from './device-pixel-ratio';
import { checkPixelBudget, planJobView, type BudgetLimits } from './pixel-budget';
import type { RenderJob } from './render-types';
import type { ViewLimits } from './view-transform';

const white = { r: 255, g: 255, b: 255, alpha: 255 };
const defaults: RenderDefaults = {
  bkgColor: white,
  jpegQuality: { quality: 80, chroma: false },
  resMode: 'bicub',
  defaultPix: { w: 400, h: 400 },
  defaultThumbPix: { w: 100, h: 100 },
  maxPix: { w: 2000, h: 2000 },
  thumbType: 2,
  thumbBkgColor: white,
  thumbAlign: { h: 2, v: 2 },
};
const limits: ViewLimits = { defaultPix: { w: 400, h: 400 }, maxPix: { w: 2000, h: 2000 }, maxReplyPixels: 16_000_000 };

function job(query: string, d: Partial<RenderDefaults> = {}, thumbnail = false): RenderJob {
  const commands = query.split('&').map((pair) => {
    const [name = '', value = ''] = pair.split('=');
    return { name: name.toLowerCase(), value };
  });
  return { spec: buildRenderSpec(commands, { thumbnail }), defaults: { ...defaults, ...d }, thumbnail };
}

/** Reply size of `query` on a composite of `w`×`h` (the sample photos are 1024×640 … 4000×2500). */
const reply = (query: string, w = 4000, h = 2500, d: Partial<RenderDefaults> = {}, maxReplyPixels = 16_000_000, thumbnail = false) => {
  const p = planJobView(w, h, job(query, d, thumbnail), maxReplyPixels);
  return [p.width, p.height];
};

describe('dpr= (image-serving.md §3.5, CMD/r-dpr.md)', () => {
  it("multiplies the requested size (Adobe's table: 816x500 at 1, 2, 3)", () => {
    expect(reply('wid=816&hei=500&dpr=on,1', 4000, 2500, { maxPix: { w: 0, h: 0 } })).toEqual([816, 500]);
    expect(reply('wid=816&hei=500&dpr=on,2', 4000, 2500, { maxPix: { w: 0, h: 0 } })).toEqual([1632, 1000]);
    expect(reply('wid=816&hei=500&dpr=3', 4000, 2500, { maxPix: { w: 0, h: 0 } })).toEqual([2448, 1500]);
  });

  it('multiplies wid alone, hei alone, divides scl=, and scales the rect= tile', () => {
    expect(reply('wid=600&dpr=2')).toEqual([1200, 750]);
    expect(reply('hei=300&dpr=1.5')).toEqual([720, 450]);
    expect(reply('scl=10&dpr=2')).toEqual([800, 500]);
    expect(reply('wid=1000&rect=0,0,200,100&dpr=2')).toEqual([400, 200]);
  });

  it('shrinks with a ratio below 1', () => {
    expect(reply('wid=600&dpr=0.5')).toEqual([300, 188]);
  });

  it('scales the DefaultPix box when no size is given, never beyond the composite', () => {
    expect(reply('dpr=2')).toEqual([800, 500]);
    expect(reply('dpr=2', 500, 300)).toEqual([500, 300]);
  });

  it('scales the thumbnail box for req=tmb', () => {
    expect(reply('dpr=2', 4000, 2500, {}, 16_000_000, true)).toEqual([200, 200]);
  });

  it('is clamped to MaxPix keeping the aspect instead of failing (Adobe: 816x500 at 4 with MaxPix 2000)', () => {
    expect(reply('wid=816&hei=500&dpr=4')).toEqual([2000, 1225]);
    expect(reply('wid=600&dpr=10')).toEqual([2000, 1250]);
    expect(reply('hei=600&dpr=10', 4000, 2500, { maxPix: { w: 3000, h: 1000 } })).toEqual([1600, 1000]);
    // Every ratio of a sweep meets MaxPix on both axes.
    for (let r = 1; r <= 8; r += 0.37) {
      const [w = 0, h = 0] = reply(`wid=777&dpr=${r.toFixed(2)}`, 3001, 1999);
      expect(w <= 2000 && h <= 2000).toBe(true);
    }
  });

  it('is clamped to IS_MAX_RENDER_PIXELS keeping the aspect', () => {
    const [w = 0, h = 0] = reply('wid=1000&hei=1000&dpr=5', 4000, 2500, { maxPix: { w: 0, h: 0 } }, 4_000_000);
    expect([w, h]).toEqual([2000, 2000]);
    const [w2 = 0, h2 = 0] = reply('wid=999&dpr=3', 4000, 2500, { maxPix: { w: 0, h: 0 } }, 1_000_000);
    expect(w2 * h2).toBeLessThanOrEqual(1_000_000);
    expect(w2 / h2).toBeCloseTo(1.6, 1);
  });

  it('leaves a request that is too large without dpr= an error', () => {
    expect(() => reply('wid=3000&dpr=2')).toThrow(ImageServingError);
  });

  it('gives the pixel budget the multiplied reply (a 4x reply buys a 4x larger layer)', () => {
    const budgetLimits: BudgetLimits = { maxInputPixels: 100_000_000, maxReplyPixels: 16_000_000 };
    const d = { maxPix: { w: 0, h: 0 } };
    const src = { kind: 'source' as const, width: 1024, height: 640 };
    expect(() => checkPixelBudget(job('size=4000,2500&wid=1000', d), src, budgetLimits)).toThrow(/pixel budget/);
    expect(checkPixelBudget(job('size=4000,2500&wid=1000&dpr=2', d), src, budgetLimits).view).toMatchObject({ width: 2000, height: 1250 });
  });

  it('keeps the plan of ratio 1 when dpr=on has no ratio (no hint)', () => {
    expect(reply('wid=600&dpr=on')).toEqual([600, 375]);
    expect(reply('wid=600&dpr=off')).toEqual([600, 375]);
    expect(planViewAtDpr(4000, 2500, { wid: 600 }, limits, 1)).toMatchObject({ width: 600, height: 375 });
  });
});

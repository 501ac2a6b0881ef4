import type { RenderSpec } from '../commands/render-spec';
import { detailUsed, firstReduction } from './level-policy';

const source = { width: 2560, height: 1600 };

describe('level policy: where a derivation starts', () => {
  it('a view of the whole image used its reply size in source pixels; fit=crop the larger side', () => {
    expect(detailUsed({ wid: 320 } as RenderSpec, source, { width: 320, height: 200 })).toBe(0.125);
    expect(detailUsed({ wid: 300, hei: 300, fit: { mode: 'crop', upscale: false } } as RenderSpec, source, { width: 300, height: 300 })).toBe(0.1875);
    expect(detailUsed({} as RenderSpec, source, { width: 4000, height: 2500 })).toBe(1);
  });

  it.each([['rgn', { rgn: { x: 0, y: 0, w: 100, h: 100 } }], ['rect', { rect: { rect: { x: 0, y: 0, w: 256, h: 256 }, scale: 1 } }], ['scl', { scl: 4 }], ['crop', { crop: { rect: { x: 0, y: 0, w: 10, h: 10 }, normalized: false } }], ['rotate', { rotate: 90 }]])(
    'a render with %s may need any level',
    (_, spec) => {
      expect(detailUsed({ wid: 100, ...spec } as RenderSpec, source, { width: 100, height: 62 })).toBe(1);
    },
  );

  it('the first level is the smallest of 1/2, 1/4, 1/8 that holds the detail', () => {
    expect([1, 0.51, 0.5, 0.26, 0.25, 0.13, 0.125, 0.01].map(firstReduction)).toEqual([2, 2, 2, 2, 4, 4, 8, 8]);
  });
});

import { chooseLevel, pyramidLevels, type PyramidLevel } from './pyramid';

const size = (width: number, height: number) => ({ width, height });

describe('pyramidLevels', () => {
  it('takes pages that halve the one before as levels, rounding either way', () => {
    expect(pyramidLevels([size(1001, 801), size(500, 400), size(251, 201), size(125, 100)])).toEqual([
      { page: 0, width: 1001, height: 801 },
      { page: 1, width: 500, height: 400 },
      { page: 2, width: 251, height: 201 },
      { page: 3, width: 125, height: 100 },
    ]);
  });

  it('stops at the first page that does not halve (a thumbnail or unrelated page after the pyramid)', () => {
    expect(pyramidLevels([size(1000, 800), size(500, 400), size(160, 120), size(80, 60)])?.map((l) => l.page)).toEqual([0, 1]);
  });

  it('is not a pyramid: one page, equal pages (a multi-page document), or a page that changes the aspect', () => {
    expect(pyramidLevels([size(1000, 800)])).toBeUndefined();
    expect(pyramidLevels([size(1000, 800), size(1000, 800)])).toBeUndefined();
    expect(pyramidLevels([size(1000, 800), size(500, 800)])).toBeUndefined();
    expect(pyramidLevels([])).toBeUndefined();
  });
});

describe('chooseLevel', () => {
  const levels: PyramidLevel[] = [
    { page: 0, width: 1000, height: 800 },
    { page: 1, width: 500, height: 400 },
    { page: 2, width: 250, height: 200 },
    { page: 3, width: 125, height: 100 },
  ];
  const whole = { x: 0, y: 0, w: 1000, h: 800 };

  it('reads the smallest level at least as large as the reply', () => {
    expect(chooseLevel(levels, whole, { w: 300, h: 240 })).toEqual({ level: levels[1], rect: { x: 0, y: 0, w: 500, h: 400 } });
    expect(chooseLevel(levels, whole, { w: 250, h: 200 })).toEqual({ level: levels[2], rect: { x: 0, y: 0, w: 250, h: 200 } });
    expect(chooseLevel(levels, whole, { w: 40, h: 32 }).level).toBe(levels[3]);
  });

  it('reads level 0 when the reply needs full resolution or more (never upsamples a reduced level)', () => {
    expect(chooseLevel(levels, whole, { w: 501, h: 400 })).toEqual({ level: levels[0], rect: whole });
    expect(chooseLevel(levels, whole, { w: 2000, h: 1600 }).level).toBe(levels[0]);
  });

  it('needs the detail on both axes (fit=stretch resizes them independently)', () => {
    expect(chooseLevel(levels, whole, { w: 100, h: 300 }).level).toBe(levels[1]);
  });

  it('scales a source rectangle (rgn=, rect=) to the level it reads', () => {
    // A 256×256 zoom tile of the full-resolution image at its natural size needs level 0 …
    expect(chooseLevel(levels, { x: 256, y: 256, w: 256, h: 256 }, { w: 256, h: 256 })).toEqual({ level: levels[0], rect: { x: 256, y: 256, w: 256, h: 256 } });
    // … the same area shown at 64×64 reads 64×64 pixels of level 2.
    expect(chooseLevel(levels, { x: 256, y: 256, w: 256, h: 256 }, { w: 64, h: 64 })).toEqual({ level: levels[2], rect: { x: 64, y: 64, w: 64, h: 64 } });
  });

  it('rounds a rectangle that falls between level pixels to whole pixels inside the level', () => {
    const { level, rect } = chooseLevel(levels, { x: 3, y: 5, w: 997, h: 795 }, { w: 200, h: 160 });
    expect(level).toBe(levels[2]);
    expect(rect).toEqual({ x: 1, y: 1, w: 249, h: 199 });
  });
});

import type { Rect } from '../commands/render-spec';

/**
 * Pyramid TIFF sources (image-serving.md §7, "Performance claims: pyramid TIFF sources").
 *
 * Image Serving is fast on large images because its sources are pyramid TIFFs: the full image
 * plus copies at 1/2, 1/4 … of its size, so a request reads the smallest copy that still has the
 * detail the reply needs instead of decoding the full image. libvips writes such files
 * (`vips tiffsave --tile --pyramid`, sharp `.tiff({ tile: true, pyramid: true })`) as one TIFF
 * page per level. A multi-page TIFF is taken as a pyramid when each page is half the size of the
 * page before it (±1 pixel for odd sizes); any other multi-page TIFF is read as its first page.
 */

/** One resolution level: TIFF page `page`, `width`×`height` pixels. Level 0 is the full image. */
export interface PyramidLevel {
  page: number;
  width: number;
  height: number;
  /** The file holding the level, when it is not the source itself (derived levels, see `LevelCacheService`). */
  file?: string;
}

/**
 * The pyramid levels among `pages` (page sizes in file order, page 0 first): page 0 and each
 * following page that halves the one before it, up to the first page that does not.
 * @returns the levels, largest first; `undefined` when there are fewer than two (not a pyramid).
 */
export function pyramidLevels(pages: readonly { width: number; height: number }[]): PyramidLevel[] | undefined {
  const first = pages[0];
  if (first === undefined) {
    return undefined;
  }
  const levels: PyramidLevel[] = [{ page: 0, ...first }];
  for (let page = 1; page < pages.length; page++) {
    const prev = levels[levels.length - 1] as PyramidLevel;
    const cur = pages[page] as { width: number; height: number };
    if (!isNextLevel(prev, cur)) {
      break;
    }
    levels.push({ page, ...cur });
  }
  return levels.length > 1 ? levels : undefined;
}

/** True when `next` is half of `prev` on both axes, rounded either way (libvips rounds down, other writers up). */
export function isNextLevel(prev: { width: number; height: number }, next: { width: number; height: number }): boolean {
  const halves = (a: number, b: number) => b >= 1 && Math.abs(b - a / 2) <= 1;
  return halves(prev.width, next.width) && halves(prev.height, next.height);
}

/** The level a view reads and the source rectangle in that level's pixels. */
export interface LevelChoice {
  level: PyramidLevel;
  rect: Rect;
}

/**
 * The smallest level that still holds `source` (a rectangle of level 0) with at least
 * `resize.w`×`resize.h` pixels, so the reply is never upsampled from a reduced level; level 0
 * when none is small enough. The rectangle is scaled to the level and rounded to whole pixels
 * (at most half a level pixel per edge, less than half a reply pixel after the resize).
 * @param levels largest first, as {@link pyramidLevels} returns them.
 */
export function chooseLevel(levels: readonly PyramidLevel[], source: Rect, resize: { w: number; h: number }): LevelChoice {
  const full = levels[0] as PyramidLevel;
  for (let i = levels.length - 1; i > 0; i--) {
    const level = levels[i] as PyramidLevel;
    const fx = level.width / full.width;
    const fy = level.height / full.height;
    if (source.w * fx < resize.w || source.h * fy < resize.h) {
      continue;
    }
    const x0 = Math.min(level.width - 1, Math.round(source.x * fx));
    const y0 = Math.min(level.height - 1, Math.round(source.y * fy));
    const x1 = Math.min(level.width, Math.max(x0 + 1, Math.round((source.x + source.w) * fx)));
    const y1 = Math.min(level.height, Math.max(y0 + 1, Math.round((source.y + source.h) * fy)));
    return { level, rect: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } };
  }
  return { level: full, rect: source };
}

import type { RenderSpec } from '../commands/render-spec';
import type { SourceInfo } from './render-types';

/**
 * Which levels a source's derivation starts from (issue 14: "from the cheapest decode that gives
 * the needed levels"), decided from the renders the level cache counted.
 *
 * Measured on the benchmark photos (1280–2560 px JPEGs, CPU of one derivation, in plain renders of
 * `wid` 300–399 at about 11 ms): levels from 1/2 cost 2.4 renders, because sharp decodes a JPEG in
 * full for an exact halving (its shrink-on-load backs off one step when the shrink factor's whole
 * part equals it, for libjpeg's rounding); from 1/4, 1.4 renders (a 1/2 DCT decode); from 1/8,
 * 1.0 (a 1/4 DCT decode). Replies read from levels from 1/4 or 1/8 differ from plain ones by
 * 1.0–1.5/255 on most photos, up to 4.0/255 on fine texture (the level is a lanczos reduction of a
 * larger decode, where the plain reply reads a DCT-scaled one), 0.6–2.5/255 from 1/2.
 */

/**
 * Commands of a view of the whole image, whose reply size says how much of the source's detail it
 * used. A render with any other (`rgn`, `rect`, `scl`, crops, layer commands) is taken to need
 * every level, so zoom tiles keep the whole pyramid. A command added to `RenderSpec` later counts
 * as "any other" until it is listed here.
 */
const WHOLE_VIEW = new Set<string>(['wid', 'hei', 'fit', 'align', 'bgc', 'fmt', 'qlt', 'resMode', 'printRes', 'sharpen', 'usm', 'blur', 'brightness', 'contrast', 'saturation']);

/** Source formats whose levels are derived (not GIF: palette and animation; not pyramids: they have levels). */
const DERIVABLE = new Set(['jpeg', 'png', 'webp', 'tiff']);

/** Sources with a side shorter than this gain too little from reduced levels to be worth a file. */
const MIN_DERIVED_SIDE = 256;

/** The largest first reduction: JPEG shrink-on-load goes down to 1/8, so a smaller first level would decode no cheaper. */
const MAX_REDUCE = 8;

/** Reply pixels per source pixel of a view of the whole image (at most 1); 1 for any other render. */
export function detailUsed(spec: RenderSpec, info: Pick<SourceInfo, 'width' | 'height'>, reply: { width: number; height: number }): number {
  for (const [command, value] of Object.entries(spec)) {
    if (value !== undefined && !WHOLE_VIEW.has(command)) {
      return 1;
    }
  }
  return Math.min(1, Math.max(reply.width / info.width, reply.height / info.height));
}

/**
 * The first level's reduction (2, 4 or 8): the smallest level that still holds `detail` (the most
 * any counted render used). Replies that later need more read the source, as without levels.
 */
export function firstReduction(detail: number): number {
  let reduce = 2;
  while (reduce < MAX_REDUCE && detail * reduce * 2 <= 1) {
    reduce *= 2;
  }
  return reduce;
}

/** True for a source whose levels the level cache derives: a JPEG, PNG, WebP or TIFF without levels, no side under {@link MIN_DERIVED_SIDE}. */
export function derivable(info: SourceInfo): boolean {
  return info.levels === undefined && DERIVABLE.has(info.format) && Math.min(info.width, info.height) >= MIN_DERIVED_SIDE;
}

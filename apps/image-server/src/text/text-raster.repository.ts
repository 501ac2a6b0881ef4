import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { paragraphsToMarkup } from './pango-markup';
import { TextLayerError } from './rtf-subset';
import type { StyledText } from './styled-text';
import { blocksOf, placeBlocks, type TextBlock } from './text-blocks';
import { MAX_TEXT_CANVAS_SIDE, parseTextLayer } from './text-canvas.repository';
import type { TextLayerSpec, TextWrap } from './text-layer-spec';

/** An 8-bit RGBA raster: the text in its colours on a transparent box. */
export interface TextRaster {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

interface DrawnBlock {
  data: Buffer;
  width: number;
  height: number;
  align: TextBlock['align'];
}

/** Text without `\f`/`\fs`: 12 pt sans (at `res=72`, 12 pixels). */
const DEFAULT_FONT = 'sans 12';
const PANGO_WRAP: Readonly<Record<TextWrap, 'word-char' | 'word' | 'none'>> = { wrap: 'word-char', nbWrap: 'word', noWrap: 'none' };
/** Re-layouts `autoRes`/`maxRes` try before they settle on the last size that fits. */
const MAX_FIT_PASSES = 6;

/**
 * Draws text layers (`text=`, `textAttr=`, `size=`; image-serving.md §3.5) as RGBA rasters with
 * transparent background, for the compositing engine: sharp's Pango text input, one layout per
 * run of paragraphs of one alignment, stacked and placed in the box by the RTF alignment
 * (`\qc`, `\vertalc` …), clipped to the box. Throws {@link TextLayerError} for a box outside
 * 1..{@link MAX_TEXT_CANVAS_SIDE} or RTF beyond the parser's limits.
 */
@Injectable()
export class TextRasterRepository {
  async draw(spec: TextLayerSpec): Promise<TextRaster> {
    checkSide(spec.box.w, 'width');
    checkSide(spec.box.h, 'height');
    const doc = parseTextLayer(spec.text);
    checkInkArea(doc, spec.res);
    let blocks = await this.layout(doc, spec, spec.res);
    if (spec.resMode !== 'fixedRes' && spec.box.w > 0 && spec.box.h > 0) {
      blocks = await this.fit(doc, spec, blocks);
    }
    const box = {
      width: spec.box.w > 0 ? spec.box.w : Math.max(1, ...blocks.map((b) => b.width)),
      height: spec.box.h > 0 ? spec.box.h : Math.max(1, blocks.reduce((sum, b) => sum + b.height, 0)),
    };
    checkSide(box.width, 'width');
    checkSide(box.height, 'height');
    const raster = place(doc, blocks, box);
    if (spec.antiAliasing === 'off') {
      for (let i = 3; i < raster.data.length; i += 4) {
        raster.data[i] = (raster.data[i] ?? 0) >= 128 ? 255 : 0;
      }
    }
    return raster;
  }

  /**
   * `autoRes`: the resolution at which the text fills the box as much as possible without being
   * cut; `maxRes`: the given one, lowered only when the text would be cut. Text re-wraps at every
   * resolution, so the size is found in a few passes and the last one that fits is kept.
   */
  private async fit(doc: StyledText, spec: TextLayerSpec, first: DrawnBlock[]): Promise<DrawnBlock[]> {
    let blocks = first;
    let res = spec.res;
    let best = fits(blocks, spec.box) ? { blocks, res } : undefined;
    for (let pass = 0; pass < MAX_FIT_PASSES; pass++) {
      const { width, height } = extent(blocks);
      const factor = Math.min(spec.box.w / Math.max(1, width), spec.box.h / Math.max(1, height));
      if (best !== undefined && (spec.resMode === 'maxRes' || Math.abs(factor - 1) < 0.03)) {
        return best.blocks;
      }
      // Grow by the factor while the text fits; shrink by at least 5 % while it does not.
      const next = res * (fits(blocks, spec.box) ? factor : Math.min(factor, 0.95));
      res = Math.max(1, Math.min(next, spec.resMode === 'maxRes' ? spec.res : spec.res * 64));
      blocks = await this.layout(doc, spec, res);
      if (fits(blocks, spec.box) && (best === undefined || res > best.res)) {
        best = { blocks, res };
      }
    }
    return best?.blocks ?? blocks;
  }

  private async layout(doc: StyledText, spec: TextLayerSpec, dpi: number): Promise<DrawnBlock[]> {
    try {
      return await this.drawBlocks(doc, spec, dpi);
    } catch (cause) {
      // Pango/cairo refuse surfaces beyond their limits; anything else from them is the same kind of refusal.
      throw new TextLayerError(`text cannot be drawn at ${Math.round(dpi)} dpi: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  }

  private drawBlocks(doc: StyledText, spec: TextLayerSpec, dpi: number): Promise<DrawnBlock[]> {
    const wrapWidth = spec.box.w > 0 && spec.wrap !== 'noWrap' ? spec.box.w : undefined;
    return Promise.all(
      blocksOf(doc).map(async (block) => {
        const { data, info } = await sharp({
          text: {
            text: paragraphsToMarkup(block.paragraphs),
            font: DEFAULT_FONT,
            dpi: Math.round(dpi),
            ...(wrapWidth === undefined ? {} : { width: wrapWidth }),
            align: block.align,
            wrap: PANGO_WRAP[spec.wrap],
            rgba: true,
          },
        })
          .ensureAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        return { data, width: info.width, height: info.height, align: block.align };
      }),
    );
  }
}

/** The blocks copied into a transparent box (they are stacked, so none overlaps another), clipped to it. */
function place(doc: StyledText, blocks: readonly DrawnBlock[], box: { width: number; height: number }): TextRaster {
  const data = Buffer.alloc(box.width * box.height * 4);
  for (const { block, left, top, width, height } of placeBlocks(blocks, box, doc.vertical)) {
    for (let y = 0; y < height; y++) {
      const from = y * block.width * 4;
      block.data.copy(data, ((top + y) * box.width + left) * 4, from, from + width * 4);
    }
  }
  return { data, width: box.width, height: box.height, channels: 4 };
}

function checkSide(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_TEXT_CANVAS_SIDE) {
    throw new TextLayerError(`text box ${what} ${n} outside 1..${MAX_TEXT_CANVAS_SIDE}`);
  }
}

/** Pixels of ink a text may need at most before it is drawn (a bomb guard): characters × the largest glyph box. */
export const MAX_TEXT_INK_PIXELS = 4 * MAX_TEXT_CANVAS_SIDE * MAX_TEXT_CANVAS_SIDE;

function checkInkArea(doc: StyledText, dpi: number): void {
  let chars = 0;
  let halfPoints = 24;
  for (const p of doc.paragraphs) {
    for (const r of p.runs) {
      chars += r.text.length;
      halfPoints = Math.max(halfPoints, r.style.sizeHalfPoints ?? 24);
    }
  }
  const glyph = ((halfPoints / 2) * dpi) / 72;
  if (chars * glyph * glyph > MAX_TEXT_INK_PIXELS) {
    throw new TextLayerError(`text of ${chars} characters up to ${Math.round(glyph)} pixels high needs more than ${MAX_TEXT_INK_PIXELS} pixels`);
  }
}

function extent(blocks: readonly DrawnBlock[]): { width: number; height: number } {
  return { width: Math.max(0, ...blocks.map((b) => b.width)), height: blocks.reduce((sum, b) => sum + b.height, 0) };
}

function fits(blocks: readonly DrawnBlock[], box: { w: number; h: number }): boolean {
  const { width, height } = extent(blocks);
  return width <= box.w && height <= box.h;
}

import { Injectable } from '@nestjs/common';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import { paragraphsToMarkup } from './pango-markup';
import { isRtf, parseRtf, TextLayerError } from './rtf-subset';
import { plainText, type StyledText } from './styled-text';
import { blocksOf, placeBlocks } from './text-blocks';

/** Largest canvas side a text layer may ask for (`size=`), in pixels. */
export const MAX_TEXT_CANVAS_SIDE = 4000;

/** Encodings a text canvas can be written in. */
export type TextCanvasFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

/** An RGBA colour, alpha 0-1. */
export interface CanvasColor {
  r: number;
  g: number;
  b: number;
  alpha: number;
}

/** What to draw: a canvas of `size=` filled with `bgc=`, with an optional `text=` layer wrapped to its width. */
export interface TextCanvasSpec {
  width: number;
  height: number;
  background: CanvasColor;
  /** The `text=` value: plain text, or the RTF subset when it starts with `{\rtf`. */
  text?: string;
  /** Pango font description for text without `\f`/`\fs`, e.g. `sans 12`. */
  defaultFont?: string;
  /** Output encoding and quality (1-100, jpeg/webp/avif). */
  format: TextCanvasFormat;
  quality?: number;
}

/** An encoded image. */
export interface EncodedCanvas {
  data: Buffer;
  width: number;
  height: number;
  contentType: string;
}

const CONTENT_TYPES: Readonly<Record<TextCanvasFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
};

const DEFAULT_FONT = 'sans 12';

/** Parses a `text=` value: RTF subset or plain text. */
export function parseTextLayer(text: string): StyledText {
  return isRtf(text) ? parseRtf(text) : plainText(text);
}

/**
 * Draws text layers with sharp's Pango text input (the only sharp user outside `pipeline/`):
 * error templates such as `size=300,300&bgc=ffffff&text=$error.message$` (image-serving.md §5.4).
 */
@Injectable()
export class TextCanvasRepository {
  /** Renders and encodes a canvas. Throws {@link TextLayerError} for an unusable spec. */
  async render(spec: TextCanvasSpec): Promise<EncodedCanvas> {
    const { width, height } = spec;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_TEXT_CANVAS_SIDE || height > MAX_TEXT_CANVAS_SIDE) {
      throw new TextLayerError(`text canvas size ${width}x${height} outside 1..${MAX_TEXT_CANVAS_SIDE}`);
    }
    const overlays = spec.text === undefined || spec.text === '' ? [] : await this.textOverlays(spec);
    const canvas = sharp({ create: { width, height, channels: 4, background: spec.background } }).composite(overlays);
    const encoded = await this.encode(canvas, spec).toBuffer({ resolveWithObject: true });
    return { data: encoded.data, width: encoded.info.width, height: encoded.info.height, contentType: CONTENT_TYPES[spec.format] };
  }

  private async textOverlays(spec: TextCanvasSpec): Promise<OverlayOptions[]> {
    const doc = parseTextLayer(spec.text ?? '');
    const rendered = await Promise.all(
      blocksOf(doc).map(async (block) => {
        const { data, info } = await sharp({
          text: {
            text: paragraphsToMarkup(block.paragraphs),
            font: spec.defaultFont ?? DEFAULT_FONT,
            width: spec.width,
            align: block.align,
            wrap: 'word-char',
            rgba: true,
          },
        })
          .png()
          .toBuffer({ resolveWithObject: true });
        return { data, width: info.width, height: info.height, align: block.align };
      }),
    );
    const overlays: OverlayOptions[] = [];
    for (const { block, left, top, width, height } of placeBlocks(rendered, spec, doc.vertical)) {
      const input =
        height === block.height && width === block.width
          ? block.data
          : await sharp(block.data).extract({ left: 0, top: 0, width, height }).png().toBuffer();
      overlays.push({ input, left, top });
    }
    return overlays;
  }

  private encode(image: Sharp, spec: TextCanvasSpec): Sharp {
    const quality = spec.quality;
    switch (spec.format) {
      case 'jpeg':
        // JPEG has no alpha: a transparent background becomes white, not black.
        return image.flatten({ background: '#ffffff' }).jpeg(quality === undefined ? {} : { quality });
      case 'png':
        return image.png();
      case 'webp':
        return image.webp(quality === undefined ? {} : { quality });
      case 'gif':
        return image.gif();
      case 'avif':
        return image.avif(quality === undefined ? {} : { quality });
      case 'tiff':
        return image.tiff();
    }
  }
}

import { ReactorError } from '@openexp/errors';
import sharp, { type Metadata, type TiffOptions } from 'sharp';

/*
 * Every sharp (libvips) call of the worker: validating an upload and converting it into the pyramid
 * TIFF image-server reads (apps/image-server/src/pipeline/pyramid.ts: one tiled page per level,
 * each half the size of the one before).
 *
 * What a published pyramid holds:
 * - orientation: the EXIF orientation is applied to the pixels (the file has none left);
 * - colour: sRGB, 8 bits per channel. A source with an embedded ICC profile is converted from it;
 *   CMYK without one through libvips' built-in CMYK profile; grey becomes RGB; the output embeds
 *   the sRGB profile. Other metadata (EXIF, XMP, IPTC) is dropped;
 * - alpha: kept. Tiles of images with alpha are deflate-compressed (lossless; TIFF's JPEG
 *   compression cannot hold alpha), the others JPEG at `ASSET_TIFF_QUALITY` (default 90);
 * - the first frame of an animated or multi-page source.
 */

/** Formats the worker ingests (sharp's names; AVIF reads as `heif`). */
const INGESTED_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'heif', 'jp2']);
/** Colour spaces converted to sRGB (libvips interpretations). */
const CONVERTIBLE_SPACES: ReadonlySet<string> = new Set(['srgb', 'rgb', 'rgb16', 'scrgb', 'b-w', 'grey16', 'cmyk', 'lab', 'labs', 'xyz']);

export interface PyramidOptions {
  maxInputPixels: number;
  failOn: 'truncated' | 'error' | 'warning';
  /** JPEG quality of the tiles of opaque images. */
  quality: number;
  tileSize: number;
}

/** What the header of a valid upload says. */
export interface SourceImage {
  format: string;
  width: number;
  height: number;
  hasAlpha: boolean;
}

export interface PyramidFile {
  width: number;
  height: number;
  channels: number;
  bytes: number;
}

export class PyramidConverter {
  constructor(private readonly options: PyramidOptions) {}

  /**
   * Reads the header: format, size and colour space are checked before any pixel is decoded.
   * @throws ReactorError asset-unsupported-format, asset-corrupt-image, asset-too-many-pixels, asset-unsupported-color-space
   */
  async inspect(file: string, name: string): Promise<SourceImage> {
    let meta: Metadata;
    try {
      meta = await sharp(file, { failOn: 'none', limitInputPixels: false }).metadata();
    } catch (error) {
      throw classifyDecodeError(error, name);
    }
    const format: string = meta.format;
    if (!INGESTED_FORMATS.has(format)) {
      throw new ReactorError('asset-unsupported-format', `${name} is in the ${format} format; upload JPEG, PNG, TIFF, WebP, GIF, AVIF, HEIF or JPEG 2000.`, {
        meta: { format },
      });
    }
    const { width, height } = orientedSize(meta);
    if (width * height > this.options.maxInputPixels) {
      throw new ReactorError('asset-too-many-pixels', `${name} is ${width}×${height} (${width * height} pixels), more than the limit of ${this.options.maxInputPixels}.`, {
        meta: { width, height, limit: this.options.maxInputPixels },
      });
    }
    if (!CONVERTIBLE_SPACES.has(meta.space ?? 'srgb')) {
      throw new ReactorError('asset-unsupported-color-space', `${name} is in the ${meta.space ?? 'unknown'} colour space, which cannot be converted to sRGB.`, {
        meta: { space: meta.space },
      });
    }
    return { format, width, height, hasAlpha: meta.hasAlpha === true };
  }

  /**
   * Decodes the whole source (truncated or corrupt data fails here) and writes the pyramid to `target`.
   * @throws ReactorError asset-corrupt-image, asset-too-many-pixels; an I/O error as it is
   */
  async convert(file: string, source: SourceImage, target: string, name: string): Promise<PyramidFile> {
    const { maxInputPixels, failOn, quality, tileSize } = this.options;
    const tiff: TiffOptions = source.hasAlpha
      ? { compression: 'deflate', predictor: 'horizontal' }
      : { compression: 'jpeg', quality };
    try {
      const info = await sharp(file, { failOn, limitInputPixels: maxInputPixels })
        .rotate()
        .toColourspace('srgb')
        .withIccProfile('srgb')
        .tiff({ ...tiff, tile: true, tileWidth: tileSize, tileHeight: tileSize, pyramid: true })
        .toFile(target);
      return { width: info.width, height: info.height, channels: info.channels, bytes: info.size };
    } catch (error) {
      throw classifyDecodeError(error, name);
    }
  }
}

/** Size after EXIF orientation (5–8 swap the axes). */
function orientedSize(meta: Metadata): { width: number; height: number } {
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/**
 * A sharp failure as a deferred error. File-system failures (writing the target) are returned as
 * they are, for the caller's storage classification; libvips messages are never copied into the
 * detail (they name paths), only into the log through `cause`.
 */
function classifyDecodeError(error: unknown, name: string): unknown {
  if (error instanceof ReactorError || !(error instanceof Error)) {
    return error;
  }
  const message = error.message;
  if (/unsupported image format/i.test(message)) {
    return new ReactorError('asset-unsupported-format', `${name} is not an image format the worker reads.`, { cause: error });
  }
  if (/pixel limit/i.test(message)) {
    return new ReactorError('asset-too-many-pixels', `${name} has more pixels than the configured limit.`, { cause: error });
  }
  // sharp's own argument checks ("Expected … for …") are bugs of ours, not of the upload.
  if (/^Expected |unable to (open|write)|permission denied|no space|read-only file system|input file is missing/i.test(message)) {
    return error;
  }
  return new ReactorError('asset-corrupt-image', `${name} is truncated or corrupt and cannot be decoded completely.`, { cause: error });
}

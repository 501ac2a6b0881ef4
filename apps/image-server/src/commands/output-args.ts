import { ImageServingError } from '@openexp/errors';
import type { Compression, OutputFormat, RenderSpec } from './render-spec';
import { commaArgs, enumArg, invalidValue, realArg } from './validators';

// The arguments of the output commands fmt= (§3.3) and dpr= (§3.5).

const FORMAT_ALIASES: Readonly<Record<string, OutputFormat>> = { jpg: 'jpeg', tiff: 'tif', 'tiff-alpha': 'tif-alpha' };
const FORMATS: readonly OutputFormat[] = [
  'jpeg', 'pjpeg', 'png', 'png-alpha', 'png8', 'png8-alpha', 'gif', 'gif-alpha',
  'webp', 'webp-alpha', 'avif', 'avif-alpha', 'tif', 'tif-alpha',
];
/** Valid Adobe formats that libvips cannot produce (or we chose not to): an error, never a silent JPEG (§3.3). */
const UNSUPPORTED_FORMATS = new Set(['heic', 'jpeg2000', 'jpeg2000-alpha', 'jpegxr', 'jpegxr-alpha', 'pdf', 'eps', 'swf', 'swf3', 'swf-alpha', 'swf3-alpha', 'f4m', 'm3u8', 'web-alpha']);
const COMPRESSIONS: Readonly<Partial<Record<OutputFormat, readonly Compression[]>>> = {
  tif: ['none', 'lzw', 'zip', 'jpeg'],
  'tif-alpha': ['none', 'lzw', 'zip'],
  webp: ['lossy', 'lossless'],
  'webp-alpha': ['lossy', 'lossless'],
  avif: ['lossy', 'lossless'],
  'avif-alpha': ['lossy', 'lossless'],
};

/** Formats whose only pixel type is rgb (§3.3); the others offer rgb and gray (cmyk is refused for all). */
const RGB_ONLY: ReadonlySet<OutputFormat> = new Set(['png8', 'png8-alpha', 'webp', 'webp-alpha', 'avif', 'avif-alpha']);


export function parseFmt(name: string, value: string): NonNullable<RenderSpec['fmt']> {
  const [rawFormat = '', rawPixel = '', rawCompression = ''] = commaArgs(name, value, 1, 3);
  const lower = rawFormat.toLowerCase();
  const format = (Object.hasOwn(FORMAT_ALIASES, lower) ? FORMAT_ALIASES[lower] : undefined) ?? FORMATS.find((f) => f === lower);
  if (format === undefined) {
    const why = UNSUPPORTED_FORMATS.has(lower) ? `format '${rawFormat}' is not supported by this server` : `unknown format '${rawFormat}'`;
    throw new ImageServingError('IMG_UNKNOWN_FORMAT', `${name}=${value}: ${why}`, { command: name, value });
  }
  const fmt: NonNullable<RenderSpec['fmt']> = { format };
  if (rawPixel !== '') {
    const pixel = rawPixel.toLowerCase();
    if (pixel === 'cmyk') {
      throw invalidValue(name, value, 'pixel type cmyk is not supported (no ICC colour management)');
    }
    fmt.pixelType = enumArg(name, value, pixel, ['rgb', 'gray'] as const);
    if (fmt.pixelType === 'gray' && RGB_ONLY.has(format)) {
      throw invalidValue(name, value, `format '${format}' has no gray pixel type (rgb only)`);
    }
  }
  if (rawCompression !== '') {
    const allowed = COMPRESSIONS[format];
    if (allowed === undefined) {
      throw invalidValue(name, value, `format '${format}' takes no compression argument`);
    }
    fmt.compression = enumArg(name, value, rawCompression, allowed);
  }
  return fmt;
}

/** Largest `dpr=` ratio accepted; the reply is capped by MaxPix and IS_MAX_RENDER_PIXELS long before. */
export const MAX_DPR = 100;

export function parseDpr(name: string, value: string): NonNullable<RenderSpec['dpr']> {
  const parts = commaArgs(name, value, 1, 2);
  const [first = '', second] = parts;
  const ratio = (raw: string) => realArg(name, value, raw, { min: 0, exclusiveMin: true, max: MAX_DPR });
  const keyword = first.toLowerCase();
  if (keyword === 'off' && second === undefined) {
    return { on: false };
  }
  if (keyword === 'on') {
    return { on: true, ratio: second === undefined || second === '' ? undefined : ratio(second) };
  }
  if (second === undefined && keyword !== 'off') {
    return { on: true, ratio: ratio(first) };
  }
  throw invalidValue(name, value, 'expected off, on, on,ratio or ratio (a number > 0)');
}

import type { Sharp } from 'sharp';
import type { Compression, OutputFormat } from '../commands/render-spec';

/** MIME type per output format (image-serving.md §3.3). */
export const FORMAT_MIME: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'image/jpeg',
  pjpeg: 'image/jpeg',
  png: 'image/png',
  'png-alpha': 'image/png',
  png8: 'image/png',
  'png8-alpha': 'image/png',
  gif: 'image/gif',
  'gif-alpha': 'image/gif',
  webp: 'image/webp',
  'webp-alpha': 'image/webp',
  avif: 'image/avif',
  'avif-alpha': 'image/avif',
  tif: 'image/tiff',
  'tif-alpha': 'image/tiff',
};

/** True for the `-alpha` formats: transparency is kept and `bgc=` is ignored (§3.2). */
export function keepsAlpha(format: OutputFormat): boolean {
  return format.endsWith('-alpha');
}

/** True for the formats whose `qlt=` matters (lossy encoders). */
export function usesQuality(format: OutputFormat, compression: Compression | undefined): boolean {
  if (format === 'jpeg' || format === 'pjpeg') {
    return true;
  }
  if (format.startsWith('webp') || format.startsWith('avif')) {
    return compression !== 'lossless';
  }
  return format.startsWith('tif') && compression === 'jpeg';
}

/** Encoder settings, already defaulted from the catalog. */
export interface EncodeOptions {
  format: OutputFormat;
  compression: Compression | undefined;
  quality: number;
  /** `qlt=…,1`: no chroma subsampling. */
  chroma: boolean;
}

const TIFF_COMPRESSION = { none: 'none', lzw: 'lzw', zip: 'deflate', jpeg: 'jpeg' } as const;

/** Sets sharp's output format for a `fmt=` value. */
export function applyEncoder(pipeline: Sharp, o: EncodeOptions): Sharp {
  switch (o.format) {
    case 'jpeg':
    case 'pjpeg':
      return pipeline.jpeg({ quality: o.quality, chromaSubsampling: o.chroma ? '4:4:4' : '4:2:0', progressive: o.format === 'pjpeg' });
    case 'png':
    case 'png-alpha':
      return pipeline.png({ compressionLevel: 6, adaptiveFiltering: false });
    case 'png8':
    case 'png8-alpha':
      return pipeline.png({ palette: true, colours: 256, dither: 1 });
    case 'gif':
    case 'gif-alpha':
      return pipeline.gif({ colours: 256, dither: 1 });
    case 'webp':
    case 'webp-alpha':
      return pipeline.webp(o.compression === 'lossless' ? { lossless: true } : { quality: o.quality });
    case 'avif':
    case 'avif-alpha':
      return pipeline.avif(o.compression === 'lossless' ? { lossless: true } : { quality: o.quality, effort: 2 });
    case 'tif':
    case 'tif-alpha': {
      const compression = TIFF_COMPRESSION[o.compression === 'lzw' || o.compression === 'zip' || o.compression === 'jpeg' ? o.compression : 'none'];
      return pipeline.tiff({ compression, quality: o.quality });
    }
  }
}

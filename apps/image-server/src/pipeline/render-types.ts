import type { ImageMeta } from '../cache/image-cache.service';
import type { RenderDefaults, RenderSpec } from '../commands/render-spec';
import type { PyramidLevel } from './pyramid';

/** Header facts about a source image, read without decoding pixels. */
export interface SourceInfo {
  width: number;
  height: number;
  /** libvips loader name: `jpeg`, `png`, `webp`, `tiff`, `gif` … */
  format: string;
  channels: number;
  hasAlpha: boolean;
  /** Pixels per inch stored in the file, if any. */
  density: number | undefined;
  /** libvips interpretation: `srgb`, `b-w`, `cmyk` … */
  space: string;
  /** True when an ICC profile is embedded. */
  hasProfile: boolean;
  /** Resolution levels of a pyramid TIFF, largest (`width`×`height`) first; absent for other sources. */
  levels?: readonly PyramidLevel[];
}

/** One render: validated commands, catalog defaults, and the request type. */
export interface RenderJob {
  spec: RenderSpec;
  defaults: RenderDefaults;
  /** `req=tmb`: thumbnail view rules instead of wid/hei/scl/DefaultPix. */
  thumbnail: boolean;
  /**
   * `req=mask`: the reply is the alpha channel of the image `req=img` would return, as gray
   * pixels (`fmt=…,rgb` repeats it in three channels); padding is 0, an opaque source 255 (§2, §3.3).
   */
  mask?: boolean;
  /**
   * No default image stands in for a missing layer source (`DefaultImageMode=1`): §5.5 applies
   * default images to `req=img` and `req=tmb` only, so `req=props`/`req=imageprops` fail on it.
   */
  noDefaultImages?: boolean;
}

/** A raster of 8-bit samples, rows top to bottom: RGB (an opaque composite) or RGBA (unpremultiplied alpha). */
export interface Raster {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** An RGBA raster: a layer, or a composite that may have transparent pixels. */
export interface LayerRaster extends Raster {
  channels: 4;
}

/** The encoded reply image and the facts `req=props` reports about it. */
export interface RenderedImage extends ImageMeta {
  data: Buffer;
}

/** Limits the pipeline enforces, from the server configuration. */
export interface PipelineLimits {
  /**
   * Largest image decoded, in pixels (sharp `limitInputPixels`); checked on the header first. For a
   * pyramid TIFF it applies to the level a reply reads, not to the full image.
   */
  maxInputPixels: number;
  /** Largest reply, in pixels: `wid`×`hei` or the `rect=` tile (IS::MaxRenderRgnPixels). */
  maxReplyPixels: number;
  /** sharp `failOn`: how strict decoding is about damaged data. */
  failOn: 'none' | 'truncated' | 'error' | 'warning';
}

/** Injection token of {@link PipelineLimits}. */
export const PIPELINE_LIMITS = Symbol('PIPELINE_LIMITS');

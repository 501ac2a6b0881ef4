import type { Rgba } from './color';

/** `fit=` modes of the view transform (image-serving.md §3.1). */
export type FitMode = 'fit' | 'constrain' | 'crop' | 'wrap' | 'stretch' | 'hfit' | 'vfit';

/** Output formats we encode (`fmt=`, §3.3); `-alpha` variants keep transparency. */
export type OutputFormat =
  | 'jpeg'
  | 'pjpeg'
  | 'png'
  | 'png-alpha'
  | 'png8'
  | 'png8-alpha'
  | 'gif'
  | 'gif-alpha'
  | 'webp'
  | 'webp-alpha'
  | 'avif'
  | 'avif-alpha'
  | 'tif'
  | 'tif-alpha';

/** `fmt=` third argument: per-format compression keyword. */
export type Compression = 'none' | 'lzw' | 'zip' | 'jpeg' | 'lossy' | 'lossless';

/** `resMode=` resampling keyword (legacy `sharp` is read as `sharp2`). */
export type ResMode = 'bilin' | 'bicub' | 'sharp2' | 'bisharp';

/** A rectangle in pixels (or, for `cropN`, in 0..1 units of the source). */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** `blendMode=` keywords (§3.5). */
export type BlendMode = 'norm' | 'dissolve' | 'lighten' | 'darken' | 'mult' | 'screen';

/** `maskUse=` keywords (§3.5). */
export type MaskUse = 'norm' | 'invert' | 'off';

/** A point given in pixels, or normalized (`posN`, `anchorN`, `originN`). */
export interface LayerPoint {
  x: number;
  y: number;
  normalized: boolean;
}

/** Unsharp mask (`op_usm=amount,radius,threshold,monochrome`). */
export interface UnsharpMask {
  amount: number;
  radius: number;
  threshold: number;
  monochrome: boolean;
}

/**
 * Everything the pipeline needs to render one image, validated: the result of applying the
 * command table to a request's merged command list. Fields are `undefined` when the command was
 * not given; catalog defaults are kept apart in {@link RenderDefaults}.
 */
export interface RenderSpec {
  /** `crop=` (pixels) or `cropN=` (normalized) on the source. */
  crop?: { rect: Rect; normalized: boolean };
  /** `scale=`: layer scale vs. the full-resolution source. */
  scale?: number;
  /**
   * `res=ppi`: the layer's source scaled by `res ÷` its `catalog::Resolution` (else
   * `attribute::Resolution`); turned into `scale` by `withRes` (res-scale.ts), ignored when
   * `scale=`, `size=` or `sizeN=` is given and on layers without a source image; after `withRes`
   * it is kept only when it set `scale`.
   */
  res?: number;
  /** `size=w,h`: layer size, 0 = from aspect; wins over `scale=`. */
  size?: { w: number; h: number };
  /** `sizeN=w,h`: the layer's size in fractions of layer 0's (layer 0: of its source); resolved into `size` by the compositing engine. */
  sizeN?: { w: number; h: number };
  /** `extendN=l,t,r,b`: margins in fractions of the layer's size after rotate; resolved into `extend` by the compositing engine. */
  extendN?: { l: number; t: number; r: number; b: number };
  /** `rotate=` degrees clockwise. */
  rotate?: number;
  /** `flip=`: `lr` mirrors horizontally, `ud` vertically. */
  flip?: { lr: boolean; ud: boolean };
  /** `extend=l,t,r,b` margins (negative crops). */
  extend?: { l: number; t: number; r: number; b: number };
  /** `bgColor=`: layer background (behind transparent parts, padding of crop/rotate/extend). */
  bgColor?: Rgba;
  /** `color=`: fill of a solid colour layer (§3.5). */
  color?: Rgba;
  /** `opac=o[,fill]`: layer opacity in percent, the two factors multiplied (no effect layers, so fill opacity is the layer's). */
  opac?: number;
  /** `hide=1`: the layer is not drawn (layer 0 still sets the composite's size). */
  hide?: boolean;
  /** `maskUse=`: `norm` uses the layer's alpha/mask, `invert` inverts it, `off` ignores it. */
  maskUse?: MaskUse;
  /** `blendMode=`: how the layer is blended onto the layers below it. */
  blendMode?: BlendMode;
  /** `pos=x,y` (pixels) / `posN=` (fractions of layer 0's size): offset of the layer's origin from layer 0's. */
  pos?: LayerPoint;
  /** `anchor=x,y` (source pixels from its top-left) / `anchorN=` (fractions of the source from its centre). */
  anchor?: LayerPoint;
  /** `origin=x,y` (pixels from the layer rectangle's top-left) / `originN=` (fractions of it from its centre); overrides `anchor=`. */
  origin?: LayerPoint;
  /** `op_sharpen=1`. */
  sharpen?: boolean;
  /** `op_usm=`. */
  usm?: UnsharpMask;
  /** `op_blur=` radius. */
  blur?: number;
  /** `op_brightness=` −100…100. */
  brightness?: number;
  /** `op_contrast=` −100…100. */
  contrast?: number;
  /** `op_saturation=` −100…100 (−100 = gray). */
  saturation?: number;
  /** `wid=`. */
  wid?: number;
  /** `hei=`. */
  hei?: number;
  /** `scl=` inverse view scale. */
  scl?: number;
  /** `fit=mode[,upscale]`. */
  fit?: { mode: FitMode; upscale: boolean };
  /** `align=h,v` in −1…1. */
  align?: { h: number; v: number };
  /** `bgc=` view background. */
  bgc?: Rgba;
  /** `rgn=` region of interest on the composite. */
  rgn?: Rect;
  /** `rect=x,y,w,h[,scale]` final tile of the view image. */
  rect?: { rect: Rect; scale: number };
  /** `fmt=format[,pixelType[,compression]]`. */
  fmt?: { format: OutputFormat; pixelType?: 'rgb' | 'gray'; compression?: Compression };
  /** `qlt=quality[,chroma]`; chroma true = no chroma subsampling. */
  qlt?: { quality: number; chroma: boolean };
  /** `resMode=`. */
  resMode?: ResMode;
  /** `printRes=` dpi written into the reply. */
  printRes?: number;
  /**
   * `bfc=on|off` (§3.5): format negotiation from `Accept` for this request when it names no
   * `fmt=`; `undefined` leaves it to `attribute::Bfc`, else the server default (`IS_BFC`).
   */
  bfc?: boolean;
  /**
   * `dpr=off|on[,ratio]|ratio` (§3.5): `off` ignores client hints; `on` alone takes the ratio from
   * the `Sec-CH-DPR`/`DPR` hint; a ratio multiplies the requested size (capped by MaxPix and the
   * reply pixel limit). `undefined` is `dpr=off` (Adobe's default).
   */
  dpr?: { on: false } | { on: true; ratio: number | undefined };
}

/** A `w,h` pair where 0 means "unconstrained" (DefaultPix, MaxPix …). */
export interface PixelBox {
  w: number;
  h: number;
}

/** Catalog attribute defaults that fill commands the request did not give (§1.6 step 7). */
export interface RenderDefaults {
  /** `attribute::BkgColor` → `bgc`. */
  bkgColor: Rgba;
  /** `attribute::JpegQuality` → `qlt`. */
  jpegQuality: { quality: number; chroma: boolean };
  /** `attribute::ResMode` → `resMode`. */
  resMode: ResMode;
  /** `attribute::DefaultPix`. */
  defaultPix: PixelBox;
  /** `attribute::DefaultThumbPix`. */
  defaultThumbPix: PixelBox;
  /** `attribute::MaxPix` (0,0 unlimited). */
  maxPix: PixelBox;
  /** `attribute::PrintResolution` / `catalog::PrintResolution`, dpi; undefined keeps the source's. */
  printResolution?: number;
  /** `attribute::ThumbType`: 1 crop, 2 fit, 3 texture. */
  thumbType: 1 | 2 | 3;
  /** `attribute::ThumbBkgColor`. */
  thumbBkgColor: Rgba;
  /** `attribute::ThumbHorizAlign` / `ThumbVertAlign`: 1 left/top, 2 center, 3 right/bottom. */
  thumbAlign: { h: 1 | 2 | 3; v: 1 | 2 | 3 };
}

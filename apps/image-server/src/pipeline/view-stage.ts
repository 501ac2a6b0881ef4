import sharp, { type Sharp } from 'sharp';
import type { Rgba } from '../commands/color';
import type { RenderSpec, ResMode } from '../commands/render-spec';
import { blurSigma } from './pixel-budget';
import type { RenderJob } from './render-types';
import type { ViewPlan } from './view-transform';

const KERNELS: Readonly<Record<ResMode, 'linear' | 'cubic' | 'lanczos3' | 'mitchell'>> = {
  bilin: 'linear',
  bicub: 'cubic',
  sharp2: 'lanczos3',
  bisharp: 'mitchell',
};

/** rgn/scale/placement/rect as one sharp chain: pre-extract → resize → extract → extend (§3.1). */
export function viewGeometry(p: Sharp, c: { width: number; height: number }, plan: ViewPlan, resMode: ResMode, padColor: Rgba, alpha: boolean): Sharp {
  const src = plan.source;
  let q = p;
  if (src && (src.x !== 0 || src.y !== 0 || src.w !== c.width || src.h !== c.height)) {
    q = q.extract({ left: src.x, top: src.y, width: src.w, height: src.h });
  }
  if (src && (plan.resize.w !== src.w || plan.resize.h !== src.h)) {
    q = q.resize(plan.resize.w, plan.resize.h, { fit: 'fill', kernel: KERNELS[resMode] });
  }
  const e = plan.extract;
  if (e.x !== 0 || e.y !== 0 || e.w !== plan.resize.w || e.h !== plan.resize.h) {
    q = q.extract({ left: e.x, top: e.y, width: e.w, height: e.h });
  }
  const pad = plan.pad;
  if (pad.left || pad.top || pad.right || pad.bottom) {
    q = (alpha ? q.ensureAlpha() : q).extend({ ...pad, background: padColor });
  }
  return q;
}

/** `op_*` filters on the view image (§3.2), their radii in full-resolution pixels scaled by the view. */
export function viewFilters(p: Sharp, job: RenderJob, plan: ViewPlan): Sharp {
  return applyFilters(p, job.spec, plan.scale, plan.width * plan.height, false);
}

/**
 * The `op_*` filters of a spec: sharpen, unsharp mask, blur, brightness/contrast, saturation.
 * `viewScale` scales radii given in full-resolution pixels; `alpha` keeps a fourth channel out of
 * brightness/contrast (a layer's RGBA raster).
 */
export function applyFilters(p: Sharp, s: RenderSpec, viewScale: number, pixels: number, alpha: boolean): Sharp {
  let q = p;
  if (s.sharpen) {
    q = q.sharpen();
  }
  if (s.usm && s.usm.amount > 0 && s.usm.radius > 0) {
    // Radius is in full-resolution pixels and shrinks with the image (§3.2); sigma ≈ radius / 2.
    const sigma = Math.min(10, Math.max(0.01, (s.usm.radius * viewScale) / 2));
    q = q.sharpen({ sigma, m1: s.usm.amount, m2: s.usm.amount * 2, x1: (s.usm.threshold * 100) / 255 });
  }
  if (s.blur !== undefined && s.blur > 0) {
    q = q.blur(blurSigma(s.blur, viewScale, pixels));
  }
  if (s.brightness !== undefined || s.contrast !== undefined) {
    const a = (100 + (s.contrast ?? 0)) / 100;
    const b = 128 * (1 - a) + (s.brightness ?? 0) * 2.55;
    q = alpha ? q.linear([a, a, a, 1], [b, b, b, 0]) : q.linear([a, a, a], [b, b, b]);
  }
  if (s.saturation !== undefined && s.saturation !== 0) {
    q = q.modulate({ saturation: Math.max(0, 1 + s.saturation / 100) });
  }
  return q;
}

/** True when the spec has an `op_*` filter. */
export function hasFilters(s: RenderSpec): boolean {
  return s.sharpen === true || (s.usm !== undefined && s.usm.amount > 0 && s.usm.radius > 0) || (s.blur ?? 0) > 0
    || s.brightness !== undefined || s.contrast !== undefined || (s.saturation ?? 0) !== 0;
}

/**
 * `req=mask`: the alpha channel of `p` (which has one, see `view`) as a one-channel gray image.
 * sharp converts colour spaces before it extracts channels, so an rgb mask is a second pass over
 * the (reply-sized) gray pixels.
 */
export async function maskOf(p: Sharp, gray: boolean): Promise<Sharp> {
  const alpha = p.extractChannel('alpha');
  if (gray) {
    return alpha;
  }
  const { data, info } = await alpha.raw().toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).toColourspace('srgb');
}

import type { Rgba } from '../../commands/color';
import type { BlendMode, MaskUse, RenderSpec } from '../../commands/render-spec';
import type { LayerRaster } from '../render-types';

/**
 * An effect layer (Adobe's "Layer effects", `effect=n`): a shadow or glow drawn from its parent
 * layer's mask (its alpha, `maskUse=invert` inverted, `off` the whole rectangle), in `color=`
 * (default opaque black; its alpha counts), `opac=`, feathered by `op_blur=`, moved by `pos=` from
 * the parent. `n < 0`: an outer effect, behind the parent; `n > 0`: an inner effect, over the
 * parent and only inside its opaque part. Higher numbers lie above lower ones. Other commands of
 * an effect segment are ignored, as Adobe documents (`op_grow`, `op_noise` stay refused).
 */
export interface EffectLayer {
  /** The layer key, `<parent>~<n>`. */
  key: string;
  /** The effect number: negative outer, positive inner. */
  n: number;
  spec: RenderSpec;
}

/** The commands an effect layer takes (`effect=` opens it); the others are ignored. */
export const EFFECT_COMMANDS: ReadonlySet<string> = new Set(['color', 'opac', 'pos', 'posn', 'op_blur', 'blendmode', 'maskuse']);

/** Gaussian sigma of an effect's `op_blur=` radius (in the parent's pixels; sigma ≈ radius / 2). */
export function effectSigma(spec: RenderSpec): number {
  return spec.blur === undefined || spec.blur <= 0 ? 0 : Math.max(0.3, spec.blur / 2);
}

/** Margin an outer effect needs around its parent for the blur to fade out (3 sigma). */
export function effectPad(spec: RenderSpec): number {
  return Math.ceil(3 * effectSigma(spec));
}

/** The offset of an effect from its parent: `pos=` in pixels, `posN=` in fractions of the parent. */
export function effectShift(spec: RenderSpec, parent: { width: number; height: number }): { x: number; y: number } {
  const p = spec.pos;
  if (p === undefined) {
    return { x: 0, y: 0 };
  }
  return p.normalized ? { x: Math.round(p.x * parent.width), y: Math.round(p.y * parent.height) } : { x: p.x, y: p.y };
}

/**
 * The mask plane an effect starts from, `pad` pixels larger than the parent on each side: the
 * parent's alpha (per `maskUse`) shifted by `shift`; outside the parent the mask is 0 (255 for
 * `invert`, so an inner shadow comes in from the edges).
 */
export function maskPlane(parent: LayerRaster, use: MaskUse, pad: number, shift: { x: number; y: number }): { data: Buffer; width: number; height: number } {
  const width = parent.width + 2 * pad;
  const height = parent.height + 2 * pad;
  const data = Buffer.alloc(width * height, use === 'invert' ? 255 : 0);
  for (let y = 0; y < parent.height; y++) {
    const ty = y + pad + shift.y;
    if (ty < 0 || ty >= height) {
      continue;
    }
    for (let x = 0; x < parent.width; x++) {
      const tx = x + pad + shift.x;
      if (tx >= 0 && tx < width) {
        const a = parent.data[(y * parent.width + x) * 4 + 3] ?? 0;
        data[ty * width + tx] = use === 'off' ? 255 : use === 'invert' ? 255 - a : a;
      }
    }
  }
  return { data, width, height };
}

/** The effect's RGBA raster from its (blurred) mask plane: the colour, alpha = mask × colour alpha × opac; an inner effect also × the parent's alpha. */
export function effectRaster(plane: { data: Buffer; width: number; height: number }, spec: RenderSpec, clip: LayerRaster | undefined): LayerRaster {
  const color: Rgba = spec.color ?? { r: 0, g: 0, b: 0, alpha: 255 };
  const f = (color.alpha / 255) * ((spec.opac ?? 100) / 100);
  const n = plane.width * plane.height;
  const data = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    const clipAlpha = clip === undefined ? 255 : (clip.data[i * 4 + 3] ?? 0);
    data[i * 4] = color.r;
    data[i * 4 + 1] = color.g;
    data[i * 4 + 2] = color.b;
    data[i * 4 + 3] = Math.round(((plane.data[i] ?? 0) * f * clipAlpha) / 255);
  }
  return { data, width: plane.width, height: plane.height, channels: 4 };
}

/** The `pad`-wide margin cut off a plane again: the parent's frame. */
export function cropPlane(plane: { data: Buffer; width: number; height: number }, pad: number, width: number, height: number): { data: Buffer; width: number; height: number } {
  if (pad === 0) {
    return plane;
  }
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y + pad) * plane.width + pad;
    plane.data.copy(data, y * width, from, from + width);
  }
  return { data, width, height };
}

/** The blend of an effect (`blendMode=`, default `norm`). */
export function effectBlend(spec: RenderSpec): BlendMode {
  return spec.blendMode ?? 'norm';
}

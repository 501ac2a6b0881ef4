import type { Rgba } from '../../commands/color';
import type { MaskUse } from '../../commands/render-spec';
import type { LayerRaster, Raster } from '../render-types';

/** A `width`×`height` raster of one colour. */
export function solidRaster(width: number, height: number, color: Rgba): LayerRaster {
  const data = Buffer.alloc(width * height * 4);
  if (color.r !== 0 || color.g !== 0 || color.b !== 0 || color.alpha !== 0) {
    data.fill(Buffer.from([color.r, color.g, color.b, color.alpha]));
  }
  return { data, width, height, channels: 4 };
}

/** Multiplies the alpha of `r` by a one-channel mask of the same size (`maskUse=invert`: by its inverse). */
export function applyMask(r: LayerRaster, mask: Buffer, use: MaskUse): void {
  if (use === 'off') {
    return;
  }
  const d = r.data;
  for (let i = 0, n = r.width * r.height; i < n; i++) {
    const m = use === 'invert' ? 255 - (mask[i] ?? 0) : (mask[i] ?? 0);
    d[i * 4 + 3] = Math.round(((d[i * 4 + 3] ?? 0) * m) / 255);
  }
}

/** `maskUse=` on a layer's own alpha: `invert` inverts it, `off` makes the layer opaque. */
export function useAlpha(r: LayerRaster, use: MaskUse): void {
  if (use === 'norm') {
    return;
  }
  const d = r.data;
  for (let i = 3; i < d.length; i += 4) {
    d[i] = use === 'off' ? 255 : 255 - (d[i] ?? 0);
  }
}

/** Multiplies the alpha by `opac` percent. */
export function applyOpacity(r: LayerRaster, opac: number): void {
  if (opac >= 100) {
    return;
  }
  const f = opac / 100;
  const d = r.data;
  for (let i = 3; i < d.length; i += 4) {
    d[i] = Math.round((d[i] ?? 0) * f);
  }
}

/**
 * `blendMode=dissolve`: each pixel is either fully the layer's or fully what is below, the layer's
 * with a probability equal to its alpha. Deterministic: the threshold of a pixel is a hash of its
 * position on the composite (`left`, `top` place the raster there) and the layer's number, so the
 * same request always gives the same pixels.
 */
export function dissolve(r: LayerRaster, left: number, top: number, seed: number): void {
  const d = r.data;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const i = (y * r.width + x) * 4 + 3;
      d[i] = (d[i] ?? 0) > pixelHash(x + left, y + top, seed) ? 255 : 0;
    }
  }
}

/** A well-mixed integer hash of a pixel position, in 0..254. */
function pixelHash(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(seed + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % 255;
}

/** The raster as RGBA: an RGB one (an opaque composite) gets an opaque alpha channel. */
export function withAlpha(r: Raster): LayerRaster {
  if (r.channels === 4) {
    return { ...r, channels: 4 };
  }
  const n = r.width * r.height;
  const data = Buffer.alloc(n * 4, 255);
  for (let i = 0; i < n; i++) {
    r.data.copy(data, i * 4, i * 3, i * 3 + 3);
  }
  return { data, width: r.width, height: r.height, channels: 4 };
}

/** True when some pixel is not fully opaque (an RGB raster has none). */
export function hasTransparency(r: Raster): boolean {
  if (r.channels === 3) {
    return false;
  }
  const d = r.data;
  for (let i = 3; i < d.length; i += 4) {
    if (d[i] !== 255) {
      return true;
    }
  }
  return false;
}

/**
 * The part of a raster placed at `left`,`top` that lies on a `width`×`height` canvas, and where
 * (sharp's composite needs overlays inside the image); `undefined` when none does.
 */
export function clipToCanvas(r: LayerRaster, left: number, top: number, canvas: { width: number; height: number }): { raster: LayerRaster; left: number; top: number } | undefined {
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(canvas.width, left + r.width);
  const y1 = Math.min(canvas.height, top + r.height);
  if (x1 <= x0 || y1 <= y0) {
    return undefined;
  }
  if (x0 === left && y0 === top && x1 - x0 === r.width && y1 - y0 === r.height) {
    return { raster: r, left, top };
  }
  const w = x1 - x0;
  const h = y1 - y0;
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    const from = ((y + y0 - top) * r.width + (x0 - left)) * 4;
    r.data.copy(data, y * w * 4, from, from + w * 4);
  }
  return { raster: { data, width: w, height: h, channels: 4 }, left: x0, top: y0 };
}

import type { Sharp } from 'sharp';
import type { Rect, RenderSpec } from '../commands/render-spec';

/** Transparent black: padding of layers without `bgColor=`. */
export const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 } as const;

/** True when the request has layer commands (anything before the view transform). */
export function hasLayerCommands(s: RenderSpec): boolean {
  return s.crop !== undefined || s.scale !== undefined || s.size !== undefined || s.flip !== undefined
    || (s.rotate !== undefined && s.rotate % 360 !== 0) || s.extend !== undefined || s.bgColor !== undefined;
}

/** Crop rectangle in source pixels (`cropN` converted), possibly outside the source. */
export function cropRect(s: RenderSpec, width: number, height: number): Rect {
  if (s.crop === undefined) {
    return { x: 0, y: 0, w: width, h: height };
  }
  const r = s.crop.rect;
  if (!s.crop.normalized) {
    return r;
  }
  const x = Math.round(r.x * width);
  const y = Math.round(r.y * height);
  return { x, y, w: Math.max(1, Math.round((r.x + r.w) * width) - x), h: Math.max(1, Math.round((r.y + r.h) * height) - y) };
}

/**
 * Layer size after crop and `size=`/`scale=` (§3.2: size wins over scale). `size=w,h` is a
 * bounding box: the cropped image is scaled, keeping its aspect ratio, until one side meets it and
 * neither exceeds it (Adobe's `size=`: "the aspect ratio of the source rectangle is maintained in
 * all cases"); `size=w,0` and `size=0,h` fix one side and take the other from the aspect ratio.
 * Only a layer without an image (a template canvas) takes `size=` as its exact size.
 */
export function layerSize(s: RenderSpec, crop: Rect): { w: number; h: number } {
  if (s.size !== undefined && (s.size.w > 0 || s.size.h > 0)) {
    const { w, h } = s.size;
    const fw = w > 0 ? w / crop.w : Infinity;
    const fh = h > 0 ? h / crop.h : Infinity;
    // The side that sets the factor keeps its exact value; the other one is rounded.
    return fw <= fh ? { w, h: Math.max(1, Math.round(crop.h * fw)) } : { w: Math.max(1, Math.round(crop.w * fh)), h };
  }
  const f = s.scale ?? 1;
  return { w: Math.max(1, Math.round(crop.w * f)), h: Math.max(1, Math.round(crop.h * f)) };
}

/**
 * The crop rectangle when `crop=`/`cropN=` is the only layer command and lies inside the source:
 * the layer is then a window onto the source, which the view transform can read directly (one
 * pass, JPEG shrink-on-load and pyramid levels apply). Undefined otherwise.
 */
export function cropWindow(s: RenderSpec, width: number, height: number): Rect | undefined {
  if (s.crop === undefined || hasLayerCommands({ ...s, crop: undefined })) {
    return undefined;
  }
  const c = cropRect(s, width, height);
  return c.x >= 0 && c.y >= 0 && c.w >= 1 && c.h >= 1 && c.x + c.w <= width && c.y + c.h <= height ? c : undefined;
}

/** True when the crop rectangle does not overlap the source: the layer is only background. */
export function cropMisses(s: RenderSpec, width: number, height: number): boolean {
  const c = cropRect(s, width, height);
  return c.x >= width || c.y >= height || c.x + c.w <= 0 || c.y + c.h <= 0;
}

/**
 * First layer pass: crop (padding outside the source) and layer size. sharp runs pre-extract,
 * resize, then extend, which is exactly crop → scale with the padding scaled along.
 */
export function applyCropAndSize(p: Sharp, s: RenderSpec, width: number, height: number): Sharp {
  const crop = cropRect(s, width, height);
  const size = layerSize(s, crop);
  const fx = size.w / crop.w;
  const fy = size.h / crop.h;
  const x0 = Math.max(0, crop.x);
  const y0 = Math.max(0, crop.y);
  const x1 = Math.min(width, crop.x + crop.w);
  const y1 = Math.min(height, crop.y + crop.h);
  const background = s.bgColor ?? TRANSPARENT;
  const left = Math.round((x0 - crop.x) * fx);
  const top = Math.round((y0 - crop.y) * fy);
  const innerW = Math.max(1, Math.min(size.w - left, Math.round((x1 - crop.x) * fx) - left));
  const innerH = Math.max(1, Math.min(size.h - top, Math.round((y1 - crop.y) * fy) - top));
  let q = p;
  if (x0 !== 0 || y0 !== 0 || x1 !== width || y1 !== height) {
    q = q.extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 });
  }
  if (innerW !== x1 - x0 || innerH !== y1 - y0) {
    q = q.resize(innerW, innerH, { fit: 'fill' });
  }
  const pad = { left, top, right: size.w - left - innerW, bottom: size.h - top - innerH };
  if (pad.left || pad.top || pad.right || pad.bottom) {
    q = (background.alpha < 255 ? q.ensureAlpha() : q).extend({ ...pad, background });
  }
  return q;
}

/** Second layer pass: flip, rotate (canvas grows), extend (negative values crop). */
export function applyOrientAndExtend(p: Sharp, s: RenderSpec, width: number, height: number): Sharp {
  const background = s.bgColor ?? TRANSPARENT;
  let q = p;
  let w = width;
  let h = height;
  if (s.flip?.lr) {
    q = q.flop();
  }
  if (s.flip?.ud) {
    q = q.flip();
  }
  const angle = rotateAngle(s);
  if (angle !== 0) {
    q = (background.alpha < 255 ? q.ensureAlpha() : q).rotate(angle, { background });
    ({ w, h } = rotatedSize(w, h, angle));
  }
  if (s.extend !== undefined) {
    const e = s.extend;
    const cut = { left: Math.max(0, -e.l), top: Math.max(0, -e.t), right: Math.max(0, -e.r), bottom: Math.max(0, -e.b) };
    if (cut.left || cut.top || cut.right || cut.bottom) {
      const cw = Math.max(1, w - cut.left - cut.right);
      const ch = Math.max(1, h - cut.top - cut.bottom);
      q = q.extract({ left: Math.min(cut.left, w - 1), top: Math.min(cut.top, h - 1), width: cw, height: ch });
    }
    const grow = { left: Math.max(0, e.l), top: Math.max(0, e.t), right: Math.max(0, e.r), bottom: Math.max(0, e.b) };
    if (grow.left || grow.top || grow.right || grow.bottom) {
      q = (background.alpha < 255 ? q.ensureAlpha() : q).extend({ ...grow, background });
    }
  }
  return q;
}

/** `rotate=` as a clockwise angle in [0, 360). */
export function rotateAngle(s: RenderSpec): number {
  return s.rotate === undefined ? 0 : ((s.rotate % 360) + 360) % 360;
}

/** Size of the canvas a `w`×`h` layer rotated by `angle` (0…360) grows to (libvips's rotate). */
export function rotatedSize(w: number, h: number, angle: number): { w: number; h: number } {
  if (angle % 90 === 0) {
    return angle % 180 === 0 ? { w, h } : { w: h, h: w };
  }
  const rad = (angle * Math.PI) / 180;
  const cos = Math.abs(Math.cos(rad));
  const sin = Math.abs(Math.sin(rad));
  return { w: Math.round(w * cos + h * sin), h: Math.round(w * sin + h * cos) };
}

/** Size of a `w`×`h` layer after `extend=` (negative margins cut first, at least 1 pixel stays). */
export function extendedSize(w: number, h: number, e: { l: number; t: number; r: number; b: number }): { w: number; h: number } {
  const cut = (n: number) => Math.max(0, -n);
  const grow = (n: number) => Math.max(0, n);
  return {
    w: Math.max(1, w - cut(e.l) - cut(e.r)) + grow(e.l) + grow(e.r),
    h: Math.max(1, h - cut(e.t) - cut(e.b)) + grow(e.t) + grow(e.b),
  };
}

import type { LayerPoint, Rect, RenderSpec } from '../../commands/render-spec';
import { cropRect, extendedSize, layerSize, rotateAngle, rotatedSize } from '../layer-stage';

/** A size in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A point in pixels (may be fractional). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The rectangles a layer goes through (§1.6): the crop on its source, its size after `size=`/`scale=`, after `rotate=`, and the final one after `extend=`. */
export interface LayerGeometry {
  crop: Rect;
  sized: { w: number; h: number };
  rotated: { w: number; h: number };
  final: { w: number; h: number };
}

/** The rectangles of a layer of `spec` drawn from a source of `source` (pure arithmetic, no pixels). */
export function layerGeometry(spec: RenderSpec, source: Size): LayerGeometry {
  const crop = cropRect(spec, source.width, source.height);
  const sized = layerSize(spec, crop);
  const angle = rotateAngle(spec);
  const rotated = angle === 0 ? sized : rotatedSize(sized.w, sized.h, angle);
  const final = spec.extend === undefined ? rotated : extendedSize(rotated.w, rotated.h, spec.extend);
  return { crop, sized, rotated, final };
}

/**
 * A point of the source (its anchor) carried through the layer transforms into the final layer
 * rectangle (Adobe's "Layer placement": "apply the layer transforms and extend= to convert it to
 * an origin= value"): crop, size/scale, flip, rotate around the centre (the canvas grows), extend.
 */
export function transformPoint(p: Point, spec: RenderSpec, g: LayerGeometry): Point {
  let x = (p.x - g.crop.x) * (g.sized.w / g.crop.w);
  let y = (p.y - g.crop.y) * (g.sized.h / g.crop.h);
  if (spec.flip?.lr) {
    x = g.sized.w - x;
  }
  if (spec.flip?.ud) {
    y = g.sized.h - y;
  }
  const angle = rotateAngle(spec);
  if (angle !== 0) {
    const rad = (angle * Math.PI) / 180;
    const dx = x - g.sized.w / 2;
    const dy = y - g.sized.h / 2;
    // Clockwise in image coordinates (y grows downwards).
    x = dx * Math.cos(rad) - dy * Math.sin(rad) + g.rotated.w / 2;
    y = dx * Math.sin(rad) + dy * Math.cos(rad) + g.rotated.h / 2;
  }
  if (spec.extend !== undefined) {
    x += spec.extend.l;
    y += spec.extend.t;
  }
  return { x, y };
}

function fromCentre(p: LayerPoint, size: Size): Point {
  return p.normalized ? { x: (0.5 + p.x) * size.width, y: (0.5 + p.y) * size.height } : { x: p.x, y: p.y };
}

/**
 * The layer's origin in its final rectangle: `origin=`/`originN=`; else the anchor (`anchor=`/
 * `anchorN=`, else the source's own, e.g. `catalog::Anchor`) carried through the transforms;
 * else the centre of the final rectangle.
 */
export function layerOrigin(spec: RenderSpec, source: Size, sourceAnchor: Point | undefined): Point {
  const g = layerGeometry(spec, source);
  const final = { width: g.final.w, height: g.final.h };
  if (spec.origin !== undefined) {
    return fromCentre(spec.origin, final);
  }
  const anchor = spec.anchor === undefined ? sourceAnchor : fromCentre(spec.anchor, source);
  return anchor === undefined ? { x: final.width / 2, y: final.height / 2 } : transformPoint(anchor, spec, g);
}

/**
 * Where a layer's top-left corner lands on the composite: its origin placed on layer 0's origin
 * plus `pos=` (pixels) or `posN=` (fractions of layer 0's size), rounded to whole pixels.
 */
export function layerOffset(spec: RenderSpec, origin: Point, baseOrigin: Point, canvas: Size): { left: number; top: number } {
  const pos = spec.pos;
  const dx = pos === undefined ? 0 : pos.normalized ? pos.x * canvas.width : pos.x;
  const dy = pos === undefined ? 0 : pos.normalized ? pos.y * canvas.height : pos.y;
  return { left: Math.round(baseOrigin.x + dx - origin.x), top: Math.round(baseOrigin.y + dy - origin.y) };
}

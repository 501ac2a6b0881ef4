import { ImageServingError } from '@openexp/errors';
import type { FitMode, PixelBox, Rect } from '../commands/render-spec';

/** The view commands of a request (image-serving.md §3.1). */
export interface ViewCommands {
  wid?: number;
  hei?: number;
  scl?: number;
  fit?: { mode: FitMode; upscale: boolean };
  align?: { h: number; v: number };
  rgn?: Rect;
  rect?: { rect: Rect; scale: number };
}

/** Thumbnail rules of the catalog, used for `req=tmb` (§3.1 "Thumbnails"). */
export interface ThumbRules {
  box: PixelBox;
  type: 1 | 2 | 3;
  align: { h: 1 | 2 | 3; v: 1 | 2 | 3 };
}

/** Limits and defaults the view transform applies. */
export interface ViewLimits {
  /** `attribute::DefaultPix`, used when none of wid/hei/scl is given. */
  defaultPix: PixelBox;
  /** `attribute::MaxPix`: reply width/height above it is an error (0 = unlimited axis). */
  maxPix: PixelBox;
  /**
   * Server cap on the reply's area (IS::MaxRenderRgnPixels, image-serving.md §5.2 and §7: "output
   * Mpx"): `wid`×`hei`, or the `rect=` tile. The view image a tile is cut from is not capped by
   * it: libvips computes only the pixels the tile needs, so a zoom viewer's full-resolution tiles
   * of a large image cost what the tile costs (the decode is capped by the input pixel limit).
   */
  maxReplyPixels: number;
}

/**
 * Largest side of a view image: libvips's coordinate limit (VIPS_MAX_COORD). Beyond it a request
 * (say `scl=0.00001`) names a picture no server can address, and is refused as too large.
 */
const MAX_VIEW_SIDE = 10_000_000;

/**
 * How to turn the composite into the reply, as operations sharp runs in its fixed order:
 * read `source` (a rectangle inside the composite), resize it to `resize`, keep `extract` of
 * the resized content, then pad by `pad` with the background. `width`×`height` is the reply.
 */
export interface ViewPlan {
  /** Part of the composite that contributes pixels; `undefined` when nothing does (all padding). */
  source: Rect | undefined;
  /** Size the source is resized to (independent x/y for `fit=stretch`). */
  resize: { w: number; h: number };
  /** Part of the resized content that is kept. */
  extract: Rect;
  /** Background padding around the kept content. */
  pad: { top: number; left: number; bottom: number; right: number };
  /** Reply size. */
  width: number;
  height: number;
  /** Effective view scale, for filters whose radius is given in full-resolution pixels. */
  scale: number;
}

interface Canvas {
  sx: number;
  sy: number;
  width: number;
  height: number;
  align: { h: number; v: number };
}

const scaled = (n: number, s: number): number => Math.max(1, Math.round(n * s));
const upTo1 = (s: number, upscale: boolean): number => (upscale ? s : Math.min(1, s));
const thumbAlign = (a: 1 | 2 | 3): number => a - 2;

function defined(...xs: (number | undefined)[]): number[] {
  return xs.filter((x): x is number => x !== undefined);
}

/** Scale and canvas from fit mode; `w`×`h` is the region being fitted. */
function fitCanvas(w: number, h: number, mode: FitMode, upscale: boolean, wid: number | undefined, hei: number | undefined): Omit<Canvas, 'align'> {
  const bx = wid === undefined ? undefined : wid / w;
  const by = hei === undefined ? undefined : hei / h;
  const box = (s: number) => ({ sx: s, sy: s, width: wid ?? scaled(w, s), height: hei ?? scaled(h, s) });
  const grow = (s: number) => ({ sx: s, sy: s, width: scaled(w, s), height: scaled(h, s) });
  switch (mode) {
    case 'fit':
      return box(upTo1(Math.min(...defined(bx, by)), upscale));
    case 'constrain':
      return grow(upTo1(Math.min(...defined(bx, by)), upscale));
    case 'crop':
      return box(upTo1(Math.max(...defined(bx, by)), upscale));
    case 'wrap':
      return grow(upTo1(Math.max(...defined(bx, by)), upscale));
    case 'hfit':
      return box(upTo1(bx ?? by ?? 1, upscale));
    case 'vfit':
      return box(upTo1(by ?? bx ?? 1, upscale));
    case 'stretch': {
      const sx = upTo1(bx ?? by ?? 1, upscale);
      const sy = upTo1(by ?? bx ?? 1, upscale);
      return { sx, sy, width: wid ?? scaled(w, sx), height: hei ?? scaled(h, sy) };
    }
  }
}

function thumbCanvas(w: number, h: number, v: ViewCommands, rules: ThumbRules): Canvas {
  const given = v.wid !== undefined || v.hei !== undefined;
  const bw = given ? v.wid : rules.box.w || undefined;
  const bh = given ? v.hei : rules.box.h || undefined;
  const align = { h: thumbAlign(rules.align.h), v: thumbAlign(rules.align.v) };
  if (bw === undefined && bh === undefined) {
    return { sx: 1, sy: 1, width: w, height: h, align };
  }
  if (rules.type === 3) {
    return { sx: 1, sy: 1, width: bw ?? w, height: bh ?? h, align };
  }
  return { ...fitCanvas(w, h, rules.type === 1 ? 'crop' : 'fit', true, bw, bh), align };
}

function viewCanvas(w: number, h: number, v: ViewCommands, limits: ViewLimits): Canvas {
  const align = v.align ?? { h: 0, v: 0 };
  if (v.scl !== undefined) {
    const s = 1 / v.scl;
    return { sx: s, sy: s, width: v.wid ?? scaled(w, s), height: v.hei ?? scaled(h, s), align };
  }
  if (v.fit !== undefined) {
    const noAlign = v.fit.mode === 'constrain' || v.fit.mode === 'stretch';
    return { ...fitCanvas(w, h, v.fit.mode, v.fit.upscale, v.wid, v.hei), align: noAlign ? { h: 0, v: 0 } : align };
  }
  if (v.wid !== undefined && v.hei !== undefined) {
    // No fit=: fit inside the box, upscaling allowed (§3.1, "recommended: allow, subject to MaxPix").
    return { ...fitCanvas(w, h, 'fit', true, v.wid, v.hei), align };
  }
  if (v.wid !== undefined || v.hei !== undefined) {
    const s = v.wid !== undefined ? v.wid / w : (v.hei ?? h) / h;
    return { sx: s, sy: s, width: v.wid ?? scaled(w, s), height: v.hei ?? scaled(h, s), align };
  }
  const caps = defined(limits.defaultPix.w ? limits.defaultPix.w / w : undefined, limits.defaultPix.h ? limits.defaultPix.h / h : undefined);
  const s = Math.min(1, ...caps);
  return { sx: s, sy: s, width: scaled(w, s), height: scaled(h, s), align };
}

function intersect(a0: number, a1: number, b0: number, b1: number): [number, number] {
  return [Math.max(a0, b0), Math.min(a1, b1)];
}

/**
 * The view command that sized a reply refused as too large, so the usage error names it: `rect=`
 * (the tile is the reply), else `scl=`, else the larger of `wid=`/`hei=`, else `rgn=`; none when
 * the reply has the composite's own size (then the layer commands or the source sized it).
 */
function sizingCommand(v: ViewCommands): { command: string; value: string } | undefined {
  if (v.rect !== undefined) {
    const r = v.rect.rect;
    return { command: 'rect', value: `${r.x},${r.y},${r.w},${r.h}${v.rect.scale === 1 ? '' : `,${v.rect.scale}`}` };
  }
  if (v.scl !== undefined) {
    return { command: 'scl', value: String(v.scl) };
  }
  if (v.wid !== undefined && (v.hei === undefined || v.wid >= v.hei)) {
    return { command: 'wid', value: String(v.wid) };
  }
  if (v.hei !== undefined) {
    return { command: 'hei', value: String(v.hei) };
  }
  const g = v.rgn;
  return g === undefined ? undefined : { command: 'rgn', value: `${g.x},${g.y},${g.w},${g.h}` };
}

function tooLarge(v: ViewCommands, detail: string): ImageServingError {
  const named = sizingCommand(v);
  return new ImageServingError('IMG_TOO_LARGE', named === undefined ? detail : `${named.command}=${named.value}: ${detail}`, named ?? {});
}

/** Where the region sits on the view image (scale and offset) and the window of it that is the reply. */
interface Placement {
  sx: number;
  sy: number;
  ox: number;
  oy: number;
  win: Rect;
}

/** Scales the canvas by `rect=`'s scale, refuses a view image no server can address, aligns the region on it and picks the reply window. */
function placeRegion(roi: Rect, c: Canvas, v: ViewCommands): Placement {
  const rectScale = v.rect?.scale ?? 1;
  const sx = c.sx * rectScale;
  const sy = c.sy * rectScale;
  const canvasW = Math.max(1, Math.round(c.width * rectScale));
  const canvasH = Math.max(1, Math.round(c.height * rectScale));
  if (canvasW > MAX_VIEW_SIDE || canvasH > MAX_VIEW_SIDE) {
    throw tooLarge(v, `view image ${canvasW}x${canvasH} has a side over ${MAX_VIEW_SIDE} pixels`);
  }
  const roiW = scaled(roi.w, sx);
  const roiH = scaled(roi.h, sy);
  const ox = Math.round(((canvasW - roiW) * (c.align.h + 1)) / 2);
  const oy = Math.round(((canvasH - roiH) * (c.align.v + 1)) / 2);
  const win = v.rect?.rect ?? { x: 0, y: 0, w: canvasW, h: canvasH };
  return { sx, sy, ox, oy, win };
}

/** The reply checks: `attribute::MaxPix` per side, then the server's IS::MaxRenderRgnPixels on the area. */
function checkReply(v: ViewCommands, win: Rect, limits: ViewLimits): void {
  const maxW = limits.maxPix.w;
  const maxH = limits.maxPix.h;
  if ((maxW > 0 && win.w > maxW) || (maxH > 0 && win.h > maxH)) {
    throw tooLarge(v, `reply ${win.w}x${win.h} exceeds MaxPix ${maxW},${maxH}`);
  }
  if (win.w * win.h > limits.maxReplyPixels) {
    throw tooLarge(v, `reply ${win.w}x${win.h} exceeds the server limit of ${limits.maxReplyPixels} pixels`);
  }
}

/** A reply of padding only: no pixel of the composite falls in the window. */
function emptyPlan(win: Rect, scale: number): ViewPlan {
  return {
    source: undefined,
    resize: { w: 1, h: 1 },
    extract: { x: 0, y: 0, w: 0, h: 0 },
    width: win.w,
    height: win.h,
    scale,
    pad: { top: 0, left: win.w, bottom: win.h, right: 0 },
  };
}

/**
 * The plan for the part of the composite inside the region (`[x0, x1)`×`[y0, y1)`): its content
 * edges on the view image, the part of them inside the reply window, and the padding around it.
 */
function cutWindow(roi: Rect, [inX0, inX1]: [number, number], [inY0, inY1]: [number, number], p: Placement): ViewPlan {
  const { sx, sy, ox, oy, win } = p;
  // Content edges in canvas coordinates, rounded once so adjacent edges never leave a gap.
  const cx0 = ox + Math.round((inX0 - roi.x) * sx);
  const cx1 = Math.max(cx0 + 1, ox + Math.round((inX1 - roi.x) * sx));
  const cy0 = oy + Math.round((inY0 - roi.y) * sy);
  const cy1 = Math.max(cy0 + 1, oy + Math.round((inY1 - roi.y) * sy));
  const [kx0, kx1] = intersect(cx0, cx1, win.x, win.x + win.w);
  const [ky0, ky1] = intersect(cy0, cy1, win.y, win.y + win.h);
  if (kx1 <= kx0 || ky1 <= ky0) {
    return emptyPlan(win, Math.max(sx, sy));
  }
  return {
    source: { x: inX0, y: inY0, w: inX1 - inX0, h: inY1 - inY0 },
    resize: { w: cx1 - cx0, h: cy1 - cy0 },
    extract: { x: kx0 - cx0, y: ky0 - cy0, w: kx1 - kx0, h: ky1 - ky0 },
    pad: { left: kx0 - win.x, top: ky0 - win.y, right: win.x + win.w - kx1, bottom: win.y + win.h - ky1 },
    width: win.w,
    height: win.h,
    scale: Math.max(sx, sy),
  };
}

/**
 * The view transform of image-serving.md §3.1 for a composite of `width`×`height` pixels:
 * `rgn=` region, scale from wid/hei/scl/fit (or DefaultPix / thumbnail rules), placement by
 * `align=`, `rect=` tile, then the reply checks (MaxPix, IS::MaxRenderRgnPixels). Pure arithmetic, no sharp: unit-tested to the pixel.
 * @param thumb thumbnail rules for `req=tmb`, `undefined` for image requests.
 */
export function planView(width: number, height: number, v: ViewCommands, limits: ViewLimits, thumb?: ThumbRules): ViewPlan {
  const roi: Rect = v.rgn ?? { x: 0, y: 0, w: width, h: height };
  const c = thumb ? thumbCanvas(roi.w, roi.h, v, thumb) : viewCanvas(roi.w, roi.h, v, limits);
  const place = placeRegion(roi, c, v);
  checkReply(v, place.win, limits);
  const xs = intersect(roi.x, roi.x + roi.w, 0, width);
  const ys = intersect(roi.y, roi.y + roi.h, 0, height);
  if (xs[1] <= xs[0] || ys[1] <= ys[0]) {
    return emptyPlan(place.win, Math.max(place.sx, place.sy));
  }
  return cutWindow(roi, xs, ys, place);
}

import type { PixelBox } from '../commands/render-spec';
import { planView, type ThumbRules, type ViewCommands, type ViewLimits, type ViewPlan } from './view-transform';

/** Attempts at shrinking the ratio when rounding put the multiplied reply a pixel over a limit. */
const FIT_ATTEMPTS = 4;

const times = (n: number, f: number): number => Math.max(1, Math.floor(n * f));
const box = (b: PixelBox, f: number): PixelBox => ({ w: b.w === 0 ? 0 : times(b.w, f), h: b.h === 0 ? 0 : times(b.h, f) });

/**
 * The view commands of a request seen at device pixel ratio `f` (`dpr=`, image-serving.md §3.5,
 * `CMD/r-dpr.md`): the requested size is multiplied — `wid`, `hei`, the `rect=` tile, and when
 * the request gives no size the `DefaultPix` (or thumbnail) box — and `scl=` divided. `rgn=` is in
 * composite pixels and stays. Sizes are rounded down so a ratio chosen to meet a limit stays under it.
 */
export function viewAtDpr(v: ViewCommands, f: number): ViewCommands {
  const r = v.rect?.rect;
  return {
    ...v,
    ...(v.wid !== undefined ? { wid: times(v.wid, f) } : {}),
    ...(v.hei !== undefined ? { hei: times(v.hei, f) } : {}),
    ...(v.scl !== undefined ? { scl: v.scl / f } : {}),
    ...(r !== undefined && v.rect !== undefined
      ? { rect: { rect: { x: Math.floor(r.x * f), y: Math.floor(r.y * f), w: times(r.w, f), h: times(r.h, f) }, scale: v.rect.scale } }
      : {}),
  };
}

/** The largest ratio ≤ `dpr` that keeps a `width`×`height` reply (at ratio 1) within MaxPix and the reply pixel limit. */
export function cappedDpr(dpr: number, width: number, height: number, limits: Pick<ViewLimits, 'maxPix' | 'maxReplyPixels'>): number {
  const caps = [
    dpr,
    limits.maxPix.w > 0 ? limits.maxPix.w / width : Infinity,
    limits.maxPix.h > 0 ? limits.maxPix.h / height : Infinity,
    Math.sqrt(limits.maxReplyPixels / (width * height)),
  ];
  return Math.min(...caps);
}

const fits = (p: ViewPlan, l: ViewLimits): boolean =>
  (l.maxPix.w === 0 || p.width <= l.maxPix.w) && (l.maxPix.h === 0 || p.height <= l.maxPix.h) && p.width * p.height <= l.maxReplyPixels;

/**
 * The view plan of a request at device pixel ratio `dpr`. The request is planned at ratio 1 first,
 * with every check of {@link planView}: a request too large without `dpr=` stays an error. The
 * ratio is then capped so the reply stays within `MaxPix` and IS_MAX_RENDER_PIXELS, keeping the
 * aspect (Adobe: "MaxPix width is always recognized by maintaining the image's aspect ratio"),
 * instead of failing; a ratio below 1 shrinks the reply. The pixel budget and the pyramid level a
 * render reads follow from the plan, so they see the multiplied size.
 */
export function planViewAtDpr(width: number, height: number, v: ViewCommands, limits: ViewLimits, dpr: number, thumb?: ThumbRules): ViewPlan {
  const base = planView(width, height, v, limits, thumb);
  let f = cappedDpr(dpr, base.width, base.height, limits);
  if (f === 1) {
    return base;
  }
  const unlimited: ViewLimits = { ...limits, maxPix: { w: 0, h: 0 }, maxReplyPixels: Infinity };
  for (let attempt = 0; attempt < FIT_ATTEMPTS; attempt++) {
    const scaledLimits = { ...unlimited, defaultPix: box(limits.defaultPix, f) };
    const scaledThumb = thumb === undefined ? undefined : { ...thumb, box: box(thumb.box, f) };
    let plan: ViewPlan;
    try {
      plan = planView(width, height, viewAtDpr(v, f), scaledLimits, scaledThumb);
    } catch {
      return base;
    }
    if (fits(plan, limits)) {
      return plan;
    }
    // Rounding of the side derived from the aspect put it a pixel over: shrink by the overshoot.
    f = Math.min(f * 0.999, f * cappedDpr(1, plan.width, plan.height, limits));
    if (f <= 1 && dpr > 1) {
      return base;
    }
  }
  return base;
}

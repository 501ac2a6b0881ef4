import { ImageServingError } from '@openexp/errors';
import { colorToHex } from '../commands/color';
import type { RenderSpec } from '../commands/render-spec';
import { cropRect, cropWindow, extendedSize, hasLayerCommands, layerSize, rotateAngle, rotatedSize } from './layer-stage';
import { planViewAtDpr } from './device-pixel-ratio';
import type { RenderJob } from './render-types';
import { planView, type ViewPlan } from './view-transform';

/**
 * How many times its own pixels an intermediate image of a render may hold. A render's own pixels
 * are the larger of the source pixels it decodes and the pixels of its reply: what any render
 * of that reply from that source costs. 4 lets a layer be upscaled 2× on each side (`scale=2`),
 * rotated (a 45° turn of a 3:2 photo doubles its canvas) or given margins without asking for
 * a larger reply, and stops a 100-pixel reply from making the server hold a layer of 50000×50000
 * (issue 14: `size=50000,50000&wid=100` grew the process to 5 GB and crashed it).
 */
export const BUDGET_FACTOR = 4;

/**
 * Pixels every render may use for its intermediate images, however small its source and reply:
 * 2000×2000, 16 MB as RGBA. Templates (`size=300,300&bgc=…`, a canvas with no source) and small
 * sources keep room for margins and rotation.
 */
export const BUDGET_FLOOR_PIXELS = 4_000_000;

/**
 * Work a blur may do, in reply pixels × Gaussian sigma. libvips's blur costs about that product
 * (measured on this project's 2-core machine: 10 ms per unit of sigma over 4 Mpx), so an extreme
 * `op_blur=` (radius 100 at `scl=0.001` is sigma 50,000 in view pixels) would keep a render
 * busy for minutes: a 2000×2000 tile at sigma 1000 gave no reply within 30 s. 10^8 is sigma 25
 * over 4 Mpx, 100 over 1 Mpx, the former cap of 1000 up to 0.1 Mpx: about a quarter of a second.
 */
export const BLUR_WORK_LIMIT = 100_000_000;

/**
 * Gaussian sigma, in view pixels, of `op_blur=radius` (a radius in full-resolution pixels, scaled
 * with the image, §3.2; sigma ≈ radius / 2), at least 0.3 (libvips's smallest useful one) and at
 * most 1000 or what {@link BLUR_WORK_LIMIT} allows for a reply of `replyPixels`.
 */
export function blurSigma(radius: number, viewScale: number, replyPixels: number): number {
  const cap = Math.min(1000, BLUR_WORK_LIMIT / Math.max(1, replyPixels));
  return Math.max(0.3, Math.min(cap, (radius * viewScale) / 2));
}

/** Limits the budget is computed from (the pipeline's, from IS_MAX_INPUT_PIXELS and IS_MAX_RENDER_PIXELS). */
export interface BudgetLimits {
  /** IS_MAX_INPUT_PIXELS: no intermediate image is ever larger than a source may be. */
  maxInputPixels: number;
  /** IS_MAX_RENDER_PIXELS (IS::MaxRenderRgnPixels): largest reply. */
  maxReplyPixels: number;
}

/** An image the pipeline holds in memory before the view transform, and the command that sized it. */
export interface StageImage {
  /** `layer` (crop + size/scale), `rotate` (the grown canvas), `extend` (margins), `canvas` (a template's `size=`). */
  stage: 'layer' | 'rotate' | 'extend' | 'canvas';
  /** Lower-case command name as in the command table, e.g. `size`. */
  command: string;
  /** The command's value as the server read it, e.g. `50000,50000`. */
  value: string;
  width: number;
  height: number;
}

/** Sizes of every image of one render, computed from the commands before sharp allocates anything. */
export interface RenderStages {
  /** Images held in memory before the view transform, in pipeline order (none when the view reads the source). */
  images: StageImage[];
  /** What the view transform reads. */
  composite: { width: number; height: number };
  /** The reply's view plan (size, and the part of the composite it reads). */
  view: ViewPlan;
  /** Source pixels decoded to build the layer (0 when the view reads the source itself, or for a canvas). */
  sourcePixels: number;
  /** Largest number of pixels any of {@link images} may have: see {@link pixelBudget}. */
  budget: number;
}

/** What a render starts from: a source image (header facts) or a template's blank canvas. */
export type RenderInput = { kind: 'source'; width: number; height: number } | { kind: 'canvas'; width: number; height: number };

/**
 * The view plan of a job for a composite of `width`×`height` (§3.1, thumbnail rules for `req=tmb`),
 * at the job's device pixel ratio (`dpr=on,<ratio>`, capped by MaxPix and the reply limit).
 */
export function planJobView(width: number, height: number, job: RenderJob, maxReplyPixels: number): ViewPlan {
  const d = job.defaults;
  const limits = { defaultPix: d.defaultPix, maxPix: d.maxPix, maxReplyPixels };
  const thumb = job.thumbnail ? { box: d.defaultThumbPix, type: d.thumbType, align: d.thumbAlign } : undefined;
  const dpr = job.spec.dpr?.on === true ? (job.spec.dpr.ratio ?? 1) : 1;
  return dpr === 1 ? planView(width, height, job.spec, limits, thumb) : planViewAtDpr(width, height, job.spec, limits, dpr, thumb);
}

/**
 * The pixel budget of a render: `min(IS_MAX_INPUT_PIXELS, max(BUDGET_FLOOR_PIXELS,
 * BUDGET_FACTOR × max(source pixels decoded, reply pixels)))`. Every image the pipeline holds
 * before the view (layer, rotated canvas, extended canvas, template canvas) must fit in it. The
 * view image a `rect=` tile is cut from is not held (libvips computes only the tile), so it is
 * bounded by the reply checks of {@link planView} instead.
 */
export function pixelBudget(sourcePixels: number, replyPixels: number, limits: BudgetLimits): number {
  return Math.min(limits.maxInputPixels, Math.max(BUDGET_FLOOR_PIXELS, BUDGET_FACTOR * Math.max(sourcePixels, replyPixels)));
}

function layerCommand(s: RenderSpec): { command: string; value: string } {
  if (s.size !== undefined && (s.size.w > 0 || s.size.h > 0)) {
    return { command: 'size', value: `${s.size.w},${s.size.h}` };
  }
  if (s.scale !== undefined) {
    // After withRes (res-scale.ts) `res` is left only when the scale came from it.
    return s.res === undefined ? { command: 'scale', value: String(s.scale) } : { command: 'res', value: String(s.res) };
  }
  if (s.crop !== undefined) {
    const r = s.crop.rect;
    return { command: s.crop.normalized ? 'cropn' : 'crop', value: `${r.x},${r.y},${r.w},${r.h}` };
  }
  // flip=, rotate=, extend= or bgColor= without crop/size/scale: the layer is the source as it is.
  if (s.flip !== undefined) {
    return { command: 'flip', value: s.flip.lr ? (s.flip.ud ? 'lrud' : 'lr') : 'ud' };
  }
  if (s.rotate !== undefined) {
    return { command: 'rotate', value: String(s.rotate) };
  }
  if (s.extend !== undefined) {
    const e = s.extend;
    return { command: 'extend', value: `${e.l},${e.t},${e.r},${e.b}` };
  }
  return { command: 'bgcolor', value: s.bgColor === undefined ? '' : colorToHex(s.bgColor) };
}

/** The images the layer pass holds (see `ImagePipelineRepository.layers`), in order. */
export function layerImages(s: RenderSpec, width: number, height: number): StageImage[] {
  const size = layerSize(s, cropRect(s, width, height));
  const images: StageImage[] = [{ stage: 'layer', ...layerCommand(s), width: size.w, height: size.h }];
  let { w, h } = size;
  const angle = rotateAngle(s);
  if (angle !== 0) {
    ({ w, h } = rotatedSize(w, h, angle));
    images.push({ stage: 'rotate', command: 'rotate', value: String(s.rotate), width: w, height: h });
  }
  if (s.extend !== undefined) {
    const e = s.extend;
    ({ w, h } = extendedSize(w, h, e));
    images.push({ stage: 'extend', command: 'extend', value: `${e.l},${e.t},${e.r},${e.b}`, width: w, height: h });
  }
  return images;
}

/**
 * The view plan; a reply refused as too large that no view command sized (it has the composite's
 * size) names the layer command that made the composite that large.
 */
function planReply(composite: { width: number; height: number }, job: RenderJob, limits: BudgetLimits, last: StageImage | undefined): ViewPlan {
  try {
    return planJobView(composite.width, composite.height, job, limits.maxReplyPixels);
  } catch (error) {
    if (!(error instanceof ImageServingError) || error.command !== undefined || last === undefined) {
      throw error;
    }
    throw new ImageServingError(error.code, `${last.command}=${last.value}: ${error.detail}`, { command: last.command, value: last.value });
  }
}

/** `IMG_TOO_LARGE` naming the command that sized `image`. */
export function overBudget(image: StageImage, budget: number, why: string): ImageServingError {
  const pixels = image.width * image.height;
  return new ImageServingError(
    'IMG_TOO_LARGE',
    `${image.command}=${image.value}: the ${image.stage} image ${image.width}x${image.height} (${pixels} pixels) exceeds ${why} of ${budget} pixels`,
    { command: image.command, value: image.value },
  );
}

/** True unless `pixels` is a number no larger than `limit` (NaN and Infinity never fit). */
export const exceeds = (pixels: number, limit: number): boolean => !(pixels <= limit);

/**
 * Computes the size of every image a render will hold, and refuses the render, before sharp
 * allocates anything, when one is over its pixel budget ({@link pixelBudget}) — with
 * `IMG_TOO_LARGE` (class 2, "Image too large", 403) naming the command that sized that image.
 * A reply over `MaxPix` or IS_MAX_RENDER_PIXELS is refused by the view plan with the same code.
 * Pure arithmetic over the validated commands: unit-tested to the pixel in `pixel-budget.spec.ts`.
 */
export function checkPixelBudget(job: RenderJob, input: RenderInput, limits: BudgetLimits): RenderStages {
  const s = job.spec;
  let images: StageImage[] = [];
  let composite = { width: input.width, height: input.height };
  let sourcePixels = 0;
  if (input.kind === 'canvas') {
    images = [{ stage: 'canvas', command: 'size', value: `${input.width},${input.height}`, width: input.width, height: input.height }];
  } else if (hasLayerCommands(s)) {
    const window = cropWindow(s, input.width, input.height);
    if (window === undefined) {
      images = layerImages(s, input.width, input.height);
      const last = images[images.length - 1] as StageImage;
      composite = { width: last.width, height: last.height };
      sourcePixels = input.width * input.height;
    } else {
      composite = { width: window.w, height: window.h };
    }
  }
  // Nothing held may be larger than a source may be: this also keeps NaN and absurd sizes out of the view math.
  const hard = images.find((i) => exceeds(i.width * i.height, limits.maxInputPixels));
  if (hard !== undefined) {
    throw overBudget(hard, limits.maxInputPixels, 'the server limit (IS_MAX_INPUT_PIXELS)');
  }
  const view = planReply(composite, job, limits, images[images.length - 1]);
  const budget = pixelBudget(sourcePixels, view.width * view.height, limits);
  const over = images.find((i) => exceeds(i.width * i.height, budget));
  if (over !== undefined) {
    throw overBudget(over, budget, `this request's pixel budget (${BUDGET_FACTOR} × the larger of its source and reply pixels, at least ${BUDGET_FLOOR_PIXELS})`);
  }
  return { images, composite, view, sourcePixels, budget };
}

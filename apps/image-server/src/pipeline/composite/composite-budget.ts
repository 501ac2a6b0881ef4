import { COMPOSITE_LAYER } from '@openexp/catalogs';
import { ImageServingError } from '@openexp/errors';
import type { RenderSpec } from '../../commands/render-spec';
import { hasLayerCommands } from '../layer-stage';
import { BUDGET_FACTOR, BUDGET_FLOOR_PIXELS, exceeds, layerImages, overBudget, pixelBudget, planJobView, type BudgetLimits, type StageImage } from '../pixel-budget';
import type { RenderJob } from '../render-types';
import type { ViewPlan } from '../view-transform';
import { inLayer } from './layer-errors';

/** One layer as the budget sees it: its commands, its source size, the pixels it decodes. */
export interface BudgetLayer {
  layer: string;
  spec: RenderSpec;
  source: { width: number; height: number };
  /** The command that named the source (`src=…`), for messages about a layer without size commands. */
  sourceCommand: { command: string; value: string };
  sourcePixels: number;
  /** Its effect layers: each holds a plane of the layer's final size plus `pad` on every side. */
  effects?: readonly { key: string; n: number; pad: number }[];
}

/** A stage image named by the command as written: `sizeN=`/`extendN=` rather than the `size=`/`extend=` they were resolved into. */
function asWritten(image: StageImage, spec: RenderSpec): StageImage {
  const n = spec.sizeN;
  const e = spec.extendN;
  if (n !== undefined && image.command === 'size') {
    return { ...image, command: 'sizen', value: `${n.w},${n.h}` };
  }
  return e !== undefined && image.command === 'extend' ? { ...image, command: 'extendn', value: `${e.l},${e.t},${e.r},${e.b}` } : image;
}

function imagesOf(l: BudgetLayer): { layer: string; image: StageImage }[] {
  const own = hasLayerCommands(l.spec)
    ? layerImages(l.spec, l.source.width, l.source.height).map((image) => asWritten(image, l.spec))
    : [{ stage: 'layer' as const, ...l.sourceCommand, width: l.source.width, height: l.source.height }];
  const last = own[own.length - 1] as StageImage;
  const effects = (l.effects ?? []).map((e) => ({
    layer: e.key,
    image: { stage: 'layer' as const, command: 'effect', value: String(e.n), width: last.width + 2 * e.pad, height: last.height + 2 * e.pad },
  }));
  return [...own.map((image) => ({ layer: l.layer, image })), ...effects];
}

/** The view plan; a reply refused as too large that no view command sized names the layer 0 command that sized the composite (as for a single image). */
function planCompositeView(job: RenderJob, canvas: { width: number; height: number }, limits: BudgetLimits, last: StageImage | undefined): ViewPlan {
  try {
    return planJobView(canvas.width, canvas.height, job, limits.maxReplyPixels);
  } catch (error) {
    if (!(error instanceof ImageServingError) || error.command !== undefined || last === undefined) {
      throw error;
    }
    throw new ImageServingError(error.code, `${last.command}=${last.value}: ${error.detail}`, { command: last.command, value: last.value });
  }
}

/**
 * The pixel budget of a composite (issue 14's rule, every layer counted): every image a layer
 * holds (its sized raster, rotated and extended canvases) must fit in IS_MAX_INPUT_PIXELS and in
 * `pixelBudget(pixels decoded by all layers, reply pixels)`; the refusal (`IMG_TOO_LARGE`) names
 * the layer and the command. Checked before any pixel is decoded. Returns the reply's view plan.
 */
export function checkCompositeBudget(job: RenderJob, layers: readonly BudgetLayer[], canvas: { width: number; height: number }, limits: BudgetLimits): ViewPlan {
  const images = layers.flatMap(imagesOf);
  const hard = images.find((i) => exceeds(i.image.width * i.image.height, limits.maxInputPixels));
  if (hard !== undefined) {
    throw inLayer(hard.layer, overBudget(hard.image, limits.maxInputPixels, 'the server limit (IS_MAX_INPUT_PIXELS)'));
  }
  const view = planCompositeView(job, canvas, limits, images.filter((i) => i.layer === COMPOSITE_LAYER).at(-1)?.image);
  const decoded = layers.reduce((sum, l) => sum + l.sourcePixels, 0);
  const budget = pixelBudget(decoded, view.width * view.height, limits);
  const over = images.find((i) => exceeds(i.image.width * i.image.height, budget));
  if (over !== undefined) {
    const why = `this request's pixel budget (${BUDGET_FACTOR} × the larger of its source and reply pixels, at least ${BUDGET_FLOOR_PIXELS})`;
    throw inLayer(over.layer, overBudget(over.image, budget, why));
  }
  return view;
}

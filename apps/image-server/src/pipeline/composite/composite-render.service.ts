import { Inject, Injectable } from '@nestjs/common';
import { COMPOSITE_LAYER, type ResolvedRequest } from '@openexp/catalogs';
import { ImageServingError } from '@openexp/errors';
import { buildRenderSpec } from '../../commands/build-render-spec';
import { buildLayerSpec, effectKeys, layerKeys } from '../../commands/layer-specs';
import { renderDefaults } from '../../commands/render-defaults';
import { withRes } from '../../commands/res-scale';
import type { BlendMode, RenderSpec } from '../../commands/render-spec';
import { ImagePipelineRepository } from '../image-pipeline.repository';
import { hasLayerCommands, TRANSPARENT } from '../layer-stage';
import { PIPELINE_LIMITS, type LayerRaster, type PipelineLimits, type Raster, type RenderJob } from '../render-types';
import { checkCompositeBudget } from './composite-budget';
import { CompositeRasterRepository, type Overlay } from './composite-raster.repository';
import { cropPlane, EFFECT_COMMANDS, effectBlend, effectPad, effectRaster, effectShift, effectSigma, maskPlane, type EffectLayer } from './effects';
import { withLayer } from './layer-errors';
import { layerGeometry, layerOffset, layerOrigin } from './layer-placement';
import { LayerSources, type LayerSourceInput, type PreparedLayerSource } from './layer-sources';
import { applyOpacity, clipToCanvas, dissolve, solidRaster } from './raster-ops';

/** Commands that make a request a composite even without `layer=1` (layer 0's own source, mask, opacity …). */
const COMPOSITE_COMMANDS = new Set(['src', 'mask', 'color', 'text', 'textps', 'opac', 'hide', 'maskuse', 'blendmode', 'anchor', 'anchorn', 'origin', 'originn', 'sizen', 'extendn']);

/** Nesting depth beyond which a request is refused whatever the nested-request rules say (a guard against unbounded recursion). */
export const MAX_COMPOSITE_DEPTH = 8;

/**
 * True when the request needs the compositing engine: it has layers besides layer 0, layer 0
 * names its own source, colour, mask or opacity, or the object is a record with a `MaskPath`.
 * Any other request renders on the single-image path, unchanged.
 */
export function needsComposite(req: ResolvedRequest): boolean {
  return req.object.maskPath !== null || req.commands.some((c) => c.layer !== COMPOSITE_LAYER || COMPOSITE_COMMANDS.has(c.name));
}

/** Where a composite is prepared: its nesting depth, and whether default images may stand in for missing layer sources. */
interface Nesting {
  depth: number;
  noDefaultImages: boolean;
}

/** A layer of a composite, prepared. */
interface PreparedLayer {
  layer: string;
  spec: RenderSpec;
  source: PreparedLayerSource;
  /** Its effect layers, lowest number first. */
  effects: EffectLayer[];
}

/** One layer of a prepared composite, described. */
export interface LayerSummary {
  layer: string;
  kind: PreparedLayerSource['kind'];
  /** The command that named its source (`src`, `color`, `text`), or `src` with the path object for layer 0. */
  source: { command: string; value: string };
  /** Its layer rectangle after crop, size, rotate and extend. */
  width: number;
  height: number;
  hidden: boolean;
}

/** A composite, checked (sources found, values valid, pixel budget kept) and ready to draw. */
export interface PreparedComposite {
  /** Every layer's source key: with the request string, it names the reply in the result cache (and so the ETag). */
  key: string;
  /** The composite's size (layer 0's layer rectangle). */
  canvas: { width: number; height: number };
  /** Pixels decoded by all layers. */
  sourcePixels: number;
  /** Each layer (layer 0 first, `comp`), for `req=imageprops`: its source kind, what named it, its layer rectangle. */
  layers: readonly LayerSummary[];
  /** Draws the composite (under render admission: the caller's): RGB when it is opaque (see `CompositeRasterRepository.composite`), else RGBA. */
  draw(): Promise<Raster>;
}

/**
 * Multi-layer compositing (image-serving.md §1.6 step 8, §3.2, §3.5; issue 15 item 2): layer 0
 * sets the composite's size (its layer rectangle, `size=` on `comp`); each further layer is drawn
 * from its source (see {@link LayerSources}), transformed in §1.6 order (crop, size/scale, flip,
 * rotate, extend, bgColor, opac, hide), placed with its origin on layer 0's origin plus `pos=`,
 * and blended (`blendMode=`). The view transform and encoding then run on the composite exactly
 * as on a single image.
 */
@Injectable()
export class CompositeRenderService {
  constructor(
    private readonly sources: LayerSources,
    private readonly rasters: CompositeRasterRepository,
    private readonly pipeline: ImagePipelineRepository,
    @Inject(PIPELINE_LIMITS) private readonly limits: PipelineLimits,
  ) {}

  /**
   * Checks and prepares every layer of `req` (a bad value or a missing source fails here, naming
   * its layer), and the pixel budget. `job.spec` holds the composite's and layer 0's commands.
   */
  async prepare(req: ResolvedRequest, job: RenderJob, depth = 0): Promise<PreparedComposite> {
    if (depth > MAX_COMPOSITE_DEPTH) {
      throw new ImageServingError('IMG_INVALID_COMMAND_VALUE', `src=${req.pathObject}: nested requests deeper than ${MAX_COMPOSITE_DEPTH} levels`, { command: 'src', value: req.pathObject });
    }
    const at: Nesting = { depth, noDefaultImages: job.noDefaultImages === true };
    const base = await this.prepareBase(req, job.spec, at);
    const baseSpec = withExtendN(withSizeN(job.spec, base.source), base.source);
    const g = layerGeometry(baseSpec, base.source);
    const canvas = { width: g.final.w, height: g.final.h };
    const layers: PreparedLayer[] = [{ layer: COMPOSITE_LAYER, spec: baseSpec, source: base, effects: effectsOf(req, COMPOSITE_LAYER) }];
    for (const layer of layerKeys(req)) {
      const spec = withSizeN(withRes(buildLayerSpec(req, layer), req, layer), canvas);
      const source = await withLayer(layer, () => this.sources.prepare(this.input(req, layer, spec, at, canvas)));
      layers.push({ layer, spec: withExtendN(spec, source.source), source, effects: effectsOf(req, layer) });
    }
    const budgetLayers = layers.map((l) => ({
      layer: l.layer,
      spec: l.spec,
      source: l.source.source,
      sourcePixels: l.source.sourcePixels,
      sourceCommand: sourceCommand(req, l.layer),
      effects: l.effects.map((e) => ({ key: e.key, n: e.n, pad: effectPad(e.spec) })),
    }));
    checkCompositeBudget(job, budgetLayers, canvas, this.limits);
    return {
      key: layers.map((l) => `${l.layer}:${l.source.kind}:${l.source.key}`).join('|'),
      canvas,
      sourcePixels: budgetLayers.reduce((sum, l) => sum + l.sourcePixels, 0),
      layers: layers.map((l, i) => summary(l, budgetLayers[i]?.sourceCommand ?? { command: 'src', value: '' })),
      draw: () => this.draw(layers),
    };
  }

  /** Layer 0's source; with `sizeN=` (fractions of its own source, as it has no composite above it) prepared again at that size. */
  private async prepareBase(req: ResolvedRequest, spec: RenderSpec, at: Nesting): Promise<PreparedLayerSource> {
    const prepare = (s: RenderSpec) => withLayer(COMPOSITE_LAYER, () => this.sources.prepare(this.input(req, COMPOSITE_LAYER, s, at, undefined)));
    const first = await prepare(spec);
    return spec.sizeN === undefined ? first : prepare(withSizeN(spec, first.source));
  }

  private input(request: ResolvedRequest, layer: string, spec: RenderSpec, at: Nesting, canvas: LayerSourceInput['canvas']): LayerSourceInput {
    const prepareRequest = (nested: ResolvedRequest) => this.prepareNested(nested, { ...at, depth: at.depth + 1 });
    return { layer, commands: request.layer(layer), spec, request, depth: at.depth, canvas, noDefaultImages: at.noDefaultImages, prepareRequest };
  }

  /** A nested request as a layer source: its composite after its view transform, RGBA (§3.5: no DefaultPix/MaxPix of its own). */
  private async prepareNested(req: ResolvedRequest, at: Nesting): Promise<PreparedLayerSource> {
    const defaults = { ...renderDefaults(req.attributes, req.object.record), defaultPix: { w: 0, h: 0 }, maxPix: { w: 0, h: 0 } };
    const job: RenderJob = { spec: withRes(buildRenderSpec(req.layer(), { thumbnail: false }), req), defaults, thumbnail: false, noDefaultImages: at.noDefaultImages };
    const composite = await this.prepare(req, job, at.depth);
    const view = checkCompositeBudget(job, [], composite.canvas, this.limits);
    return {
      kind: 'nested',
      key: `${req.resolvedString()}|${composite.key}`,
      source: { width: view.width, height: view.height },
      sized: false,
      sourcePixels: composite.sourcePixels,
      draw: async () => this.pipeline.viewRaster(await composite.draw(), job),
    };
  }

  private async draw(layers: readonly PreparedLayer[]): Promise<Raster> {
    const [base, ...rest] = layers as [PreparedLayer, ...PreparedLayer[]];
    // Layer 0 read as it is (no transforms, opacity, mask or effects): the others are blended onto its file in the pass that decodes it.
    const plain = !hasLayerCommands(base.spec) && base.spec.opac === undefined && base.spec.hide !== true && base.effects.length === 0;
    const direct = plain ? base.source.file : undefined;
    const rasters = await Promise.all(layers.map((l, i) => (l.spec.hide === true || (i === 0 && direct !== undefined) ? Promise.resolve(undefined) : this.layerRaster(l))));
    const g = layerGeometry(base.spec, base.source.source);
    const drawnBase = rasters[0];
    // Effects of layer 0 lie behind or over it: it is then placed on a transparent canvas like any layer.
    const baseOnCanvas = drawnBase !== undefined && base.effects.length > 0;
    const canvasRaster = direct ?? (baseOnCanvas ? solidRaster(drawnBase.width, drawnBase.height, TRANSPARENT) : drawnBase) ?? solidRaster(g.final.w, g.final.h, TRANSPARENT);
    const canvas = typeof canvasRaster === 'string' ? { width: g.final.w, height: g.final.h } : { width: canvasRaster.width, height: canvasRaster.height };
    const overlays: Overlay[] = baseOnCanvas ? await this.placed(base, drawnBase, { left: 0, top: 0 }, canvas, 0) : [];
    const baseOrigin = layerOrigin(base.spec, base.source.source, base.source.anchor);
    for (const [i, l] of rest.entries()) {
      const r = rasters[i + 1];
      if (r !== undefined) {
        const at = layerOffset(l.spec, layerOrigin(l.spec, l.source.source, l.source.anchor), baseOrigin, canvas);
        overlays.push(...(await this.placed(l, r, at, canvas, i + 1)));
      }
    }
    return withLayer(COMPOSITE_LAYER, () => this.rasters.composite(canvasRaster, overlays, direct !== undefined && base.source.opaque === true));
  }

  /** A layer and its effects placed on the canvas, bottom to top: outer effects, the layer, inner effects; each cut to the canvas. */
  private async placed(l: PreparedLayer, r: LayerRaster, at: { left: number; top: number }, canvas: { width: number; height: number }, seed: number): Promise<Overlay[]> {
    const out: Overlay[] = [];
    const put = (raster: LayerRaster, left: number, top: number, blend: BlendMode) => {
      if (blend === 'dissolve') {
        dissolve(raster, left, top, seed);
      }
      const p = clipToCanvas(raster, left, top, canvas);
      if (p !== undefined) {
        out.push({ ...p, blend });
      }
    };
    for (const e of l.effects.filter((fx) => fx.n < 0)) {
      const fx = await withLayer(e.key, () => this.effect(r, e));
      put(fx.raster, at.left + fx.dx, at.top + fx.dy, effectBlend(e.spec));
    }
    put(r, at.left, at.top, l.spec.blendMode ?? 'norm');
    for (const e of l.effects.filter((fx) => fx.n > 0)) {
      const fx = await withLayer(e.key, () => this.effect(r, e));
      put(fx.raster, at.left, at.top, effectBlend(e.spec));
    }
    return out;
  }

  /**
   * An effect's raster and its offset from the parent: an outer one is the parent's mask, blurred
   * (with a margin for the blur to fade out), moved by `pos=`; an inner one is the mask moved by
   * `pos=` inside the parent's frame, blurred, and kept only where the parent is opaque.
   */
  private async effect(parent: LayerRaster, e: EffectLayer): Promise<{ raster: LayerRaster; dx: number; dy: number }> {
    const shift = effectShift(e.spec, parent);
    const sigma = effectSigma(e.spec);
    const pad = effectPad(e.spec);
    const inner = e.n > 0;
    let plane = maskPlane(parent, e.spec.maskUse ?? 'norm', pad, inner ? shift : { x: 0, y: 0 });
    if (sigma > 0) {
      plane = { ...plane, data: await this.rasters.blurPlane(plane, sigma) };
    }
    if (inner) {
      return { raster: effectRaster(cropPlane(plane, pad, parent.width, parent.height), e.spec, parent), dx: 0, dy: 0 };
    }
    return { raster: effectRaster(plane, e.spec, undefined), dx: shift.x - pad, dy: shift.y - pad };
  }

  /** One layer's raster: its source, crop and size (unless the source did them), transforms, opacity. */
  private async layerRaster(l: PreparedLayer): Promise<LayerRaster> {
    let r = await withLayer(l.layer, () => l.source.draw());
    if (!l.source.sized) {
      r = await this.rasters.cropAndSize(r, l.spec);
    }
    r = await this.rasters.transform(r, l.spec);
    if (l.spec.opac !== undefined) {
      applyOpacity(r, l.spec.opac);
    }
    return r;
  }
}

function summary(l: PreparedLayer, source: { command: string; value: string }): LayerSummary {
  const { final } = layerGeometry(l.spec, l.source.source);
  return { layer: l.layer, kind: l.source.kind, source, width: final.w, height: final.h, hidden: l.spec.hide === true };
}

/** `sizeN=` as `size=`: fractions of `of` (the composite's size; for layer 0 its source's) in pixels (a 0 side stays 0: from the aspect ratio). */
function withSizeN(spec: RenderSpec, of: { width: number; height: number }): RenderSpec {
  const n = spec.sizeN;
  if (n === undefined) {
    return spec;
  }
  const side = (f: number, of: number) => (f === 0 ? 0 : Math.max(1, Math.round(f * of)));
  return { ...spec, size: { w: side(n.w, of.width), h: side(n.h, of.height) } };
}

/** `extendN=` as `extend=`: fractions of the layer's size after crop, size and rotate, in pixels. */
function withExtendN(spec: RenderSpec, source: { width: number; height: number }): RenderSpec {
  const n = spec.extendN;
  if (n === undefined) {
    return spec;
  }
  const { rotated } = layerGeometry(spec, source);
  return { ...spec, extend: { l: Math.round(n.l * rotated.w), t: Math.round(n.t * rotated.h), r: Math.round(n.r * rotated.w), b: Math.round(n.b * rotated.h) } };
}

/** A layer's effect layers with their commands (only those effects take; the others are ignored, as Adobe documents). */
function effectsOf(req: ResolvedRequest, layer: string): EffectLayer[] {
  return effectKeys(req, layer).map(({ key, n }) => ({ key, n, spec: buildLayerSpec(req, key, EFFECT_COMMANDS) }));
}

/** What named a layer's source, for messages: `src=…`, `color=…`, or the path object. */
function sourceCommand(req: ResolvedRequest, layer: string): { command: string; value: string } {
  const c = req.command('src', layer) ?? req.command('color', layer) ?? req.command('text', layer);
  return c === undefined ? { command: 'src', value: req.pathObject } : { command: c.name, value: c.value };
}

import { Injectable } from '@nestjs/common';
import { resolveObjectRequest, type ResolvedRequest } from '@openexp/catalogs';
import { ImageServingError } from '@openexp/errors';
import { buildRenderSpec } from '../../commands/build-render-spec';
import { commandScope } from '../../commands/command-table';
import { renderDefaults } from '../../commands/render-defaults';
import { withRes } from '../../commands/res-scale';
import type { BlendMode } from '../../commands/render-spec';
import type { LayerRaster, Raster, RenderJob } from '../render-types';
import { CompositeRasterRepository } from './composite-raster.repository';
import { CompositeRenderService } from './composite-render.service';
import { clipToCanvas, dissolve, withAlpha } from './raster-ops';

/** A watermark, checked (record, sources, pixel budget) and ready to lay over a composite. */
export interface PreparedWatermark {
  /** The watermark request and every source it reads: part of the reply's cache key (so its ETag). */
  readonly key: string;
  /** Pixels the watermark decodes. */
  readonly sourcePixels: number;
  /** The composite with the watermark laid over it (the target raster is not changed). */
  apply(target: Raster): Promise<Raster>;
}

/** How the watermark is laid over the target: `sizeN=`, `align=`, `blendMode=` of its layer 0. */
interface Placement {
  sizeN: { w: number; h: number } | undefined;
  align: { h: number; v: number };
  blend: BlendMode;
}

/** Largest `sizeN=` factor of a watermark (ten times the target). */
const MAX_SIZE_N = 10;

/**
 * `attribute::Watermark` (image-serving.md §4.2, §7; Adobe's "Watermarks"): the record it names
 * is rendered like any image (its own layers, `Modifier`, `opac=` of its layer 0) and laid over
 * the composite of every image reply of the catalog (`default.ini`'s: of every catalog that does
 * not set its own; an empty value switches it off) after the composite is built and before the
 * view transform, so it never covers the padding `wid=`/`hei=` add. Not on `req=tmb` replies,
 * nor inside nested requests. In the watermark record, request and view commands (`fmt=`, `wid=`
 * …) are ignored except `align=`, which places it on the target (`-1,-1` top-left, `0,0`
 * centre, the default); `sizeN=w,h` scales it to fit that fraction of the target keeping its
 * aspect (0 = from the other side; without it it keeps its pixel size); `blendMode=` of its
 * layer 0 blends it. A watermark that cannot be drawn fails the reply: an image is never served
 * without the watermark its catalog asks for.
 */
@Injectable()
export class WatermarkService {
  constructor(
    private readonly composites: CompositeRenderService,
    private readonly rasters: CompositeRasterRepository,
  ) {}

  /** True when a watermark goes on this reply: the catalog names one, and it is no thumbnail or nested request. */
  applies(req: ResolvedRequest, thumbnail: boolean): boolean {
    return !thumbnail && req.nestingDepth === 0 && (req.attributes.watermark ?? '') !== '';
  }

  /**
   * Resolves and prepares the watermark of `req`'s catalog (see {@link applies}).
   * @throws ImageServingError of the watermark record (`IMG_NOT_FOUND`, usage errors …), its detail prefixed `watermark <id>: `.
   */
  async prepare(req: ResolvedRequest): Promise<PreparedWatermark> {
    const ref = req.attributes.watermark ?? '';
    try {
      const wm = resolveObjectRequest({ rootId: req.catalog.rootId, object: ref }, req.catalogs);
      // Its own request and view commands are ignored, align= excepted (read below).
      // sizeN= places the watermark on its target (read below), it does not size the watermark's own layer 0.
      const own = wm.layer().filter((c) => commandScope(c.name) !== 'global' && c.name !== 'sizen');
      const defaults = { ...renderDefaults(wm.attributes, wm.object.record), defaultPix: { w: 0, h: 0 }, maxPix: { w: 0, h: 0 } };
      const job: RenderJob = { spec: withRes(buildRenderSpec(own, { thumbnail: false }), wm), defaults, thumbnail: false };
      const composite = await this.composites.prepare(wm, job, 1);
      const placement = placementOf(wm, job);
      return {
        key: `wm:${wm.resolvedString()}|${composite.key}`,
        sourcePixels: composite.sourcePixels,
        apply: async (target) => this.lay(withAlpha(await composite.draw()), target, placement),
      };
    } catch (error) {
      throw inWatermark(ref, error);
    }
  }

  private async lay(mark: LayerRaster, target: Raster, p: Placement): Promise<Raster> {
    let r = mark;
    if (p.sizeN !== undefined) {
      const size = { w: Math.round(p.sizeN.w * target.width), h: Math.round(p.sizeN.h * target.height) };
      r = await this.rasters.cropAndSize(r, { size: { w: Math.max(size.w, p.sizeN.w > 0 ? 1 : 0), h: Math.max(size.h, p.sizeN.h > 0 ? 1 : 0) } });
    }
    const left = Math.round(((target.width - r.width) * (p.align.h + 1)) / 2);
    const top = Math.round(((target.height - r.height) * (p.align.v + 1)) / 2);
    if (p.blend === 'dissolve') {
      dissolve(r, left, top, 0);
    }
    const placed = clipToCanvas(r, left, top, target);
    return placed === undefined ? target : this.rasters.composite(target, [{ ...placed, blend: p.blend }]);
  }
}

function placementOf(wm: ResolvedRequest, job: RenderJob): Placement {
  const align = buildRenderSpec(wm.layer().filter((c) => c.name === 'align'), { thumbnail: false }).align ?? { h: 0, v: 0 };
  return { sizeN: sizeNOf(wm.command('sizen')), align, blend: job.spec.blendMode ?? 'norm' };
}

/** `sizeN=w,h` of the watermark's layer 0: fractions of the target, 0 = from the other side. */
function sizeNOf(c: { originalName: string; value: string } | undefined): { w: number; h: number } | undefined {
  if (c === undefined) {
    return undefined;
  }
  const parts = c.value.split(',').map((p) => (/^\d*\.?\d+$/.test(p.trim()) ? Number(p) : NaN));
  const [w = NaN, h = NaN] = parts;
  if (parts.length !== 2 || !(w >= 0 && w <= MAX_SIZE_N && h >= 0 && h <= MAX_SIZE_N) || (w === 0 && h === 0)) {
    throw new ImageServingError('IMG_INVALID_COMMAND_VALUE', `${c.originalName}=${c.value}: expected w,h fractions of the target (0-${MAX_SIZE_N}, not both 0)`, { command: c.originalName, value: c.value });
  }
  return { w, h };
}

function inWatermark(ref: string, error: unknown): unknown {
  if (!(error instanceof ImageServingError)) {
    return error;
  }
  return new ImageServingError(error.code, `watermark ${ref}: ${error.detail}`, { command: error.command, value: error.value, path: error.path, cause: error });
}

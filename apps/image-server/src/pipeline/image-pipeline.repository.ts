import { Inject, Injectable } from '@nestjs/common';
import { ImageServingError } from '@openexp/errors';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import type { Rgba } from '../commands/color';
import { keepsAlpha } from './encoders';
import { applyCropAndSize, applyOrientAndExtend, cropMisses, cropRect, cropWindow, hasLayerCommands, layerSize, TRANSPARENT } from './layer-stage';
import { checkPixelBudget, planJobView } from './pixel-budget';
import { PIPELINE_LIMITS, type LayerRaster, type PipelineLimits, type Raster, type RenderedImage, type RenderJob, type SourceInfo } from './render-types';
import { chooseLevel, isNextLevel, pyramidLevels, type PyramidLevel } from './pyramid';
import { encodeReply } from './reply-encoding';
import { maskOf, viewFilters, viewGeometry } from './view-stage';
import type { ViewPlan } from './view-transform';

type Input =
  | { kind: 'encoded'; data: Buffer | string; page?: number }
  | { kind: 'raw'; data: Buffer; width: number; height: number; channels: 1 | 2 | 3 | 4 };

/**
 * What the view transform reads: the source itself, a window onto it (`crop=` alone), or the
 * layer composite (see {@link ImagePipelineRepository.layers}). `width`×`height` is what the view
 * sees.
 */
interface Composite {
  input: Input;
  width: number;
  height: number;
  alpha: boolean;
  /** For the source read as is: its size, the window's place in it, and its pyramid levels if any. */
  source?: {
    width: number;
    height: number;
    window: { x: number; y: number };
    levels: readonly PyramidLevel[] | undefined;
    label: string;
  };
}

/** Pages of a multi-page TIFF looked at for pyramid levels; 32 halvings reach one pixel from 2^32. */
const MAX_PYRAMID_PAGES = 32;

/**
 * The only place that talks to sharp (libvips): probes headers and renders replies
 * (decode → layer commands → view transform → filters → encode), on Buffers, never streams.
 */
@Injectable()
export class ImagePipelineRepository {
  constructor(@Inject(PIPELINE_LIMITS) private readonly limits: PipelineLimits) {}

  private open(input: Input): Sharp {
    const base: SharpOptions = { failOn: this.limits.failOn, limitInputPixels: this.limits.maxInputPixels, sequentialRead: true };
    return input.kind === 'encoded'
      ? sharp(input.data, input.page ? { ...base, page: input.page } : base)
      : sharp(input.data, { ...base, raw: { width: input.width, height: input.height, channels: input.channels } });
  }

  /**
   * Reads the header only: a decompression bomb (more pixels than `maxInputPixels`) is refused
   * here, before any pixel is decoded; an unreadable header is a decode error. A pyramid TIFF is
   * refused only when even its smallest level is too large: which level a reply may read is
   * decided per render.
   * @param data the encoded image, or the absolute path of the file (libvips reads only the header).
   * @param label the object path, shown in level-2 error messages only.
   */
  async probe(data: Buffer | string, label: string): Promise<SourceInfo> {
    let meta: Metadata;
    try {
      meta = await sharp(data, { failOn: this.limits.failOn, limitInputPixels: false }).metadata();
    } catch (cause) {
      throw sourceError(cause, label, 'IMG_DECODE_FAILED', `cannot read the image header of ${label}`);
    }
    const { width, height } = meta;
    if (!width || !height) {
      throw new ImageServingError('IMG_DECODE_FAILED', `image ${label} has no dimensions`, { path: label });
    }
    const levels = meta.format === 'tiff' && (meta.pages ?? 1) > 1 ? await this.levels(data, width, height, meta.pages ?? 1) : undefined;
    const smallest = levels?.[levels.length - 1] ?? { width, height };
    if (smallest.width * smallest.height > this.limits.maxInputPixels) {
      throw this.tooLarge(label, width, height);
    }
    return {
      width,
      height,
      format: meta.format ?? 'unknown',
      channels: meta.channels ?? 3,
      hasAlpha: meta.hasAlpha ?? false,
      density: meta.density,
      space: meta.space ?? 'srgb',
      hasProfile: meta.hasProfile ?? false,
      ...(levels === undefined ? {} : { levels }),
    };
  }

  /**
   * The pyramid levels of a multi-page TIFF (page headers only), or undefined when it is not a
   * pyramid. Pages are read until one does not halve the one before; an unreadable page ends the
   * pyramid there (the pages before it still serve).
   */
  private async levels(data: Buffer | string, width: number, height: number, pages: number): Promise<PyramidLevel[] | undefined> {
    const sizes = [{ width, height }];
    for (let page = 1; page < Math.min(pages, MAX_PYRAMID_PAGES); page++) {
      const meta = await sharp(data, { failOn: this.limits.failOn, limitInputPixels: false, page }).metadata().catch(() => undefined);
      const cur = { width: meta?.width ?? 0, height: meta?.height ?? 0 };
      if (!isNextLevel(sizes[sizes.length - 1] as { width: number; height: number }, cur)) {
        break;
      }
      sizes.push(cur);
    }
    return pyramidLevels(sizes);
  }

  /**
   * Writes the levels of a source as a tiled pyramid TIFF at `target`: 1/`reduce` of its size
   * first (1: the full-resolution level), then each half of the one before, down to one tile. A
   * JPEG is decoded with shrink-on-load when `reduce` allows it (4 or more: libjpeg scales while
   * decoding; sharp decodes in full for an exact halving). JPEG tiles (quality 90) for a JPEG
   * source, lossless (deflate) tiles for any other, which keeps alpha and 16-bit samples. Colour
   * is converted as for a reply (to sRGB), so a reply read from these levels matches one read
   * from the source.
   */
  async writeLevels(source: string, info: SourceInfo, target: string, reduce: number): Promise<void> {
    const lossless = info.format !== 'jpeg' || info.hasAlpha;
    const image = this.open({ kind: 'encoded', data: source });
    const size = { width: Math.max(1, Math.floor(info.width / reduce)), height: Math.max(1, Math.floor(info.height / reduce)) };
    await (reduce <= 1 ? image : image.resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' }))
      .tiff({ tile: true, pyramid: true, tileWidth: 256, tileHeight: 256, ...(lossless ? { compression: 'deflate', predictor: 'horizontal' } : { compression: 'jpeg', quality: 90 }) })
      .toFile(target);
  }

  /** The levels of a file written by {@link writeLevels}: its pages, largest first, each naming `file`. */
  async levelsOf(file: string): Promise<PyramidLevel[]> {
    const info = await this.probe(file, file);
    return (info.levels ?? [{ page: 0, width: info.width, height: info.height }]).map((level) => ({ ...level, file }));
  }

  private tooLarge(label: string, width: number, height: number): ImageServingError {
    return new ImageServingError('IMG_SOURCE_TOO_LARGE', `source ${label} is ${width}x${height}, more than ${this.limits.maxInputPixels} pixels`, { path: label });
  }

  /**
   * Renders one reply image. `info` comes from {@link probe} on the same source. A file path lets
   * libvips read the file itself, in its worker thread, without copying it into the JS heap.
   */
  async render(data: Buffer | string, info: SourceInfo, job: RenderJob, label: string): Promise<RenderedImage> {
    try {
      const composite = await this.layers({ kind: 'encoded', data }, info, job, label);
      return await this.view(composite, job);
    } catch (cause) {
      if (cause instanceof ImageServingError) {
        throw cause;
      }
      throw sourceError(cause, label, 'IMG_CORRUPT_SOURCE', `cannot decode ${label}`);
    }
  }

  /**
   * Renders a template record without an image file (`catalog::Path` empty): a transparent canvas
   * of `width`×`height` (its `size=`), then the view transform, which fills it with `bgc`.
   */
  async renderCanvas(width: number, height: number, job: RenderJob): Promise<RenderedImage> {
    const canvasJob = { ...job, spec: { ...job.spec, size: undefined, scale: undefined } };
    checkPixelBudget(canvasJob, { kind: 'canvas', width, height }, this.limits);
    const data = Buffer.alloc(width * height * 4);
    return this.view({ input: { kind: 'raw', data, width, height, channels: 4 }, width, height, alpha: true }, canvasJob);
  }

  /**
   * Renders a reply from a composite raster (multi-layer compositing): the view transform,
   * filters and encoding, exactly as for a single image.
   */
  async renderRaster(r: Raster, job: RenderJob): Promise<RenderedImage> {
    return this.view({ input: { kind: 'raw', data: r.data, width: r.width, height: r.height, channels: r.channels }, width: r.width, height: r.height, alpha: r.channels === 4 }, job);
  }

  /** A nested request's result (§3.5): the view transform and filters on its composite, as RGBA, not encoded, no `bgc`. */
  async viewRaster(r: Raster, job: RenderJob): Promise<LayerRaster> {
    const plan = planJobView(r.width, r.height, job, this.limits.maxReplyPixels);
    const input: Input = { kind: 'raw', data: r.data, width: r.width, height: r.height, channels: r.channels };
    const p = plan.source === undefined
      ? sharp({ create: { width: plan.width, height: plan.height, channels: 4, background: TRANSPARENT } })
      : viewGeometry(this.open(input), r, plan, job.spec.resMode ?? job.defaults.resMode, TRANSPARENT, true);
    const { data, info } = await viewFilters(p.ensureAlpha(), job, plan).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: 4 };
  }

  /**
   * Layer commands; returns the composite: the source itself when there are none, and a window
   * onto it for a `crop=` inside the source alone, so JPEG shrink-on-load and pyramid levels still
   * apply. Other layer commands read the full image (level 0) in two passes.
   */
  private async layers(src: Input, info: SourceInfo, job: RenderJob, label: string): Promise<Composite> {
    const s = job.spec;
    const window = hasLayerCommands(s) ? cropWindow(s, info.width, info.height) : { x: 0, y: 0, w: info.width, h: info.height };
    if (window !== undefined) {
      const source = { width: info.width, height: info.height, window: { x: window.x, y: window.y }, levels: info.levels, label };
      return { input: src, width: window.w, height: window.h, alpha: info.hasAlpha, source };
    }
    // Only a pyramid gets here above the limit: the probe refused any other source that large.
    if (info.width * info.height > this.limits.maxInputPixels) {
      throw this.tooLarge(label, info.width, info.height);
    }
    // Every image held below is sized and checked against the budget before sharp allocates one.
    checkPixelBudget(job, { kind: 'source', width: info.width, height: info.height }, this.limits);
    const size = layerSize(s, cropRect(s, info.width, info.height));
    const bg = s.bgColor ?? TRANSPARENT;
    let first: Sharp;
    if (cropMisses(s, info.width, info.height)) {
      first = sharp({ create: { width: size.w, height: size.h, channels: 4, background: bg } });
    } else {
      first = applyCropAndSize(this.open(src), s, info.width, info.height);
    }
    const a = await first.raw().toBuffer({ resolveWithObject: true });
    let out = { data: a.data, width: a.info.width, height: a.info.height, channels: a.info.channels };
    const second = applyOrientAndExtend(this.open({ kind: 'raw', ...out }), s, out.width, out.height);
    const b = await (s.bgColor !== undefined && s.bgColor.alpha === 255 ? second.flatten({ background: s.bgColor }) : second)
      .raw()
      .toBuffer({ resolveWithObject: true });
    out = { data: b.data, width: b.info.width, height: b.info.height, channels: b.info.channels };
    return { input: { kind: 'raw', ...out }, width: out.width, height: out.height, alpha: out.channels === 2 || out.channels === 4 };
  }

  private async view(c: Composite, job: RenderJob): Promise<RenderedImage> {
    const { spec: s, defaults: d } = job;
    const plan = planJobView(c.width, c.height, job, this.limits.maxReplyPixels);
    const format = s.fmt?.format ?? 'jpeg';
    const mask = job.mask === true;
    // A mask keeps the alpha through the view (padding transparent) and is gray unless fmt= says rgb.
    const alpha = mask || keepsAlpha(format);
    const gray = mask ? s.fmt?.pixelType !== 'rgb' : s.fmt?.pixelType === 'gray';
    const bgc: Rgba = job.thumbnail && s.bgc === undefined ? d.thumbBkgColor : (s.bgc ?? d.bkgColor);
    const opaque: Rgba = { ...bgc, alpha: 255 };
    const padColor = alpha ? TRANSPARENT : opaque;
    let p = plan.source === undefined
      ? sharp({ create: { width: plan.width, height: plan.height, channels: 4, background: padColor } })
      : viewGeometry(...this.viewSource(c, plan), s.resMode ?? d.resMode, padColor, alpha);
    // Flattening an image without alpha changes nothing (sharp skips it); only asking costs a colour parse.
    if (alpha) {
      p = p.ensureAlpha();
    } else if (c.alpha || plan.source === undefined) {
      p = p.flatten({ background: opaque });
    }
    p = viewFilters(p, job, plan);
    if (mask) {
      p = await maskOf(p, gray);
    } else if (gray) {
      p = p.toColourspace('b-w');
    }
    return encodeReply(p, job, format, gray, bgc);
  }

  /**
   * What the geometry reads, its size, and the plan in its pixels: the composite as planned; for
   * the source read as is, the plan's source rectangle moved into the crop window and, for a
   * pyramid, the smallest level with the detail the plan needs, the rectangle scaled to it.
   */
  private viewSource(c: Composite, plan: ViewPlan): [Sharp, { width: number; height: number }, ViewPlan] {
    const src = c.source;
    if (src === undefined || plan.source === undefined || c.input.kind !== 'encoded') {
      return [this.open(c.input), c, plan];
    }
    const rect = { ...plan.source, x: plan.source.x + src.window.x, y: plan.source.y + src.window.y };
    if (src.levels === undefined) {
      return [this.open(c.input), src, { ...plan, source: rect }];
    }
    const choice = chooseLevel(src.levels, rect, plan.resize);
    const { level } = choice;
    if (level.width * level.height > this.limits.maxInputPixels) {
      throw this.tooLarge(src.label, level.width, level.height);
    }
    return [this.open({ kind: 'encoded', data: level.file ?? c.input.data, page: level.page }), level, { ...plan, source: choice.rect }];
  }
}

/** A file that vanished between the stat and the read is "not found"; anything else is the given decode error. */
function sourceError(cause: unknown, label: string, code: 'IMG_DECODE_FAILED' | 'IMG_CORRUPT_SOURCE', detail: string): ImageServingError {
  const message = cause instanceof Error ? cause.message : '';
  if (/Input file is missing|No such file/i.test(message)) {
    return new ImageServingError('IMG_NOT_FOUND', `image file ${label} does not exist`, { path: label, cause });
  }
  return new ImageServingError(code, detail, { path: label, cause });
}

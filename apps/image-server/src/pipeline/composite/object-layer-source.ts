import { Injectable } from '@nestjs/common';
import type { ResolvedObject, ResolvedRequest } from '@openexp/catalogs';
import { ImageServingError } from '@openexp/errors';
import { ImagePipelineRepository } from '../image-pipeline.repository';
import { LevelCacheService } from '../level-cache.service';
import { hasLayerCommands } from '../layer-stage';
import type { SourceInfo } from '../render-types';
import { SourceFilesRepository, type SourceStamp } from '../source-files.repository';
import { ColorLayerSource } from './color-layer-source';
import { CompositeRasterRepository } from './composite-raster.repository';
import { nestedMask, type LayerMask } from './layer-mask';
import type { LayerSourceInput, LayerSourceProvider, PreparedLayerSource } from './layer-source';
import { applyMask, useAlpha } from './raster-ops';

/** Source versions whose header facts are remembered (a few hundred bytes each). */
const MAX_REMEMBERED_SOURCES = 20_000;

/** A source file, checked: its version, its real path inside the roots, its header facts. */
interface CheckedFile {
  stamp: SourceStamp;
  info: SourceInfo;
  label: string;
}

/**
 * Image layers: `src=` a catalog record or a path object (§1.5, resolved against the request's
 * main catalog), or for layer 0 the URL's object. The file must exist (`IMG_NOT_FOUND`), lie
 * inside the roots, and pass the header checks (`IS_MAX_INPUT_PIXELS`). A missing source of a
 * layer other than 0 is replaced by the default image when `DefaultImageMode=1` (§5.5); with
 * mode 0 the failure reaches the errors module, which replaces the whole request. The mask is
 * `mask=` (a file, or a nested request `is{…}`, see `nestedMask`), else the record's `MaskPath`;
 * `maskUse=` decides how it (or the image's own alpha) is used.
 */
@Injectable()
export class ObjectLayerSource implements LayerSourceProvider {
  private readonly infos = new Map<string, Promise<SourceInfo>>();

  constructor(
    private readonly sources: SourceFilesRepository,
    private readonly pipeline: ImagePipelineRepository,
    private readonly levels: LevelCacheService,
    private readonly rasters: CompositeRasterRepository,
    private readonly colors: ColorLayerSource,
  ) {}

  async prepare(input: LayerSourceInput): Promise<PreparedLayerSource> {
    const src = input.commands.find((c) => c.name === 'src');
    const object = src === undefined ? input.request.object : input.request.resolveObject(src.value);
    if (src === undefined && object.kind === 'record' && object.filePath === null && input.layer === 'comp') {
      if (input.spec.size === undefined || input.spec.size.w === 0 || input.spec.size.h === 0) {
        throw new ImageServingError('IMG_NOT_FOUND', `record ${object.id} has no Path and no size= to draw a template`, { path: object.id });
      }
      return this.colors.prepare(input);
    }
    let image: CheckedFile;
    try {
      image = await this.check(object, input.request);
    } catch (error) {
      const fallback = this.defaultObject(input, error);
      if (fallback === undefined) {
        throw error;
      }
      image = await this.check(fallback, input.request);
    }
    return this.prepared(input, object, image);
  }

  private async prepared(input: LayerSourceInput, object: ResolvedObject, image: CheckedFile): Promise<PreparedLayerSource> {
    const mask = await this.mask(input, object, image);
    const { spec } = input;
    const { info } = image;
    const levels = info.levels ?? (await this.levels.levels(image.stamp, info));
    const use = spec.maskUse ?? 'norm';
    const anchor = object.record?.anchor ?? undefined;
    return {
      kind: 'object',
      key: mask === undefined ? image.stamp.version : `${image.stamp.version}|mask:${mask.key}`,
      source: { width: info.width, height: info.height },
      ...(anchor ? { anchor: { x: anchor[0], y: anchor[1] } } : {}),
      sized: true,
      ...(mask === undefined && use === 'norm' && !hasLayerCommands(spec) ? { file: image.stamp.realPath, opaque: !info.hasAlpha } : {}),
      sourcePixels: info.width * info.height + (mask?.pixels ?? 0),
      draw: async () => {
        const raster = await this.rasters.drawObject(image.stamp.realPath, info, levels, spec, image.label);
        if (levels === undefined) {
          // Counted like a single-image render of that size, so a source used as a layer gets derived levels too (item 5).
          this.levels.rendered(image.stamp, info, spec.crop === undefined ? {} : { crop: spec.crop }, raster);
        }
        if (mask === undefined) {
          useAlpha(raster, use);
        } else {
          applyMask(raster, await mask.draw(info, spec), use);
        }
        return raster;
      },
    };
  }

  private async check(object: ResolvedObject, request: ResolvedRequest): Promise<CheckedFile> {
    if (object.kind === 'none') {
      throw new ImageServingError('IMG_NOT_FOUND', 'the request names no image object');
    }
    if (object.filePath === null) {
      throw new ImageServingError('IMG_NOT_FOUND', `record ${object.id} has no image file`, { path: object.id });
    }
    const label = object.displayPath ?? object.id;
    const stamp = await this.sources.stamp(object.filePath, label);
    request.assertInsideRoot(stamp.realPath);
    return { stamp, info: await this.probe(stamp, label), label };
  }

  /** Header facts of a source version, read once (a refused or unreadable source is not remembered). */
  private probe(stamp: SourceStamp, label: string): Promise<SourceInfo> {
    const known = this.infos.get(stamp.version);
    if (known !== undefined) {
      return known;
    }
    if (this.infos.size >= MAX_REMEMBERED_SOURCES) {
      this.infos.clear();
    }
    const info = this.pipeline.probe(stamp.realPath, label);
    this.infos.set(stamp.version, info);
    info.catch(() => this.infos.delete(stamp.version));
    return info;
  }

  private async mask(input: LayerSourceInput, object: ResolvedObject, image: CheckedFile): Promise<LayerMask | undefined> {
    const ref = input.commands.find((c) => c.name === 'mask');
    if (ref?.nested === true) {
      return nestedMask(input, ref);
    }
    let file: CheckedFile | undefined;
    if (ref !== undefined && ref.value !== '') {
      file = await this.check(input.request.resolveObject(ref.value), input.request);
    } else if (object.maskPath !== null) {
      file = await this.check({ ...object, filePath: object.maskPath, displayPath: object.maskPath }, input.request);
    }
    if (file === undefined) {
      return undefined;
    }
    const { stamp, info, label } = file;
    return { key: stamp.version, pixels: image.info.width * image.info.height, draw: (source, spec) => this.rasters.drawMask(stamp.realPath, info, source, spec, label) };
  }

  /** §5.5 `DefaultImageMode=1`: the default image stands in for a missing layer source (not layer 0's). */
  private defaultObject(input: LayerSourceInput, error: unknown): ResolvedObject | undefined {
    const { request } = input;
    if (!(error instanceof ImageServingError) || error.code !== 'IMG_NOT_FOUND' || input.layer === 'comp' || input.noDefaultImages === true || request.attributes.defaultImageMode !== 1) {
      return undefined;
    }
    const ref = request.value('defaultimage') ?? request.attributes.defaultImage ?? '';
    return ref === '' ? undefined : request.resolveObject(ref);
  }
}

import { Injectable } from '@nestjs/common';
import { resolveNestedRequest, type ResolvedRequest } from '@openexp/catalogs';
import { ImageServingError } from '@openexp/errors';
import { ImageCacheService, type ServerCacheMode } from '../../cache/image-cache.service';
import { IMAGE_COMMAND_ROUTING } from '../../commands/command-table';
import type { LayerRaster, LayerSourceInput, LayerSourceProvider, PreparedLayerSource } from './layer-source';
import { ObjectLayerSource } from './object-layer-source';

/**
 * Nested requests as layer sources (`src=is{…}` / `src=is(…)`; image-serving.md §3.5, Adobe's
 * "Request nesting and embedding"): the value is resolved as a request of its own in the same
 * catalog snapshot (`resolveNestedRequest`: its rules, macros, records and `template=`; the outer
 * variables and `$object$`; `fmt`, `qlt`, `bgc`, `req`, `iccEmbed`, `printRes`, `quantize`
 * ignored; at most `MAX_NESTING_DEPTH` (3) levels, deeper is `IMG_NESTING_LIMIT`), then rendered
 * by the same engine (its layers, its view transform without its catalog's `DefaultPix`/`MaxPix`,
 * the same pixel budget and admission) into an RGBA raster whose alpha is the layer's mask.
 *
 * `cache=on` in the nested request (server part of `cache=client,server`) keeps its raster in the
 * result cache, lossless (raw RGBA), keyed by the nested request and every source it reads;
 * without it nothing intermediate is cached (Adobe's default).
 *
 * A missing source inside the nested request is `IMG_NOT_FOUND`; with `DefaultImageMode=1` the
 * default image then stands in for this layer (§5.5), as for a missing `src=` object; with mode 0
 * the errors module replaces the whole reply.
 */
@Injectable()
export class NestedLayerSource implements LayerSourceProvider {
  constructor(
    private readonly cache: ImageCacheService,
    private readonly objects: ObjectLayerSource,
  ) {}

  async prepare(input: LayerSourceInput): Promise<PreparedLayerSource> {
    const src = input.commands.find((c) => c.name === 'src');
    if (src === undefined) {
      throw new ImageServingError('IMG_INVALID_COMMAND_VALUE', 'a nested layer needs src=is{…}', { command: 'src', value: '' });
    }
    const nested = resolveNestedRequest(src.value, input.request, { routing: IMAGE_COMMAND_ROUTING, command: src.originalName });
    let prepared: PreparedLayerSource;
    try {
      prepared = await input.prepareRequest(nested);
    } catch (error) {
      const fallback = this.defaultImage(input, error);
      if (fallback === undefined) {
        throw error;
      }
      return fallback;
    }
    const mode = nestedCacheMode(nested);
    return mode === 'off' ? prepared : { ...prepared, draw: () => this.cached(prepared, mode) };
  }

  /** The raster through the result cache (a copy each time: the engine changes rasters in place). */
  private async cached(prepared: PreparedLayerSource, mode: ServerCacheMode): Promise<LayerRaster> {
    const { entry } = await this.cache.getOrRender(`nested|${prepared.key}`, mode, async () => {
      const r = await prepared.draw();
      return {
        body: r.data,
        meta: { width: r.width, height: r.height, channels: 4, format: 'png-alpha', contentType: 'application/octet-stream', quality: 100, lossy: false, pixelType: 'rgb', printRes: undefined, bgc: '' },
      };
    });
    return { data: Buffer.from(entry.body), width: entry.meta.width, height: entry.meta.height, channels: 4 };
  }

  /** §5.5 `DefaultImageMode=1`: a layer (not layer 0) whose nested request misses an image gets the default image. */
  private defaultImage(input: LayerSourceInput, error: unknown): Promise<PreparedLayerSource> | undefined {
    const { request } = input;
    if (!(error instanceof ImageServingError) || error.code !== 'IMG_NOT_FOUND' || input.layer === 'comp' || input.noDefaultImages === true || request.attributes.defaultImageMode !== 1) {
      return undefined;
    }
    const ref = request.value('defaultimage') ?? request.attributes.defaultImage ?? '';
    if (ref === '') {
      return undefined;
    }
    const commands = input.commands.map((c) => (c.name === 'src' ? { ...c, value: ref, nested: false } : c));
    return this.objects.prepare({ ...input, commands });
  }
}

/** The server part of a nested request's `cache=` (`on`, `off`, `validate`, `update`, or `client,server`); default off (§3.2). */
export function nestedCacheMode(nested: ResolvedRequest): ServerCacheMode {
  const value = nested.value('cache');
  if (value === undefined) {
    return 'off';
  }
  const parts = value.toLowerCase().split(',');
  const server = (parts.length > 1 ? parts[1] : parts[0])?.trim() ?? '';
  return server === 'on' || server === 'validate' ? 'on' : server === 'update' ? 'update' : 'off';
}

import { Injectable } from '@nestjs/common';
import type { ErrorCatalog } from '../catalogs/error-catalog';
import type { CarriedCommands } from './failure-context';
import { ObjectRenderPort, type ObjectCommand, type RenderedObject } from '../pipeline/object-render.port';
import { catalogToken, RenderedImageCache } from './rendered-image.cache';

/** A rendered default image and the TTL its reply gets. */
export interface DefaultImageReply extends RenderedObject {
  /** The default record's own `catalog::Expiration`, else `attribute::DefaultExpiration` (hours). */
  ttlHours: number;
}

const CARRIED = ['wid', 'hei', 'fmt', 'qlt'] as const;

/**
 * Renders default images (image-serving.md §5.5). `DefaultImageMode=0` (and 1, until layers
 * exist: with a single layer, replacing the missing layer is replacing the request) carries over
 * only `wid=`, `hei=`, `fmt=` and `qlt=`; the default object's own modifiers apply.
 */
@Injectable()
export class DefaultImageService {
  private readonly cache = new RenderedImageCache<DefaultImageReply>({ maxEntries: 1024, maxBytes: 64 * 1024 * 1024, ttlMs: 60_000 });

  constructor(private readonly renderer: ObjectRenderPort) {}

  /** Throws `IMG_NOT_FOUND` when the default image is itself missing (the caller must not recurse). */
  render(catalog: ErrorCatalog, object: string, thumbnail: boolean, carried: CarriedCommands, defaultTtlHours: number): Promise<DefaultImageReply> {
    const commands: ObjectCommand[] = CARRIED.flatMap((name) => {
      const value = carried[name];
      return value === undefined ? [] : [{ name, value }];
    });
    const key = [catalogToken(catalog), object, thumbnail ? 'tmb' : 'img', defaultTtlHours, ...commands.map((c) => `${c.name}=${c.value}`)].join('\u0000');
    return this.cache.getOrProduce(key, async () => {
      const resolved = await this.renderer.resolve(catalog, object);
      const image = await this.renderer.render({ catalog, object, commands, thumbnail });
      return { ...image, ttlHours: resolved.expiration ?? defaultTtlHours };
    });
  }
}

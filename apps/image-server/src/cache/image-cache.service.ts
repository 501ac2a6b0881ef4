import { Inject, Injectable } from '@nestjs/common';
import { Metrics } from '@openexp/service-runtime';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import { md5Etag } from '../http/reply';
import type { OutputFormat } from '../commands/render-spec';
import { ResultCache, type CacheEntry } from './result-cache';
import { SingleFlight } from './single-flight';
import { currentPurgeTags, TagIndex } from './tag-index';

/** How a request may use the server cache (`cache=` server part, image-serving.md §6). */
export type ServerCacheMode = 'on' | 'off' | 'validate' | 'update';

/** Where a reply came from: `hit` the cache, `miss` rendered (and stored), `bypass` rendered without the cache. */
export type CacheOutcome = 'hit' | 'miss' | 'bypass';

/**
 * Facts about a rendered image, kept next to its bytes in the result cache. Defined here, with the
 * cache that stores them, so `pipeline` (which renders them) depends on `cache` and not both ways.
 */
export interface ImageMeta {
  width: number;
  height: number;
  channels: number;
  format: OutputFormat;
  contentType: string;
  /** `qlt=` quality in effect (request, else `JpegQuality`). */
  quality: number;
  /** True when the encoder is lossy, i.e. `quality` mattered. */
  lossy: boolean;
  pixelType: 'rgb' | 'gray';
  /** Resolution written into the reply (dpi), if any. */
  printRes: number | undefined;
  /** Background colour used for padding/flattening, `RRGGBB`. */
  bgc: string;
}

/** A rendered reply body with its metadata. */
export type CachedImage = CacheEntry<ImageMeta>;

/**
 * The result cache of rendered images with single flight: identical requests arriving together
 * are rendered once and share the result, whether or not the cache keeps it. Hit/miss metrics.
 */
@Injectable()
export class ImageCacheService {
  private readonly cache: ResultCache<ImageMeta>;
  private readonly flight = new SingleFlight<CachedImage>();
  /** Keys by purge tag (`object:<catalog>/<id>`, `url:<path?query>`), so a purge finds them. */
  private readonly tagged = new TagIndex();
  private readonly lookups;

  constructor(@Inject(IMAGE_SERVER_CONFIG) config: ImageServerConfig, metrics: Metrics) {
    this.cache = new ResultCache(config.resultCache.maxBytes, config.resultCache.maxEntryBytes);
    this.lookups = metrics.counter('is_result_cache_lookups_total', 'Result cache lookups by outcome (hit, miss, bypass, shared)', ['outcome']);
  }

  /**
   * The cached reply for `key`, or renders it (once for concurrent identical keys) and stores it.
   * `off` neither reads nor writes the cache; `update` re-renders and replaces the entry. A stored
   * entry carries the purge tags of the request being answered (`withPurgeTags`), for {@link dropTagged}.
   */
  async getOrRender(key: string, mode: ServerCacheMode, render: () => Promise<{ body: Buffer; meta: ImageMeta }>): Promise<{ entry: CachedImage; outcome: CacheOutcome }> {
    const tags = currentPurgeTags();
    const useCache = this.cache.enabled && mode !== 'off';
    if (useCache && mode !== 'update') {
      const hit = this.cache.get(key);
      if (hit !== undefined) {
        this.lookups.inc({ outcome: 'hit' });
        return { entry: hit, outcome: 'hit' };
      }
    }
    const { promise, shared } = this.flight.run(`${mode === 'update' ? 'u' : 'r'}|${key}`, async () => {
      const { body, meta } = await render();
      const entry: CachedImage = { body, etag: md5Etag(body), meta };
      if (useCache) {
        this.cache.set(key, entry);
        this.tagged.add(key, tags, (k) => this.cache.has(k));
      }
      return entry;
    });
    this.lookups.inc({ outcome: shared ? 'shared' : useCache ? 'miss' : 'bypass' });
    return { entry: await promise, outcome: useCache ? 'miss' : 'bypass' };
  }

  /** Drops every cached reply stored with one of `tags` (assets published or purged); returns how many. */
  dropTagged(tags: readonly string[]): number {
    let dropped = 0;
    for (const key of this.tagged.take(tags)) {
      dropped += this.cache.delete(key) ? 1 : 0;
    }
    return dropped;
  }

  /** Bytes held by the cache. */
  get bytes(): number {
    return this.cache.bytes;
  }
}

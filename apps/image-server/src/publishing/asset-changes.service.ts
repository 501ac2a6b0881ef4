import { Inject, Injectable } from '@nestjs/common';
import { sourceFile, type CatalogSet } from '@openexp/catalogs';
import type { AssetsChangedMessage, AssetsPurgeMessage } from '@openexp/queue-contracts';
import { Metrics, ROOT_LOGGER } from '@openexp/service-runtime';
import { realpath } from 'node:fs/promises';
import type { Logger } from 'pino';
import { ImageCacheService } from '../cache/image-cache.service';
import { objectTag, urlTag } from '../cache/tag-index';
import { CatalogsService } from '../catalogs/catalogs.service';
import { LevelCacheService } from '../pipeline/level-cache.service';
import { SourceFilesRepository } from '../pipeline/source-files.repository';

/**
 * What a replica does when assets change (issue 17): on `assets.changed`, reload the catalog,
 * then forget everything it kept about those objects (cached replies, the source file's stat,
 * derived levels), so the next request serves the new version; on `assets.purge`, drop the
 * cached replies of the ids and URLs named.
 */
@Injectable()
export class AssetChangesService {
  private readonly log: Logger;
  private readonly events;

  constructor(
    private readonly catalogs: CatalogsService,
    private readonly cache: ImageCacheService,
    private readonly sources: SourceFilesRepository,
    private readonly levels: LevelCacheService,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    metrics: Metrics,
  ) {
    this.log = rootLogger.child({ component: 'asset-changes' });
    this.events = metrics.counter('is_asset_broadcasts_total', 'Asset broadcasts applied (assets.changed, assets.purge) and cached replies they dropped', ['event']);
  }

  async changed(message: AssetsChangedMessage): Promise<void> {
    const before = this.filesOf(this.catalogs.snapshot(), message);
    const reload = await this.catalogs.reload(message.catalog);
    const after = this.filesOf(this.catalogs.snapshot(), message);
    for (const file of new Set([...before, ...after])) {
      this.sources.forget(file);
      this.levels.dropSource(await realpath(file).catch(() => file));
    }
    const dropped = this.cache.dropTagged(message.assetIds.map((id) => objectTag(message.catalog, id)));
    this.events.inc({ event: 'changed' });
    this.log.info({ catalog: message.catalog, assets: message.assetIds.length, dropped, reloaded: reload.ok }, 'assets changed: catalog reloaded, cached replies dropped');
  }

  /** After the broadcast subscription was lost and came back: re-read the catalogs that changed meanwhile. */
  async catchUp(): Promise<void> {
    const reload = await this.catalogs.refresh();
    this.events.inc({ event: 'catch-up' });
    this.log.warn({ reloaded: reload.reloaded.map((r) => r.rootId) }, 'broadcast subscription restored: catalogs changed meanwhile reloaded');
  }

  purge(message: AssetsPurgeMessage): void {
    const dropped = this.cache.dropTagged([...message.ids.map((id) => objectTag(message.catalog, id)), ...message.urls.map(urlTag)]);
    this.events.inc({ event: 'purge' });
    this.log.info({ catalog: message.catalog, ids: message.ids.length, urls: message.urls.length, dropped }, 'assets purged from the result cache');
  }

  /** Source files the assets' records point at in one snapshot (records without a file, or outside the roots, have none). */
  private filesOf(set: CatalogSet, message: AssetsChangedMessage): string[] {
    const catalog = set.catalog(message.catalog);
    if (catalog === undefined || message.catalog === '') {
      return [];
    }
    return message.assetIds.flatMap((id) => {
      const path = catalog.records.get(id)?.path ?? null;
      if (path === null) {
        return [];
      }
      try {
        return [sourceFile(path, catalog, set)];
      } catch {
        return [];
      }
    });
  }
}

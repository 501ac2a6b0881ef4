import { BullModule } from '@nestjs/bullmq';
import type { DynamicModule, Provider } from '@nestjs/common';
import { RecordFileWriter } from '@openexp/catalogs';
import { QueueName } from '@openexp/queue-contracts';
import { AssetCatalogRepository } from '../assets/asset-catalog.repository';
import { AssetIngestService } from '../assets/asset-ingest.service';
import { AssetResultsPublisher } from '../assets/asset-results.publisher';
import { AssetStorage } from '../assets/asset-storage';
import { AssetsBroadcaster } from '../assets/assets-broadcaster';
import { CDN_PURGER } from '../assets/assets.tokens';
import { CdnPurger } from '../assets/cdn-purger';
import { PyramidConverter } from '../assets/pyramid-converter';
import type { BuildWorkerConfig } from '../config/build-worker.config';
import { AssetsProcessor } from './assets.processor';
import { IngestAssetHandler } from './ingest-asset.handler';
import { PurgeAssetsHandler } from './purge-assets.handler';
import { UnpublishAssetHandler } from './unpublish-asset.handler';

/** What the worker module adds for the asset ingest: nothing when ASSET_CATALOG_ROOT is unset. */
export function assetsWiring(config: BuildWorkerConfig): { imports: DynamicModule[]; providers: Provider[] } {
  const assets = config.assets;
  if (assets === undefined) {
    return { imports: [], providers: [] };
  }
  const converter = new PyramidConverter({ maxInputPixels: assets.maxInputPixels, failOn: assets.failOn, quality: assets.tiffQuality, tileSize: assets.tileSize });
  const catalogs = new AssetCatalogRepository(assets.catalogRoot, assets.rootPath, new RecordFileWriter(assets.lock));
  return {
    imports: [BullModule.registerQueue({ name: QueueName.AssetResults })],
    providers: [
      { provide: AssetIngestService, useValue: new AssetIngestService(catalogs, new AssetStorage(assets.stagingDir, assets.imageFolder), converter) },
      { provide: AssetsBroadcaster, useFactory: () => new AssetsBroadcaster(config.redisUrl) },
      { provide: CDN_PURGER, useValue: assets.cdn === undefined ? null : new CdnPurger(assets.cdn) },
      AssetResultsPublisher,
      IngestAssetHandler,
      UnpublishAssetHandler,
      PurgeAssetsHandler,
      AssetsProcessor,
    ],
  };
}

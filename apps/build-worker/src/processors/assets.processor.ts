import { Injectable } from '@nestjs/common';
import { QueueName } from '@openexp/queue-contracts';
import { IngestAssetHandler } from './ingest-asset.handler';
import type { WorkerJobHandler } from './job-handler';
import { PurgeAssetsHandler } from './purge-assets.handler';
import type { QueueConsumer } from './queue-consumer';
import { UnpublishAssetHandler } from './unpublish-asset.handler';

/** Handlers of the `assets` queue (registered only when the asset ingest is configured). */
@Injectable()
export class AssetsProcessor implements QueueConsumer {
  readonly queue = QueueName.Assets;
  readonly handlers: readonly WorkerJobHandler[];

  constructor(ingest: IngestAssetHandler, unpublish: UnpublishAssetHandler, purge: PurgeAssetsHandler) {
    this.handlers = [ingest, unpublish, purge];
  }
}

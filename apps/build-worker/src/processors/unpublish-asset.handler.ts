import { Inject, Injectable } from '@nestjs/common';
import { JobName, type UnpublishAssetJob } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { AssetIngestService } from '../assets/asset-ingest.service';
import { AssetResultsPublisher } from '../assets/asset-results.publisher';
import { AssetsBroadcaster } from '../assets/assets-broadcaster';
import { failed, succeeded } from './asset-job-result';
import type { JobHandler } from './job-handler';
import { settleJob } from './job-settlement';

/**
 * Unpublish: the asset's record leaves the catalog (its image file stays until a later cleanup),
 * then `assets.changed` tells every replica. An asset already gone succeeds too; a record
 * published by a newer request than this one is kept.
 */
@Injectable()
export class UnpublishAssetHandler implements JobHandler<JobName.UnpublishAsset> {
  readonly jobName = JobName.UnpublishAsset;
  private readonly logger: Logger;

  constructor(
    private readonly assets: AssetIngestService,
    private readonly broadcaster: AssetsBroadcaster,
    private readonly results: AssetResultsPublisher,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ component: 'asset-unpublish' });
  }

  async handle(job: Job<UnpublishAssetJob>): Promise<void> {
    const { catalog, assetId } = job.data;
    const logger = this.logger.child({ jobId: job.id, catalog, assetId });
    await settleJob(
      job,
      logger,
      async () => {
        const how = await this.assets.unpublish(job.data);
        logger.info({ how }, `asset ${catalog}/${assetId} unpublish: ${how}`);
        await this.broadcaster.changed({ catalog, assetIds: [assetId] });
        await this.results.publish(succeeded(job, null));
      },
      (failures) => this.results.publish(failed(job, failures)),
    );
  }
}

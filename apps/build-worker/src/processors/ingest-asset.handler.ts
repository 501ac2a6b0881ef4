import { Inject, Injectable } from '@nestjs/common';
import { JobName, type IngestAssetJob } from '@openexp/queue-contracts';
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
 * Upload or replace of an asset: ingest (validate, convert, publish the record), then the
 * `assets.changed` broadcast, the result, and the staged upload deleted. A run after the publish
 * (crash, failed broadcast or result) finds its own stamp in the record and only repeats the rest.
 */
@Injectable()
export class IngestAssetHandler implements JobHandler<JobName.IngestAsset> {
  readonly jobName = JobName.IngestAsset;
  private readonly logger: Logger;

  constructor(
    private readonly assets: AssetIngestService,
    private readonly broadcaster: AssetsBroadcaster,
    private readonly results: AssetResultsPublisher,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ component: 'asset-ingest' });
  }

  async handle(job: Job<IngestAssetJob>): Promise<void> {
    const { catalog, assetId, stagingKey } = job.data;
    const logger = this.logger.child({ jobId: job.id, catalog, assetId });
    await settleJob(
      job,
      logger,
      async () => {
        const outcome = await this.assets.ingest(job.data);
        logger.info({ how: outcome.how, version: outcome.asset.version, path: outcome.asset.path }, `asset ${catalog}/${assetId} ${outcome.how}`);
        if (outcome.how !== 'superseded') {
          await this.broadcaster.changed({ catalog, assetIds: [assetId] });
        }
        await this.results.publish(succeeded(job, outcome.asset));
        await this.assets.discardStaged(stagingKey);
      },
      async (failures) => {
        await this.results.publish(failed(job, failures));
        await this.assets.discardStaged(stagingKey);
      },
    );
  }
}

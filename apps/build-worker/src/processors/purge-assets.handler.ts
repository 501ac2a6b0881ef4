import { Inject, Injectable } from '@nestjs/common';
import { JobName, type PurgeAssetsJob } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { AssetResultsPublisher } from '../assets/asset-results.publisher';
import { AssetsBroadcaster } from '../assets/assets-broadcaster';
import { CDN_PURGER } from '../assets/assets.tokens';
import { purgeTargets, type CdnPurger } from '../assets/cdn-purger';
import { failed, succeeded } from './asset-job-result';
import type { JobHandler } from './job-handler';
import { settleJob } from './job-settlement';

/**
 * Purge: `assets.purge` drops the replies on every replica, then, when configured, the CDN's purge
 * endpoint is called for each path. A transient CDN failure retries the whole job (the broadcast
 * again too, which is harmless) while the job stays pending.
 */
@Injectable()
export class PurgeAssetsHandler implements JobHandler<JobName.PurgeAssets> {
  readonly jobName = JobName.PurgeAssets;
  private readonly logger: Logger;

  constructor(
    private readonly broadcaster: AssetsBroadcaster,
    @Inject(CDN_PURGER) private readonly cdn: CdnPurger | null,
    private readonly results: AssetResultsPublisher,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ component: 'asset-purge' });
  }

  async handle(job: Job<PurgeAssetsJob>): Promise<void> {
    const { catalog, ids, urls } = job.data;
    const logger = this.logger.child({ jobId: job.id, catalog });
    await settleJob(
      job,
      logger,
      async () => {
        await this.broadcaster.purge({ catalog, ids, urls });
        if (this.cdn !== null) {
          await this.cdn.purge(catalog, purgeTargets(job.data));
        }
        logger.info({ ids: ids.length, urls: urls.length, cdn: this.cdn !== null }, `purged ${catalog}`);
        await this.results.publish(succeeded(job, null));
      },
      (failures) => this.results.publish(failed(job, failures)),
    );
  }
}

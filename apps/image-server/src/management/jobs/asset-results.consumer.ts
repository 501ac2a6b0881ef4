import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { jobDispatcher, jobHandler, JobName, QueueName, startQueueConsumer } from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { ManagementApiConfig } from '../../config/management-api.config';
import { AssetJobsService } from './asset-jobs.service';

/**
 * Consumes the `asset-results` queue: each result finishes its job resource. Results are durable
 * (a queue, not pub/sub), so none is lost while the API restarts; with several replicas running
 * the API, each result is applied once by whichever takes it.
 */
@Injectable()
export class AssetResultsConsumer implements OnModuleInit, OnModuleDestroy {
  private consumer: Worker | undefined;

  constructor(
    private readonly config: ManagementApiConfig,
    private readonly logger: Logger,
    private readonly jobs: AssetJobsService,
  ) {}

  onModuleInit(): void {
    const process = jobDispatcher(QueueName.AssetResults, [jobHandler(JobName.AssetJobResult, (job) => this.jobs.applyResult(job.data))]);
    this.consumer = startQueueConsumer({
      queue: QueueName.AssetResults,
      process,
      connection: redisOptionsFromUrl(this.config.redisUrl),
      prefix: this.config.queuePrefix,
      concurrency: 4,
      onError: (error) => this.logger.error({ err: error, queue: QueueName.AssetResults }, 'asset-results worker error'),
    });
  }

  /** The BullMQ worker (tests wait for it to be ready). */
  get worker(): Worker | undefined {
    return this.consumer;
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.close();
  }
}

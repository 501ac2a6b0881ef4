import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type AssetJobResult, JobName, JobProducer, QueueName } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';

/**
 * Posts asset job outcomes on the durable `asset-results` queue for image-server's management API.
 * Result job ids are deterministic (`result-asset-<job id>`), so a job run again posts its result once.
 */
@Injectable()
export class AssetResultsPublisher implements OnModuleInit {
  private readonly producer: JobProducer;
  private readonly logger: Logger;

  constructor(
    @InjectQueue(QueueName.AssetResults) private readonly queue: Queue,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.producer = new JobProducer(() => this.queue);
    this.logger = root.child({ component: 'asset-results' });
  }

  onModuleInit(): void {
    this.queue.on('error', (err) => this.logger.error({ err }, 'asset-results queue error'));
  }

  async publish(result: AssetJobResult): Promise<void> {
    const jobId = await this.producer.enqueue({ name: JobName.AssetJobResult, data: result });
    this.logger.info({ jobId, status: result.status, codes: result.failures.map((f) => f.code) }, `posted ${JobName.AssetJobResult}`);
  }
}

import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { JobProducer, QueueName, type JobItem } from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { ManagementApiConfig } from '../../config/management-api.config';

/**
 * Producer of the `assets` queue (build-worker consumes it). No offline queue: when Redis is down
 * `enqueue` fails at once with 503 `service-unavailable` instead of hanging the request.
 */
@Injectable()
export class AssetQueue implements OnModuleDestroy {
  private readonly queue: Queue;
  private readonly producer: JobProducer;

  constructor(config: ManagementApiConfig, logger: Logger) {
    this.queue = new Queue(QueueName.Assets, {
      connection: { ...redisOptionsFromUrl(config.redisUrl), enableOfflineQueue: false },
      prefix: config.queuePrefix,
    });
    this.queue.on('error', (error) => logger.warn({ err: error, queue: QueueName.Assets }, 'queue connection error'));
    this.producer = new JobProducer((name) => {
      if (name !== QueueName.Assets) {
        throw new Error(`the management API does not produce jobs on queue ${name}`);
      }
      return this.queue;
    });
  }

  async enqueue(item: JobItem): Promise<void> {
    try {
      await this.producer.enqueue(item);
    } catch (error) {
      throw new ReactorError('service-unavailable', 'The work queue is unavailable; submit the request again shortly.', { cause: error });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  JobName,
  JobProducer,
  QueueName,
  type BuildResult,
  type ExtensionPackageResult,
  type HostPretestResult,
  type RepublishResult,
} from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';

/** Result items the worker posts. */
export type ResultItem =
  | { name: JobName.BuildResult; data: BuildResult }
  | { name: JobName.ExtensionPackageResult; data: ExtensionPackageResult }
  | { name: JobName.HostPretestResult; data: HostPretestResult }
  | { name: JobName.RepublishResult; data: RepublishResult };

/**
 * Posts outcomes on the durable `results` queue for reactor-api. Result job ids are deterministic,
 * so a retried or duplicated job posts its result once.
 */
@Injectable()
export class ResultsPublisher implements OnModuleInit {
  private readonly producer: JobProducer;
  private readonly logger: Logger;

  constructor(
    @InjectQueue(QueueName.Results) private readonly queue: Queue,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.producer = new JobProducer(() => this.queue);
    this.logger = root.child({ component: 'results' });
  }

  onModuleInit(): void {
    this.queue.on('error', (err) => this.logger.error({ err }, 'results queue error'));
  }

  async publish(item: ResultItem): Promise<void> {
    const jobId = await this.producer.enqueue(item);
    this.logger.info({ jobId, status: item.data.status }, `posted ${item.name}`);
  }
}

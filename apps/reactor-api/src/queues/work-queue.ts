import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { ReactorError, toStatusDetails, type StatusDetails } from '@openexp/errors';
import { JobProducer, QueueName, type JobItem } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';

/**
 * Enqueues work for the build worker. Producers run with `enableOfflineQueue: false`, so when
 * Redis is down `enqueue` fails at once with `service-unavailable` (503) instead of hanging.
 */
@Injectable()
export class WorkQueue {
  private readonly producer: JobProducer;

  constructor(
    @InjectQueue(QueueName.Builds) builds: Queue,
    @InjectQueue(QueueName.ExtensionPackages) packages: Queue,
    @InjectQueue(QueueName.HostPretests) pretests: Queue,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    const queues: Partial<Record<QueueName, Queue>> = {
      [QueueName.Builds]: builds,
      [QueueName.ExtensionPackages]: packages,
      [QueueName.HostPretests]: pretests,
    };
    for (const queue of Object.values(queues)) {
      // Without a listener, a Redis outage would surface as unhandled 'error' events.
      queue.on('error', (error) => this.logger.warn({ err: error, queue: queue.name }, 'queue connection error'));
    }
    this.producer = new JobProducer((name) => {
      const queue = queues[name];
      if (queue === undefined) {
        throw new Error(`reactor-api does not produce jobs on queue ${name}`);
      }
      return queue;
    });
  }

  /**
   * The row a job is about is committed first (so a fast result always finds it), then the job is
   * enqueued. If Redis refuses, `markFailed` records the failure on the row (status `failed`,
   * `internal-error`) so nothing stays `pending` forever, and the caller gets 503.
   */
  async enqueueOrMarkFailed(item: JobItem, markFailed: (details: StatusDetails) => Promise<void>): Promise<void> {
    try {
      await this.enqueue(item);
    } catch (error) {
      await markFailed(
        toStatusDetails([{ code: 'internal-error', detail: 'The work queue was unavailable when this was submitted; submit it again.' }]),
      );
      throw error;
    }
  }

  async enqueue(item: JobItem): Promise<string> {
    try {
      return await this.producer.enqueue(item);
    } catch (error) {
      this.logger.error({ err: error, job: item.name }, 'could not enqueue job');
      throw new ReactorError('service-unavailable', 'The work queue is unavailable right now; try again shortly.', { cause: error });
    }
  }
}

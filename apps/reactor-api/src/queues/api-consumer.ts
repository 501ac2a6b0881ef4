import { startQueueConsumer } from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import type { Job, Worker, WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { ReactorApiConfig } from '../config/reactor-api.config';

/**
 * Starts a consumer inside reactor-api (the `results` queue and the internal queues) on the API's
 * Redis and queue prefix, through the one consumer start-up both apps share (queue-contracts'
 * `startQueueConsumer`), with its errors logged. The caller closes it on shutdown (QueueShutdown
 * force-closes it first when Redis is down) and exposes it as a `worker` getter for that.
 */
export function startApiConsumer<Data, Result>(
  queue: string,
  process: (job: Job<Data>) => Promise<Result>,
  config: Pick<ReactorApiConfig, 'redisUrl' | 'queuePrefix'>,
  logger: Logger,
  options: { concurrency: number; settings?: WorkerOptions['settings'] },
): Worker<Data, Result> {
  return startQueueConsumer<Data, Result>({
    queue,
    process,
    connection: redisOptionsFromUrl(config.redisUrl),
    prefix: config.queuePrefix,
    concurrency: options.concurrency,
    ...(options.settings !== undefined ? { settings: options.settings } : {}),
    onError: (error) => logger.error({ err: error, queue }, `${queue} worker error`),
  });
}

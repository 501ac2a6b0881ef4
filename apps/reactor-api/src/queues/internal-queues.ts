import { QueueName } from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { ReactorApiConfig } from '../config/reactor-api.config';

/*
 * Queues internal to reactor-api: produced AND consumed by reactor-api itself (the build worker never
 * sees them), so they are not part of libs/queue-contracts. They live under the same QUEUE_PREFIX.
 * Names are stored in Redis with every job: NEVER rename a value.
 */

export enum InternalQueueName {
  /** Callback deliveries: POST an audit event to a callback's URL, with the §2.11 retry schedule. */
  Callbacks = 'callbacks',
  /** OAuth2 secrets: exchange credentials at the token URL. */
  SecretExchanges = 'secret-exchanges',
}

export enum InternalJobName {
  /** Deliver one audit event to one callback. */
  DeliverCallback = 'deliver-callback',
  /** Exchange one revision of a secret's credentials. */
  ExchangeSecret = 'exchange-secret',
}

export const INTERNAL_QUEUES = Object.values(InternalQueueName);

/** Every queue reactor-api has a handle on: the worker's (queue-contracts) and its own. */
export const ALL_QUEUES: readonly string[] = [...Object.values(QueueName), ...INTERNAL_QUEUES];

/**
 * Starts a consumer of an internal queue on the API's Redis and queue prefix, with its errors
 * logged. The caller closes it on shutdown (QueueShutdown force-closes it when Redis is down).
 */
export function startInternalWorker<Data, Result>(
  queue: InternalQueueName,
  process: (job: Job<Data>) => Promise<Result>,
  config: Pick<ReactorApiConfig, 'redisUrl' | 'queuePrefix'>,
  logger: Logger,
  options: { concurrency: number; settings?: WorkerOptions['settings'] },
): Worker<Data, Result> {
  const worker = new Worker<Data, Result>(queue, process, {
    connection: { ...redisOptionsFromUrl(config.redisUrl), maxRetriesPerRequest: null },
    prefix: config.queuePrefix,
    concurrency: options.concurrency,
    ...(options.settings !== undefined ? { settings: options.settings } : {}),
  });
  worker.on('error', (error) => logger.error({ err: error, queue }, `${queue} worker error`));
  return worker;
}

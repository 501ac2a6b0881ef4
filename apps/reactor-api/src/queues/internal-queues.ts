import { TAGS_QUEUES } from '@openexp/queue-contracts';
import type { Job, Worker, WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { ReactorApiConfig } from '../config/reactor-api.config';
import { startApiConsumer } from './api-consumer';

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

/** Every queue reactor-api has a handle on: the Tags queues shared with the worker (queue-contracts) and its own. */
export const ALL_QUEUES: readonly string[] = [...TAGS_QUEUES, ...INTERNAL_QUEUES];

/** Starts a consumer of an internal queue ({@link startApiConsumer}). */
export function startInternalWorker<Data, Result>(
  queue: InternalQueueName,
  process: (job: Job<Data>) => Promise<Result>,
  config: Pick<ReactorApiConfig, 'redisUrl' | 'queuePrefix'>,
  logger: Logger,
  options: { concurrency: number; settings?: WorkerOptions['settings'] },
): Worker<Data, Result> {
  return startApiConsumer(queue, process, config, logger, options);
}

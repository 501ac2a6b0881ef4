import type { DefaultJobOptions } from 'bullmq';
import { QueueName } from './names';

/**
 * Retry policy per queue. Work queues retry transient failures (connection refused, timeouts,
 * disconnects) with exponential backoff and jitter; handlers throw `UnrecoverableError` for permanent
 * ones. Results retry many times: losing one would leave a resource pending forever.
 * Completed jobs are kept for an hour (so a duplicate enqueue within that time is ignored by id),
 * failed ones for a week for operators.
 */
const workQueue = (attempts: number): DefaultJobOptions => ({
  attempts,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

export const DEFAULT_JOB_OPTIONS: Record<QueueName, DefaultJobOptions> = {
  [QueueName.Builds]: workQueue(5),
  [QueueName.ExtensionPackages]: workQueue(3),
  [QueueName.HostPretests]: workQueue(3),
  [QueueName.Assets]: workQueue(5),
  [QueueName.AssetResults]: {
    attempts: 20,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    removeOnComplete: { age: 3600, count: 5000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
  [QueueName.Results]: {
    attempts: 20,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    removeOnComplete: { age: 3600, count: 5000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
};

/** Prefix of every BullMQ key; tests use their own prefix to stay isolated. */
export const DEFAULT_QUEUE_PREFIX = 'openexp';

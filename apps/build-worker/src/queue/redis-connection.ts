import { redisOptionsFromUrl, type RedisConnectionOptions } from '@openexp/service-runtime';

/**
 * Connection options for BullMQ workers: `maxRetriesPerRequest: null` so blocking commands wait
 * through Redis restarts instead of failing jobs (BullMQ production guide).
 */
export function workerConnectionOptions(redisUrl: string): RedisConnectionOptions & { maxRetriesPerRequest: null } {
  return { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null };
}

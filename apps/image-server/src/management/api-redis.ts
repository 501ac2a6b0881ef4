import { Redis } from 'ioredis';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import type { ManagementApiConfig } from '../config/management-api.config';

/**
 * The management API's own Redis keys (tokens, jobs, asset state, idempotency keys), beside the
 * BullMQ keys under the same prefix: `{QUEUE_PREFIX}:is-api:…`. Redis is the durable store of
 * the API (run it with AOF or RDB persistence, as BullMQ needs anyway): restarting the API loses
 * nothing.
 */
export class ApiRedis {
  private constructor(
    readonly client: Redis,
    private readonly prefix: string,
  ) {}

  /** A client for requests: no offline queue, so a Redis outage fails a request at once (503). */
  static connect(config: Pick<ManagementApiConfig, 'redisUrl' | 'queuePrefix'>, options: { offlineQueue: boolean }): ApiRedis {
    const client = new Redis({ ...redisOptionsFromUrl(config.redisUrl), enableOfflineQueue: options.offlineQueue, maxRetriesPerRequest: 2, lazyConnect: false });
    return new ApiRedis(client, `${config.queuePrefix}:is-api`);
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

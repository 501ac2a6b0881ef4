import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Readiness, redisOptionsFromUrl, ROOT_LOGGER } from '@openexp/service-runtime';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BUILD_WORKER_CONFIG, type BuildWorkerConfig } from '../config/build-worker.config';

/** `/readyz` of the worker: Redis answers PING. */
@Injectable()
export class RedisReadiness implements OnModuleInit, OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    @Inject(BUILD_WORKER_CONFIG) config: BuildWorkerConfig,
    private readonly readiness: Readiness,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.redis = new Redis({ ...redisOptionsFromUrl(config.redisUrl), lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', (err) => logger.debug({ err }, 'readiness redis connection error'));
  }

  onModuleInit(): void {
    this.readiness.register({
      name: 'redis',
      check: async () => {
        if (this.redis.status === 'wait' || this.redis.status === 'end') {
          await this.redis.connect();
        }
        await this.redis.ping();
      },
    });
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

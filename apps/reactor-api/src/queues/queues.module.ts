import { BullModule } from '@nestjs/bullmq';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QueueName } from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import type { ReactorApiConfig } from '../config/reactor-api.config';
import { INTERNAL_QUEUES } from './internal-queues';
import { QueueShutdown } from './queue-shutdown';
import { ReadinessChecks } from './readiness-checks';
import { WorkQueue } from './work-queue';

/**
 * Queues this API produces on: the worker's and its own (internal) ones. Producers fail fast when
 * Redis is down (no offline queue); reactor-api's consumers open their own connections.
 */
const PRODUCED = [QueueName.Builds, QueueName.ExtensionPackages, QueueName.HostPretests, ...INTERNAL_QUEUES] as const;

/** Global: contexts enqueue through `WorkQueue` or inject a queue; `/readyz` checks Redis through one. */
@Global()
@Module({})
export class QueuesModule {
  static forRoot(config: ReactorApiConfig): DynamicModule {
    const redis = redisOptionsFromUrl(config.redisUrl);
    return {
      module: QueuesModule,
      imports: [
        DiscoveryModule,
        BullModule.forRoot({ connection: { ...redis, maxRetriesPerRequest: null }, prefix: config.queuePrefix }),
        ...PRODUCED.map((name) =>
          BullModule.registerQueue({
            name,
            connection: { ...redis, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 },
            prefix: config.queuePrefix,
          }),
        ),
        BullModule.registerQueue({ name: QueueName.Results, prefix: config.queuePrefix }),
      ],
      providers: [WorkQueue, QueueShutdown, ReadinessChecks],
      exports: [WorkQueue, BullModule],
    };
  }
}

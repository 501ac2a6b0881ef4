import { BullModule } from '@nestjs/bullmq';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { QueueName } from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import type { ReactorApiConfig } from '../config/reactor-api.config';
import { WorkQueue } from './work-queue';

/** Work queues this API produces on. Producers fail fast when Redis is down (no offline queue). */
const PRODUCED = [QueueName.Builds, QueueName.ExtensionPackages, QueueName.HostPretests] as const;

@Global()
@Module({})
export class QueuesModule {
  static forRoot(config: ReactorApiConfig): DynamicModule {
    const redis = redisOptionsFromUrl(config.redisUrl);
    return {
      module: QueuesModule,
      imports: [
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
      providers: [WorkQueue],
      exports: [WorkQueue, BullModule],
    };
  }
}

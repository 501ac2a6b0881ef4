import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { QueueName } from '@openexp/queue-contracts';
import { Readiness } from '@openexp/service-runtime';
import type { Queue } from 'bullmq';

/** `/readyz` includes Redis, through the producer connection (which never waits offline). */
@Injectable()
export class ReadinessChecks implements OnModuleInit {
  constructor(
    private readonly readiness: Readiness,
    @InjectQueue(QueueName.Builds) private readonly builds: Queue,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'redis',
      check: async () => {
        // BullMQ types its client narrowly; it is an ioredis client.
        const client = (await this.builds.client) as unknown as { ping(): Promise<string> };
        await client.ping();
      },
    });
  }
}

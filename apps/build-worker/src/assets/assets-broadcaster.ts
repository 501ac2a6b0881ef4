import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import {
  ASSETS_CHANGED_EVENT,
  ASSETS_PURGE_EVENT,
  type AssetsChangedMessage,
  type AssetsPurgeMessage,
} from '@openexp/queue-contracts';
import { redisOptionsFromUrl } from '@openexp/service-runtime';
import { firstValueFrom } from 'rxjs';

/** How long one publish may wait for Redis before the job fails (and is retried). */
const PUBLISH_TIMEOUT_MS = 10_000;

/**
 * Publishes the asset broadcasts (DESIGN.md "Broadcasts") on `@nestjs/microservices`' Redis
 * transport, the one `catalogs.reload` travels on: channel = event name, payload
 * `{ pattern, data }`. No durability: a replica that is down reloads its catalogs when it starts.
 * A publish that fails throws, so the job is retried and publishes again.
 */
export class AssetsBroadcaster {
  private readonly client: ClientProxy;

  constructor(redisUrl: string) {
    this.client = ClientProxyFactory.create({
      transport: Transport.REDIS,
      options: { ...redisOptionsFromUrl(redisUrl), retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 500 },
    });
  }

  changed(message: AssetsChangedMessage): Promise<void> {
    return this.emit(ASSETS_CHANGED_EVENT, message);
  }

  purge(message: AssetsPurgeMessage): Promise<void> {
    return this.emit(ASSETS_PURGE_EVENT, message);
  }

  /** Closes the Redis connections (Nest calls it on shutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  private async emit(event: string, data: AssetsChangedMessage | AssetsPurgeMessage): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${event}: Redis did not take the broadcast within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
    });
    try {
      const publish = async (): Promise<void> => {
        await this.client.connect();
        await firstValueFrom(this.client.emit(event, data), { defaultValue: undefined });
      };
      await Promise.race([publish(), expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

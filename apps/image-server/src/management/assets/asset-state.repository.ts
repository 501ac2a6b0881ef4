import { Injectable } from '@nestjs/common';
import type { PublishedAsset } from '@openexp/queue-contracts';
import { ApiRedis } from '../api-redis';

/** What the API knows about an asset beyond its catalog record (one hash per catalog). */
export interface AssetState {
  assetId: string;
  /** `pending` until the first upload succeeded, `failed` when it did not; then `published` or `unpublished`. */
  status: 'pending' | 'failed' | 'published' | 'unpublished';
  /** The last successful ingest (version, path, size, format, bytes), if any. */
  published: PublishedAsset | null;
  /** The newest job about the asset and when it was requested (ISO 8601). */
  lastJobId: string;
  lastRequestedAt: string;
  updatedAt: string;
}

/** Asset state in Redis: hash `…:is-api:assets:<catalog>`, field = asset id, value = JSON. */
@Injectable()
export class AssetStateRepository {
  constructor(private readonly redis: ApiRedis) {}

  async find(catalog: string, assetId: string): Promise<AssetState | undefined> {
    const raw = await this.redis.client.hget(this.key(catalog), assetId);
    return raw === null ? undefined : (JSON.parse(raw) as AssetState);
  }

  async all(catalog: string): Promise<Map<string, AssetState>> {
    const raw = await this.redis.client.hgetall(this.key(catalog));
    return new Map(Object.entries(raw).map(([id, value]) => [id, JSON.parse(value) as AssetState]));
  }

  async save(catalog: string, state: AssetState): Promise<void> {
    await this.redis.client.hset(this.key(catalog), state.assetId, JSON.stringify(state));
  }

  private key(catalog: string): string {
    return this.redis.key('assets', encodeURIComponent(catalog));
  }
}

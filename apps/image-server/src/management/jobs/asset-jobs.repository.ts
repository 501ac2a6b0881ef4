import { Injectable } from '@nestjs/common';
import { ApiRedis } from '../api-redis';
import type { AssetJobRecord } from './asset-job';

/** Jobs kept at most per catalog index; older ones drop out of lists (and expire with their TTL). */
const MAX_LISTED = 10_000;
/** A finished job is kept this long (seconds). */
const FINISHED_TTL_S = 30 * 24 * 3600;

/**
 * Job resources in Redis: `…:is-api:job:<id>` (JSON) and, per catalog, a sorted set of ids by
 * creation time for lists. Redis is the durable store: an API restart loses no job.
 */
@Injectable()
export class AssetJobsRepository {
  constructor(private readonly redis: ApiRedis) {}

  async create(job: AssetJobRecord): Promise<void> {
    const index = this.index(job.catalog);
    await this.redis.client
      .multi()
      .set(this.redis.key('job', job.id), JSON.stringify(job))
      .zadd(index, Date.parse(job.createdAt), job.id)
      .zremrangebyrank(index, 0, -MAX_LISTED - 1)
      .exec();
  }

  async find(id: string): Promise<AssetJobRecord | undefined> {
    const raw = await this.redis.client.get(this.redis.key('job', id));
    return raw === null ? undefined : (JSON.parse(raw) as AssetJobRecord);
  }

  /** Stores a finished job (it expires after 30 days). */
  async finish(job: AssetJobRecord): Promise<void> {
    await this.redis.client.set(this.redis.key('job', job.id), JSON.stringify(job), 'EX', FINISHED_TTL_S);
  }

  /** The jobs of some catalogs, newest first. */
  async listIn(catalogs: readonly string[]): Promise<AssetJobRecord[]> {
    const ids = (await Promise.all(catalogs.map((c) => this.redis.client.zrevrange(this.index(c), 0, -1)))).flat();
    const values = ids.length === 0 ? [] : await this.redis.client.mget(ids.map((id) => this.redis.key('job', id)));
    return values
      .filter((v): v is string => v !== null)
      .map((v) => JSON.parse(v) as AssetJobRecord)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * Claims an idempotency key for `jobId` (24 h). Returns the claim already made with that key
   * by the same token, if any, in which case nothing is stored.
   */
  async claimIdempotencyKey(tokenId: string, key: string, claim: IdempotencyClaim): Promise<IdempotencyClaim | undefined> {
    const redisKey = this.redis.key('idempotency', tokenId, key);
    const set = await this.redis.client.set(redisKey, JSON.stringify(claim), 'EX', 24 * 3600, 'NX');
    if (set === 'OK') {
      return undefined;
    }
    const raw = await this.redis.client.get(redisKey);
    return raw === null ? undefined : (JSON.parse(raw) as IdempotencyClaim);
  }

  private index(catalog: string): string {
    return this.redis.key('jobs', encodeURIComponent(catalog));
  }
}

/** What an idempotency key stands for: the job it made and a fingerprint of the request. */
export interface IdempotencyClaim {
  jobId: string;
  fingerprint: string;
}

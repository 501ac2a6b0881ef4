import { Injectable } from '@nestjs/common';
import { ApiRedis } from '../api-redis';
import type { StoredApiToken } from './api-token';

/** Tokens in Redis (`…:is-api:token:<id>`, JSON), written by the admin CLI, read per request. */
@Injectable()
export class ApiTokensRepository {
  constructor(private readonly redis: ApiRedis) {}

  async save(token: StoredApiToken): Promise<void> {
    await this.redis.client.set(this.redis.key('token', token.id), JSON.stringify(token));
  }

  async find(id: string): Promise<StoredApiToken | undefined> {
    const raw = await this.redis.client.get(this.redis.key('token', id));
    return raw === null ? undefined : (JSON.parse(raw) as StoredApiToken);
  }

  /** Removes a token; true when it existed. */
  async revoke(id: string): Promise<boolean> {
    return (await this.redis.client.del(this.redis.key('token', id))) === 1;
  }

  async list(): Promise<StoredApiToken[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.client.scan(cursor, 'MATCH', this.redis.key('token', '*'), 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const values = keys.length === 0 ? [] : await this.redis.client.mget(keys);
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as StoredApiToken);
  }
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRootLogger, createServiceRuntime, parseConfig } from '@openexp/service-runtime';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageServerConfigSchema, toImageServerConfig } from '../../src/config/image-server.config';
import { createImageServer, createManagementApiFor } from '../../src/image-server.app';
import { ApiRedis } from '../../src/management/api-redis';
import { newApiToken } from '../../src/management/auth/api-token';
import { ApiTokensRepository } from '../../src/management/auth/api-tokens.repository';
import { TestAssetWorker } from './asset-worker.harness';
import { FIXTURES, type TestReply } from './image-server.harness';

/**
 * Two real image-server replicas on one copy of the fixture catalogs and one Redis (a fresh queue
 * prefix per harness), the first with the management API listening on a free port, and the test
 * stand-in for the build worker's asset processor.
 */
export class ReplicasHarness {
  private constructor(
    readonly root: string,
    readonly replicas: NestFastifyApplication[],
    readonly api: NestFastifyApplication,
    readonly apiUrl: string,
    readonly worker: TestAssetWorker,
    private readonly redis: ApiRedis,
    /** The QUEUE_PREFIX of this harness's queues and API keys. */
    readonly prefix: string,
  ) {}

  static async start(env: Record<string, string> = {}, redisUrl = process.env['TEST_REDIS_URL'] ?? ''): Promise<ReplicasHarness> {
    const root = await mkdtemp(join(tmpdir(), 'is-assets-'));
    await cp(FIXTURES, root, { recursive: true });
    const prefix = `test-${randomUUID()}`;
    const base = { IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root, IS_WATCH_CATALOGS: '0', IS_LEVEL_CACHE: '0', LOG_LEVEL: 'silent', REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, ...env };
    const stagingDir = join(root, 'staging');
    const config = (extra: Record<string, string>) => toImageServerConfig(parseConfig('image-server', imageServerConfigSchema, { ...base, ...extra }));
    const runtime = () => createServiceRuntime('image-server', createRootLogger('image-server', 'silent'));
    const withApi = config({ IS_API_PORT: '1', IS_API_STAGING_DIR: stagingDir });
    const replicas = [await createImageServer(withApi, runtime()), await createImageServer(config({}), runtime())];
    const api = await createManagementApiFor(replicas[0] as NestFastifyApplication, withApi, runtime());
    if (api === undefined) {
      throw new Error('the management API was not built');
    }
    await api.listen({ port: 0, host: '127.0.0.1' });
    const worker = await TestAssetWorker.start({ redisUrl, prefix, stagingDir, imageRoot: root, recordFile: join(root, 'catalog', 'cat.txt'), catalogImageDir: join(root, 'images', 'cat') });
    const redis = ApiRedis.connect({ redisUrl, queuePrefix: prefix }, { offlineQueue: true });
    return new ReplicasHarness(root, replicas, api, await api.getUrl(), worker, redis, prefix);
  }

  /** A new token for these catalogs. */
  async token(catalogs: string[]): Promise<string> {
    const { token, stored } = newApiToken('test', catalogs);
    await new ApiTokensRepository(this.redis).save(stored);
    return token;
  }

  /** A request to the management API (real HTTP). */
  async call(method: string, path: string, token: string | undefined, init: { body?: string | FormData; headers?: Record<string, string> } = {}): Promise<{ status: number; type: string | null; json: ApiJson }> {
    const headers: Record<string, string> = { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...init.headers };
    const response = await fetch(`${this.apiUrl}${path}`, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), json: (text === '' ? {} : JSON.parse(text)) as ApiJson };
  }

  /** A public image request to replica `i` (Fastify inject). */
  async image(i: number, url: string): Promise<TestReply> {
    const app = this.replicas[i] as NestFastifyApplication;
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
    return { status: res.statusCode, headers: res.headers, body: res.rawPayload, text: res.payload };
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.api.close();
    await Promise.all(this.replicas.map((r) => r.close()));
    await this.redis.close();
    await rm(this.root, { recursive: true, force: true });
  }
}

/** A JSON:API document as the tests read it. */
export interface ApiJson {
  data?: ApiJsonResource & ApiJsonResource[];
  errors?: { id: string; status: string; code: string; title: string; detail: string; source?: { pointer?: string; parameter?: string }; meta: Record<string, unknown> }[];
  meta?: { pagination?: Record<string, number | null> };
}

export interface ApiJsonResource {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  meta: Record<string, unknown>;
  links: Record<string, string>;
}

/** Polls `check` every 25 ms until it returns true or `deadlineMs` passed (a generous bound, not a timed assertion). */
export async function eventually(check: () => Promise<boolean>, deadlineMs = 10_000): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await check()) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

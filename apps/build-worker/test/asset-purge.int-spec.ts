import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { type AssetJobResult, JobName, QueueName } from '@openexp/queue-contracts';
import { BroadcastListener, createAssetFolders, type AssetFolders } from './support/asset-fixtures';
import { createTestEnvironment, QueueClient, startWorker, testRedisUrl, type TestEnvironment } from './support/worker-harness';

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  status: number;
}

// Purge jobs (issue 17 item 3, worker side): the assets.purge broadcast, then the CDN purge
// endpoint from ASSET_CDN_PURGE_URL, here a real node:http server on loopback.
describe('purge jobs and the CDN purge endpoint', () => {
  let folders: AssetFolders;
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let client: QueueClient;
  let broadcasts: BroadcastListener;
  let cdn: Server;
  const seen: SeenRequest[] = [];
  /** Statuses the CDN answers, in order; 200 once they run out. */
  let script: number[] = [];

  beforeAll(async () => {
    cdn = createServer((req, res) => {
      const status = script.shift() ?? 200;
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, status });
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    const port = (cdn.address() as AddressInfo).port;
    folders = await createAssetFolders({
      ASSET_CDN_PURGE_URL: `http://127.0.0.1:${port}/purge?path={path}&catalog={catalog}&id={id}`,
      ASSET_CDN_PURGE_METHOD: 'PURGE',
      ASSET_CDN_PURGE_HEADERS: JSON.stringify({ 'X-Purge-Token': 's3cret' }),
    });
    env = await createTestEnvironment(folders.env);
    worker = await startWorker(env.config);
    client = new QueueClient(env);
    broadcasts = await BroadcastListener.start(testRedisUrl());
  });
  afterAll(async () => {
    await broadcasts.close();
    await client.close();
    await worker.close();
    await env.cleanup();
    await new Promise((resolve) => cdn.close(resolve));
    await rm(folders.root, { recursive: true, force: true });
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const purge = async (jobId: string): Promise<AssetJobResult> => {
    await client.enqueue({
      name: JobName.PurgeAssets,
      data: { jobId, catalog: 'cat', ids: ['shoes/red'], urls: ['/is/image/cat/logo?wid=200'], requestedAt: new Date().toISOString() },
    });
    return client.result<AssetJobResult>(`result-asset-${jobId}`, 50000, QueueName.AssetResults);
  };

  it('broadcasts to the replicas, calls the templated URL per path with the configured method and headers, and retries a 503 through the queue', async () => {
    script = [503];
    const result = await purge('purge1');
    expect(result).toMatchObject({ jobId: 'purge1', status: 'succeeded', failures: [], asset: null, attempt: 2 });
    const idCall = '/purge?path=%2Fis%2Fimage%2Fcat%2Fshoes%2Fred&catalog=cat&id=shoes%2Fred';
    const urlCall = '/purge?path=%2Fis%2Fimage%2Fcat%2Flogo%3Fwid%3D200&catalog=cat&id=';
    expect(seen.map((r) => [r.method, r.url, r.status])).toEqual([
      ['PURGE', idCall, 503],
      ['PURGE', idCall, 200],
      ['PURGE', urlCall, 200],
    ]);
    expect(seen.every((r) => r.headers['x-purge-token'] === 's3cret')).toBe(true);
    expect(broadcasts.purged).toContainEqual({ catalog: 'cat', ids: ['shoes/red'], urls: ['/is/image/cat/logo?wid=200'] });
  });

  it('fails at once with cdn-purge-rejected when the CDN refuses (403), without leaking the headers', async () => {
    script = [403];
    const result = await purge('purge2');
    expect(result).toMatchObject({ status: 'failed', attempt: 1 });
    expect(result.failures.map((f) => f.code)).toEqual(['cdn-purge-rejected']);
    expect(result.failures[0]?.detail).toContain('403');
    expect(JSON.stringify(result)).not.toContain('s3cret');
    expect(seen).toHaveLength(1);
  });
});

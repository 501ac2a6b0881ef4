import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { type AssetJobResult, JobName, QueueName } from '@openexp/queue-contracts';
import sharp from 'sharp';
import { BroadcastListener, catalogRecords, createAssetFolders, filesUnder, type AssetFolders } from './support/asset-fixtures';
import { RestartableRedis } from './support/redis-process';
import { waitFor } from './support/worker-child';
import { createTestEnvironment, QueueClient, startWorker, type TestEnvironment } from './support/worker-harness';

// Redis goes away while an asset is being published and comes back with its data: the job still
// completes once, and the assets.changed broadcast still reaches the replicas' channel.
describe('Redis outage during an asset publish', () => {
  let redis: RestartableRedis;
  let folders: AssetFolders;
  let env: TestEnvironment;
  let worker: INestApplicationContext | undefined;
  let client: QueueClient | undefined;
  let broadcasts: BroadcastListener | undefined;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    folders = await createAssetFolders();
    env = await createTestEnvironment({ ...folders.env, REDIS_URL: redis.url, WORKER_LOCK_DURATION_MS: '3000', WORKER_STALLED_INTERVAL_MS: '1000' });
  });
  afterAll(async () => {
    await broadcasts?.close();
    await client?.close();
    await worker?.close();
    await env.cleanup();
    await redis.stop();
    await rm(folders.root, { recursive: true, force: true });
  });

  it('completes the job once and broadcasts after Redis restarts in the middle of it', async () => {
    const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg({ quality: 90 })
      .toBuffer();
    await writeFile(join(folders.stagingDir, 'big.upload'), big);
    worker = await startWorker(env.config);
    client = new QueueClient(env);
    broadcasts = await BroadcastListener.start(redis.url);
    await client.enqueue({
      name: JobName.IngestAsset,
      data: { jobId: 'outage1', kind: 'upload', catalog: 'cat', assetId: 'big', stagingKey: 'big.upload', originalName: 'big.jpg', record: {}, requestedAt: new Date().toISOString() },
    });
    const assetDir = join(folders.imageRoot, 'assets', 'big');
    await waitFor(async () => (await readdir(assetDir).catch(() => [] as string[])).some((f) => f.endsWith('.tmp')), 'the conversion to start writing');

    await redis.down();
    // The conversion and the record update need no Redis; the broadcast and the result do.
    await waitFor(async () => (await catalogRecords(folders)).has('big'), 'the record to be published while Redis is down');
    await new Promise((r) => setTimeout(r, 1000));
    await redis.up();

    const result = await client.result<AssetJobResult>('result-asset-outage1', 60000, QueueName.AssetResults);
    expect(result).toMatchObject({ status: 'succeeded', asset: { version: 1, path: 'assets/big/outage1.tif' } });
    await waitFor(() => broadcasts?.changed.some((m) => m.assetIds.includes('big')) ?? false, 'the assets.changed broadcast');
    const results = await client.queues.get(QueueName.AssetResults)?.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(results?.map((j) => j.id)).toEqual(['result-asset-outage1']);
    expect(await filesUnder(folders.imageRoot)).toEqual(['assets/big/outage1.tif']);
  }, 90000);
});

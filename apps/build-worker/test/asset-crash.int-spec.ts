import type { ChildProcess } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AssetJobResult, JobName, QueueName } from '@openexp/queue-contracts';
import type { Queue } from 'bullmq';
import sharp from 'sharp';
import { catalogRecords, createAssetFolders, filesUnder, type AssetFolders } from './support/asset-fixtures';
import { spawnWorker, waitFor } from './support/worker-child';
import { createTestEnvironment, QueueClient, type TestEnvironment } from './support/worker-harness';

// A worker killed with SIGKILL while it writes a pyramid: the job is recovered as stalled by the
// next worker, completes once, and no temporary file is left under the image root.
describe('asset ingest crash recovery', () => {
  let folders: AssetFolders;
  let env: TestEnvironment;
  let client: QueueClient;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    folders = await createAssetFolders();
    env = await createTestEnvironment({ ...folders.env, WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' });
    client = new QueueClient(env);
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
    await client.close();
    await env.cleanup();
    await rm(folders.root, { recursive: true, force: true });
  });

  it('completes the job once after the worker is killed in the middle of a conversion, leaving no temporary file', async () => {
    // 24 Mpx of noise: long enough to write that the kill lands while the temporary file exists.
    const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg({ quality: 90 })
      .toBuffer();
    await writeFile(join(folders.stagingDir, 'big.upload'), big);
    const first = spawnWorker(env.env);
    children.push(first.child);
    await first.ready;
    await client.enqueue({
      name: JobName.IngestAsset,
      data: { jobId: 'crash1', kind: 'upload', catalog: 'cat', assetId: 'big', stagingKey: 'big.upload', originalName: 'big.jpg', record: {}, requestedAt: new Date().toISOString() },
    });
    const assetDir = join(folders.imageRoot, 'assets', 'big');
    const temporary = async () => (await readdir(assetDir).catch(() => [] as string[])).some((f) => f.endsWith('.tmp'));
    await waitFor(temporary, 'the conversion to start writing');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(await temporary()).toBe(true);

    const second = spawnWorker(env.env);
    children.push(second.child);
    const result = await client.result<AssetJobResult>('result-asset-crash1', 60000, QueueName.AssetResults);
    expect(result).toMatchObject({ status: 'succeeded', asset: { version: 1, width: 6000, height: 4000 } });

    expect(await filesUnder(folders.imageRoot)).toEqual(['assets/big/crash1.tif']);
    expect((await catalogRecords(folders)).get('big')?.path).toBe('assets/big/crash1.tif');
    const results = await (client.queues.get(QueueName.AssetResults) as Queue).getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(results.map((j) => j.id)).toEqual(['result-asset-crash1']);
    expect(await readdir(folders.stagingDir)).toEqual([]);
  }, 90000);
});

import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AssetJobResult, JobName, QueueName } from '@openexp/queue-contracts';
import { catalogRecords, createAssetFolders, filesUnder, photo, type AssetFolders } from './support/asset-fixtures';
import { spawnWorker, stopWorker, type WorkerChild } from './support/worker-child';
import { createTestEnvironment, QueueClient, type TestEnvironment } from './support/worker-harness';

// Issue 17: "20 uploads to one catalog from two workers at once: 20 records, none lost, the record
// file still parses" — with two worker processes, so the record file lock works across processes.
describe('two worker processes publishing into one catalog', () => {
  let folders: AssetFolders;
  let env: TestEnvironment;
  let client: QueueClient;
  const workers: WorkerChild[] = [];

  beforeAll(async () => {
    folders = await createAssetFolders({ WORKER_ASSET_CONCURRENCY: '2' });
    // info: each worker logs the assets it published, which tells which process ran which job.
    env = await createTestEnvironment({ ...folders.env, LOG_LEVEL: 'info' });
    client = new QueueClient(env);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await client.close();
    await env.cleanup();
    await rm(folders.root, { recursive: true, force: true });
  });

  it('keeps all 20 records, each job run by one of them, and the record file loads cleanly', async () => {
    workers.push(spawnWorker(env.env), spawnWorker(env.env));
    await Promise.all(workers.map((w) => w.ready));
    const images = await Promise.all(Array.from({ length: 20 }, (_, i) => photo(240 + i, 160, '#446688')));
    await Promise.all(images.map((bytes, i) => writeFile(join(folders.stagingDir, `u${i}`), bytes)));
    await Promise.all(
      images.map((_, i) =>
        client.enqueue({
          name: JobName.IngestAsset,
          data: { jobId: `two${i}`, kind: 'upload', catalog: 'cat', assetId: `two/${i}`, stagingKey: `u${i}`, originalName: null, record: { UserData: `n=${i}` }, requestedAt: new Date().toISOString() },
        }),
      ),
    );
    const results = await Promise.all(images.map((_, i) => client.result<AssetJobResult>(`result-asset-two${i}`, 60000, QueueName.AssetResults)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill('succeeded'));

    const records = await catalogRecords(folders);
    for (let i = 0; i < 20; i++) {
      expect([i, records.get(`two/${i}`)?.size, records.get(`two/${i}`)?.userData]).toEqual([i, [240 + i, 160], `n=${i}`]);
    }
    expect(records.get('hand')?.path).toBe('made/caf\u00e9.jpg');
    // Both processes took jobs (the lock was contended across processes), and nothing hidden is left.
    const ran = workers.map((w) => (w.output().match(/asset cat\/two\/\d+ published/g) ?? []).length);
    expect(ran.reduce((a, b) => a + b, 0)).toBe(20);
    expect(ran.every((n) => n > 0)).toBe(true);
    expect((await readdir(folders.catalogRoot)).filter((f) => f.startsWith('.'))).toEqual([]);
    expect((await filesUnder(folders.imageRoot)).filter((f) => f.includes('/.'))).toEqual([]);
  }, 90000);
});

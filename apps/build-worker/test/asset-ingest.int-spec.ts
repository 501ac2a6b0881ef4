import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { type AssetJobResult, type IngestAssetJob, JobName, QueueName } from '@openexp/queue-contracts';
import sharp from 'sharp';
import {
  BroadcastListener,
  catalogRecords,
  createAssetFolders,
  filesUnder,
  photo,
  TIFF_TAG,
  tiffTags,
  translucent,
  type AssetFolders,
} from './support/asset-fixtures';
import { createTestEnvironment, QueueClient, startWorker, testRedisUrl, type TestEnvironment } from './support/worker-harness';

// Asset ingest (issue 17 item 2) through real Redis, real files and real sharp: the worker takes
// IngestAsset / UnpublishAsset jobs, writes pyramids and records, broadcasts and answers on asset-results.
describe('asset ingest through real Redis', () => {
  let folders: AssetFolders;
  let env: TestEnvironment;
  let workers: INestApplicationContext[];
  let client: QueueClient;
  let broadcasts: BroadcastListener;
  let seq = 0;

  beforeAll(async () => {
    folders = await createAssetFolders({ ASSET_MAX_INPUT_PIXELS: '2000000', WORKER_ASSET_CONCURRENCY: '2' });
    env = await createTestEnvironment(folders.env);
    // Two workers on one queue and one catalog, as two replicas would run.
    workers = [await startWorker(env.config), await startWorker(env.config)];
    client = new QueueClient(env);
    broadcasts = await BroadcastListener.start(testRedisUrl());
  });
  afterAll(async () => {
    await broadcasts.close();
    await client.close();
    await Promise.all(workers.map((w) => w.close()));
    await env.cleanup();
    await rm(folders.root, { recursive: true, force: true });
  });

  const ingest = async (assetId: string, bytes: Buffer | string, extra: Partial<IngestAssetJob> = {}): Promise<AssetJobResult> => {
    const jobId = `job${++seq}`;
    const stagingKey = `${jobId}.upload`;
    await writeFile(join(folders.stagingDir, stagingKey), bytes);
    const data: IngestAssetJob = {
      jobId, kind: 'upload', catalog: 'cat', assetId, stagingKey, originalName: `${assetId}.jpg`, record: {}, requestedAt: new Date().toISOString(), ...extra,
    };
    await client.enqueue({ name: JobName.IngestAsset, data });
    return client.result<AssetJobResult>(`result-asset-${jobId}`, 50000, QueueName.AssetResults);
  };

  const pyramidOf = async (result: AssetJobResult) => {
    const file = join(folders.imageRoot, result.asset?.path ?? 'missing');
    const meta = await sharp(file).metadata();
    const pages = await Promise.all(Array.from({ length: meta.pages ?? 1 }, (_, page) => sharp(file, { page }).metadata()));
    return { meta, sizes: pages.map((p) => [p.width, p.height]), tags: tiffTags(await readFile(file)) };
  };

  it('publishes a JPEG as a tiled sRGB pyramid TIFF and its record, broadcasts, answers and deletes the staged upload', async () => {
    const result = await ingest('shoes/red', await photo(1200, 800, '#c03030'), { record: { UserData: 'colour=red', Modifier: 'qlt=85' } });
    expect(result).toMatchObject({ status: 'succeeded', failures: [], asset: { catalog: 'cat', assetId: 'shoes/red', version: 1, width: 1200, height: 800, sourceFormat: 'jpeg' } });
    const { meta, sizes, tags } = await pyramidOf(result);
    expect(meta).toMatchObject({ format: 'tiff', width: 1200, height: 800, channels: 3, space: 'srgb', hasAlpha: false });
    expect(meta.icc).toBeDefined();
    // Tiled 256×256, JPEG-compressed tiles (TIFF compression 7).
    expect([tags.get(TIFF_TAG.tileWidth), tags.get(TIFF_TAG.tileLength), tags.get(TIFF_TAG.compression)]).toEqual([256, 256, 7]);
    expect(sizes).toEqual([[1200, 800], [600, 400], [300, 200], [150, 100]].slice(0, sizes.length));
    expect(sizes.length).toBeGreaterThan(2);
    expect(result.asset?.bytes).toBe((await readFile(join(folders.imageRoot, result.asset?.path ?? ''))).length);

    const record = (await catalogRecords(folders)).get('shoes/red');
    expect(record).toMatchObject({ path: result.asset?.path, size: [1200, 800], userData: 'colour=red', modifier: 'qlt=85' });
    expect(broadcasts.changed).toContainEqual({ catalog: 'cat', assetIds: ['shoes/red'] });
    expect(existsSync(join(folders.stagingDir, `job${seq}.upload`))).toBe(false);
  });

  it('keeps the alpha channel of a PNG (lossless tiles)', async () => {
    const result = await ingest('logo', await translucent(640, 480));
    expect(result.status).toBe('succeeded');
    const { meta, tags } = await pyramidOf(result);
    expect(meta).toMatchObject({ width: 640, height: 480, channels: 4, hasAlpha: true });
    // Deflate (TIFF compression 8): lossless, as JPEG tiles cannot hold alpha.
    expect(tags.get(TIFF_TAG.compression)).toBe(8);
    const pixel = await sharp(join(folders.imageRoot, result.asset?.path ?? '')).extract({ left: 10, top: 10, width: 1, height: 1 }).raw().toBuffer();
    expect(Math.abs((pixel[3] ?? 0) - 128)).toBeLessThanOrEqual(1);
  });

  it('replaces an asset with a new version and file, keeping the record fields not given', async () => {
    const first = await ingest('banner', await photo(800, 600, '#2040c0'), { record: { UserData: 'keep me' } });
    const second = await ingest('banner', await photo(900, 500, '#20c040'), { kind: 'replace', record: { Modifier: 'wid=400' } });
    expect(second).toMatchObject({ status: 'succeeded', asset: { version: 2, width: 900, height: 500 } });
    expect(second.asset?.path).not.toBe(first.asset?.path);
    expect((await catalogRecords(folders)).get('banner')).toMatchObject({ path: second.asset?.path, userData: 'keep me', modifier: 'wid=400', size: [900, 500] });

    // The version two back is deleted; the one just replaced stays (a replica may read it until it reloads).
    const name = (r: AssetJobResult) => (r.asset?.path ?? '').split('/').at(-1);
    expect(await filesUnder(join(folders.imageRoot, 'assets', 'banner'))).toEqual([name(first), name(second)].sort());
    const third = await ingest('banner', await photo(700, 500, '#c0c020'), { kind: 'replace' });
    expect(third.asset?.version).toBe(3);
    expect(await filesUnder(join(folders.imageRoot, 'assets', 'banner'))).toEqual([name(second), name(third)].sort());
  });

  it.each([
    ['a truncated JPEG', async () => (await photo(1000, 700, '#808000')).subarray(0, 3000), 'asset-corrupt-image'],
    ['a text file named .jpg', () => Promise.resolve(Buffer.from('this is not an image\n')), 'asset-unsupported-format'],
    ['an image over ASSET_MAX_INPUT_PIXELS (2 Mpx)', () => photo(2000, 1500, '#008080'), 'asset-too-many-pixels'],
  ])('fails %s with its code, leaving the previous version served and nothing half-written', async (_what, bytes, code) => {
    const before = await ingest('poster', await photo(600, 400, '#404040'));
    const recordFileBefore = await readFile(folders.recordFile);
    const imagesBefore = await filesUnder(folders.imageRoot);

    const result = await ingest('poster', await bytes(), { kind: 'replace' });
    expect(result).toMatchObject({ status: 'failed', asset: null });
    expect(result.failures.map((f) => f.code)).toEqual([code]);
    expect(result.failures[0]?.detail).not.toContain(folders.root);

    expect(await readFile(folders.recordFile)).toEqual(recordFileBefore);
    expect((await catalogRecords(folders)).get('poster')?.path).toBe(before.asset?.path);
    expect(await filesUnder(folders.imageRoot)).toEqual(imagesBefore);
    expect(existsSync(join(folders.stagingDir, `job${seq}.upload`))).toBe(false);
  });

  it('runs an ingest once however often its job is delivered: a second delivery of the job publishes nothing new', async () => {
    const result = await ingest('once', await photo(300, 300, '#ff8800'));
    const data: IngestAssetJob = {
      jobId: `job${seq}`, kind: 'upload', catalog: 'cat', assetId: 'once', stagingKey: `job${seq}.upload`, originalName: null, record: {}, requestedAt: new Date().toISOString(),
    };
    // The same API job delivered again under another BullMQ id (as a recovered duplicate would be); its upload is already gone.
    const assets = client.queues.get(QueueName.Assets);
    await assets?.add(JobName.IngestAsset, data, { jobId: `dup-${seq}` });
    let state = 'waiting';
    for (let i = 0; i < 500 && state !== 'completed' && state !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await assets?.getJobState(`dup-${seq}`)) ?? 'unknown';
    }
    expect(state).toBe('completed');
    expect((await catalogRecords(folders)).get('once')?.path).toBe(result.asset?.path);
    expect(await filesUnder(join(folders.imageRoot, 'assets', 'once'))).toEqual([`job${seq}.tif`]);
  });

  it('takes 20 uploads into one catalog from two workers at once and loses none; the hand-written record stays', async () => {
    const images = await Promise.all(Array.from({ length: 20 }, (_, i) => photo(200 + i, 150, '#556677')));
    const results = await Promise.all(images.map((bytes, i) => ingest(`bulk/${i}`, bytes)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill('succeeded'));
    const records = await catalogRecords(folders);
    for (let i = 0; i < 20; i++) {
      expect([i, records.get(`bulk/${i}`)?.size]).toEqual([i, [200 + i, 150]]);
    }
    expect(records.get('hand')).toMatchObject({ path: 'made/caf\u00e9.jpg', userData: 'by hand' });
    expect((await readFile(folders.recordFile)).toString('latin1')).toContain('\nhand\tmade/caf\u00e9.jpg\tby hand\n');
    expect((await filesUnder(folders.catalogRoot)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('unpublishes: the record leaves the catalog and the replicas are told', async () => {
    await ingest('gone', await photo(320, 240, '#101010'));
    const jobId = `unpublish${++seq}`;
    await client.enqueue({ name: JobName.UnpublishAsset, data: { jobId, catalog: 'cat', assetId: 'gone', requestedAt: new Date().toISOString() } });
    const result = await client.result<AssetJobResult>(`result-asset-${jobId}`, 50000, QueueName.AssetResults);
    expect(result).toMatchObject({ status: 'succeeded', failures: [], asset: null });
    expect((await catalogRecords(folders)).has('gone')).toBe(false);
    expect(broadcasts.changed.filter((m) => m.assetIds.includes('gone'))).toHaveLength(2);
  });

  it('applies requests in the order the API accepted them: an older upload or unpublish leaves the newer version', async () => {
    const newer = await ingest('ordered', await photo(400, 300, '#aa00aa'));
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const older = await ingest('ordered', await photo(500, 300, '#00aaaa'), { kind: 'replace', requestedAt: hourAgo });
    expect(older).toMatchObject({ status: 'succeeded', asset: { version: 1, path: newer.asset?.path, width: 400 } });
    expect(await filesUnder(join(folders.imageRoot, 'assets', 'ordered'))).toEqual([(newer.asset?.path ?? '').split('/').at(-1)]);

    const jobId = `unpublish${++seq}`;
    await client.enqueue({ name: JobName.UnpublishAsset, data: { jobId, catalog: 'cat', assetId: 'ordered', requestedAt: hourAgo } });
    expect(await client.result<AssetJobResult>(`result-asset-${jobId}`, 50000, QueueName.AssetResults)).toMatchObject({ status: 'succeeded' });
    expect((await catalogRecords(folders)).get('ordered')?.path).toBe(newer.asset?.path);
  });

  it('fails with asset-record-invalid when the Latin-1 record file cannot hold the id, and removes the pyramid it had written', async () => {
    const imagesBefore = await filesUnder(folders.imageRoot);
    const recordFileBefore = await readFile(folders.recordFile);
    const result = await ingest('snow\u2603', await photo(200, 100, '#ffffff'));
    expect(result.failures.map((f) => f.code)).toEqual(['asset-record-invalid']);
    expect(await readFile(folders.recordFile)).toEqual(recordFileBefore);
    expect(await filesUnder(folders.imageRoot)).toEqual(imagesBefore);
  });

  it('fails a job for a catalog that does not exist with asset-catalog-not-found', async () => {
    const result = await ingest('x', await photo(100, 100, '#000000'), { catalog: 'nope' });
    expect(result.failures.map((f) => f.code)).toEqual(['asset-catalog-not-found']);
  });
});

// Issue 17 end to end, real processes: two image-server replicas (one with the management API),
// the real build worker (asset ingest, pyramid TIFF, record writer) and Redis. Upload, replace,
// unpublish and failing uploads; every step seen on both replicas.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ApiRedis } from '../src/management/api-redis';
import { newApiToken } from '../src/management/auth/api-token';
import { ApiTokensRepository } from '../src/management/auth/api-tokens.repository';
import { AppProcess } from './support/app-process';
import { FIXTURES, pixels } from './support/image-server.harness';

interface Doc {
  data?: { id: string; attributes: Record<string, unknown>; meta: Record<string, unknown> };
  errors?: { code: string }[];
}

describe('asset publishing end to end (real processes)', () => {
  const redisUrl = process.env['TEST_REDIS_URL'] ?? '';
  let root: string;
  let processes: AppProcess[];
  let replicas: string[];
  let api: string;
  let token: string;
  const latencies: number[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-e2e-'));
    await cp(FIXTURES, root, { recursive: true });
    const prefix = `test-${randomUUID()}`;
    const shared = { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info' };
    const server = { ...shared, IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root, IS_WATCH_CATALOGS: '0', IS_LEVEL_CACHE: '0', IMAGE_SERVER_PORT: '0', IMAGE_SERVER_HOST: '127.0.0.1' };
    const a = AppProcess.start('image-server', { ...server, IS_API_PORT: '0', IS_API_STAGING_DIR: join(root, 'staging'), DATA_DIR: join(root, 'data-a') });
    const b = AppProcess.start('image-server', { ...server, DATA_DIR: join(root, 'data-b') });
    const worker = AppProcess.start('build-worker', {
      ...shared,
      DATA_DIR: join(root, 'data-w'),
      BLOB_ROOT: join(root, 'blobs'),
      ASSET_CATALOG_ROOT: join(root, 'catalog'),
      ASSET_ROOT_PATH: root,
      ASSET_STAGING_DIR: join(root, 'staging'),
      ASSET_MAX_INPUT_PIXELS: '4000000',
    });
    processes = [a, b, worker];
    replicas = [String((await a.logLine('image-server listening'))['url']), String((await b.logLine('image-server listening'))['url'])];
    api = String((await a.logLine('image-server management API listening'))['url']);
    await worker.logLine('build-worker started');
    const redis = ApiRedis.connect({ redisUrl, queuePrefix: prefix }, { offlineQueue: true });
    const made = newApiToken('e2e', ['cat']);
    await new ApiTokensRepository(redis).save(made.stored);
    await redis.close();
    token = made.token;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await rm(root, { recursive: true, force: true });
    process.stdout.write(`upload accepted -> served by both replicas, ms: ${latencies.map((l) => Math.round(l)).join(', ')}\n`);
  });

  const call = async (method: string, path: string, body?: FormData): Promise<{ status: number; doc: Doc }> => {
    const r = await fetch(`${api}${path}`, { method, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { body }) });
    return { status: r.status, doc: (await r.json()) as Doc };
  };
  const upload = (method: 'POST' | 'PUT', path: string, file: Buffer, name: string, fields: Record<string, string> = {}) => {
    const form = new FormData();
    Object.entries(fields).forEach(([k, v]) => form.set(k, v));
    form.set('file', new Blob([new Uint8Array(file)]), name);
    return call(method, path, form);
  };
  const get = async (i: number, path: string) => {
    const r = await fetch(`${replicas[i] ?? ''}${path}`);
    return { status: r.status, etag: r.headers.get('etag'), body: Buffer.from(await r.arrayBuffer()) };
  };
  const exists = async (i: number, id: string) => (await fetch(`${replicas[i] ?? ''}/is/image/cat/${id}?req=exists`).then((r) => r.text())).includes('catalogRecord.exists=1');
  const finished = async (jobId: string): Promise<Doc> => {
    for (let i = 0; i < 1200; i++) {
      const { doc } = await call('GET', `/jobs/${jobId}`);
      if (doc.data?.attributes['status'] !== 'pending') {
        return doc;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`job ${jobId} still pending`);
  };
  /** Polls both replicas until `ok` holds for each (a generous 30 s bound); returns the ms it took. */
  const onBoth = async (ok: (i: number) => Promise<boolean>): Promise<number> => {
    const started = performance.now();
    while (performance.now() - started < 30_000) {
      if ((await ok(0)) && (await ok(1))) {
        return performance.now() - started;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the replicas did not converge');
  };
  const colourAt = async (i: number) => (await pixels((await get(i, '/is/image/cat/e2e?wid=40&fmt=png')).body)).at(20, 15);
  const photo = (r: number, g: number, b: number) => sharp({ create: { width: 800, height: 600, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();

  it('publishes an upload on both replicas, replaces it with a new ETag, and unpublishes it', async () => {
    const started = performance.now();
    const created = await upload('POST', '/catalogs/cat/assets', await photo(200, 0, 0), 'red.jpg', { id: 'e2e' });
    expect(created.status).toBe(202);
    // The catalog has a DefaultImage (a missing id answers 200 too): served = the record exists and renders.
    await onBoth(async (i) => (await exists(i, 'e2e')) && (await get(i, '/is/image/cat/e2e?wid=40')).status === 200);
    latencies.push(performance.now() - started);
    expect((await finished(created.doc.data?.id ?? '')).data?.attributes['status']).toBe('succeeded');
    for (const i of [0, 1]) {
      expect((await colourAt(i))[0]).toBeGreaterThan(180);
    }
    const asset = await call('GET', '/catalogs/cat/assets/e2e');
    expect(asset.doc.data?.attributes).toMatchObject({ status: 'published', version: 1, width: 800, height: 600, format: 'jpeg' });
    const etag = (await get(1, '/is/image/cat/e2e?wid=40&fmt=png')).etag;

    const replaced = await upload('PUT', '/catalogs/cat/assets/e2e', await photo(0, 0, 200), 'blue.jpg');
    const replaceStarted = performance.now();
    expect(replaced.status).toBe(202);
    await onBoth(async (i) => ((await colourAt(i))[2] ?? 0) > 180);
    latencies.push(performance.now() - replaceStarted);
    for (const i of [0, 1]) {
      expect((await get(i, '/is/image/cat/e2e?wid=40&fmt=png')).etag).not.toBe(etag);
    }

    expect((await call('DELETE', '/catalogs/cat/assets/e2e')).status).toBe(202);
    await onBoth(async (i) => !(await exists(i, 'e2e')));
  });

  it.each([
    ['a corrupt JPEG', async () => (await photo(0, 200, 0)).subarray(0, 2000), 'corrupt.jpg', 'asset-corrupt-image'],
    ['a text file named .jpg', () => Promise.resolve(Buffer.from('not an image at all\n'.repeat(20))), 'text.jpg', 'asset-unsupported-format'],
    ['an image over ASSET_MAX_INPUT_PIXELS', () => sharp({ create: { width: 2500, height: 2000, channels: 3, background: '#777' } }).png().toBuffer(), 'big.png', 'asset-too-many-pixels'],
  ])('fails %s with its code in meta.status_details, the previous version still served', async (_name, make, file, code) => {
    const first = await upload('POST', '/catalogs/cat/assets', await photo(0, 200, 0), 'green.jpg', { id: 'keep' });
    expect((await finished(first.doc.data?.id ?? '')).data?.attributes['status']).toBe('succeeded');
    await onBoth(async (i) => (await exists(i, 'keep')) && (await get(i, '/is/image/cat/keep?wid=10')).status === 200);
    const bad = await upload('PUT', '/catalogs/cat/assets/keep', await make(), file);
    const done = await finished(bad.doc.data?.id ?? '');
    expect(done.data?.attributes['status']).toBe('failed');
    expect(done.data?.meta['status_details']).toMatchObject({ errors: [{ code }] });
    for (const i of [0, 1]) {
      expect((await pixels((await get(i, '/is/image/cat/keep?wid=10&fmt=png')).body)).at(5, 5)[1]).toBeGreaterThan(180);
    }
    expect(await readdir(join(root, 'staging'))).toEqual([]);
  });
});

// HTTP and caching (image-serving.md §6; §10 rows 1, 53-56) and the result cache.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES, ImageServerHarness, pixels } from './support/image-server.harness';

describe('HTTP caching (image-serving.md §6)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends nosniff and a restrictive CSP on every reply', async () => {
    for (const url of ['/is/image/cat/img1', '/is/image/cat/img1?req=props', '/is/image', '/is/image/cat/img1?wid=abc']) {
      const r = await server.get(url);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(String((await server.get('/is/image/cat/img1')).headers['content-security-policy'])).toContain("default-src 'none'");
  });

  it('row 53: If-None-Match with the ETag answers 304 without body; another ETag gets 200', async () => {
    const first = await server.get('/is/image/cat/img1?wid=120');
    const etag = String(first.headers['etag']);
    const again = await server.get('/is/image/cat/img1?wid=120', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['etag']).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=36000');
    expect((await server.get('/is/image/cat/img1?wid=120', { 'If-None-Match': 'W/' + etag })).status).toBe(304);
    expect((await server.get('/is/image/cat/img1?wid=120', { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it('row 54: record Expiration 0 expires immediately', async () => {
    const r = await server.get('/is/image/cat/exp0');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-cache, max-age=0');
    expect(Math.abs(Date.parse(String(r.headers['expires'])) - Date.now())).toBeLessThan(120_000);
  });

  it('record Expiration -1 never expires and answers any conditional GET with 304, whatever cache= says', async () => {
    const r = await server.get('/is/image/cat/never?cache=off');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000');
    expect((await server.get('/is/image/cat/never', { 'If-None-Match': '"stale"' })).status).toBe(304);
    expect((await server.get('/is/image/cat/never', { 'If-Modified-Since': 'Mon, 01 Jan 1990 00:00:00 GMT' })).status).toBe(304);
  });

  it('row 55: cache=off disables client caching and bypasses the server cache', async () => {
    const r = await server.get('/is/image/cat/img1?wid=130&cache=off');
    expect(r.headers['cache-control']).toBe('no-cache, no-store');
    expect(r.headers['x-is-cache']).toBe('bypass');
    expect((await server.get('/is/image/cat/img1?wid=130&cache=off')).headers['x-is-cache']).toBe('bypass');
    const serverOnly = await server.get('/is/image/cat/img1?wid=131&cache=on,off');
    expect([serverOnly.headers['cache-control'], serverOnly.headers['x-is-cache']]).toEqual(['public, max-age=36000', 'bypass']);
    expect((await server.get('/is/image/cat/img1?wid=131&cache=bogus')).status).toBe(403);
  });

  it('the result cache answers repeated requests (X-IS-Cache miss then hit, same bytes); cache=update re-renders', async () => {
    const miss = await server.get('/is/image/cat/img1?wid=140');
    const hit = await server.get('/is/image/cat/img1?wid=140');
    expect([miss.headers['x-is-cache'], hit.headers['x-is-cache']]).toEqual(['miss', 'hit']);
    expect(hit.body.equals(miss.body)).toBe(true);
    expect(hit.headers['etag']).toBe(miss.headers['etag']);
    expect((await server.get('/is/image/cat/img1?wid=140&cache=update')).headers['x-is-cache']).toBe('miss');
  });

  it('identical concurrent requests are rendered once (single flight)', async () => {
    const metric = async () => {
      const text = (await server.get('/metrics')).text;
      const line = text.split('\n').find((l) => l.startsWith('is_result_cache_lookups_total{') && l.includes('outcome="shared"'));
      return Number(line?.split(' ').pop() ?? 0);
    };
    const before = await metric();
    const replies = await Promise.all(Array.from({ length: 5 }, () => server.get('/is/image/cat/img1?wid=155&hei=155')));
    expect(new Set(replies.map((r) => r.headers['etag'])).size).toBe(1);
    expect(replies.every((r) => r.headers['x-is-cache'] === 'miss')).toBe(true);
    expect((await metric()) - before).toBe(4);
  });

  it('row 56: HEAD has the GET headers and no body', async () => {
    const get = await server.get('/is/image/cat/img1');
    const head = await server.get('/is/image/cat/img1', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of ['content-type', 'etag', 'cache-control', 'x-content-type-options']) {
      expect(head.headers[h]).toBe(get.headers[h]);
    }
    expect(head.headers['content-length']).toBe(String(get.body.length));
  });

  it('UseLastModified=1 sends Last-Modified (latest catalog/record TimeStamp) and honours If-Modified-Since', async () => {
    const r = await server.get('/is/image/lm/img1?wid=50');
    expect(r.headers['last-modified']).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect((await server.get('/is/image/lm/img1?wid=50', { 'If-Modified-Since': 'Tue, 02 Jan 2024 03:04:05 GMT' })).status).toBe(304);
    expect((await server.get('/is/image/lm/img1?wid=50', { 'If-Modified-Since': 'Mon, 01 Jan 2024 00:00:00 GMT' })).status).toBe(200);
    expect((await server.get('/is/image/lm/stamped?wid=50')).headers['last-modified']).toBe('Sat, 07 Jun 2025 08:09:10 GMT');
    expect((await server.get('/is/image/cat/img1?wid=50')).headers['last-modified']).toBeUndefined();
  });

  it('property replies use NonImgExpiration and have an ETag', async () => {
    const r = await server.get('/is/image/cat/img1?req=exists');
    expect(r.headers['cache-control']).toBe('public, max-age=360');
    const etag = String(r.headers['etag']);
    expect((await server.get('/is/image/cat/img1?req=exists', { 'If-None-Match': etag })).status).toBe(304);
  });
});

describe('result cache invalidation and configuration', () => {
  let root: string;
  let server: ImageServerHarness;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-cache-'));
    await cp(FIXTURES, root, { recursive: true });
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root, IS_SOURCE_STAT_TTL_MS: '0' });
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a replaced source file is a cache miss and renders the new content', async () => {
    const before = await server.get('/is/image/cat/img1?wid=100');
    expect((await server.get('/is/image/cat/img1?wid=100')).headers['x-is-cache']).toBe('hit');
    const green = await sharp({ create: { width: 500, height: 500, channels: 3, background: { r: 0, g: 255, b: 0 } } }).jpeg().toBuffer();
    await writeFile(join(root, 'images/cat/img1.jpg'), green);
    const after = await server.get('/is/image/cat/img1?wid=100');
    expect(after.headers['x-is-cache']).toBe('miss');
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
    expect((await pixels(after.body)).height).toBe(100);
  });

  it('IS_RESULT_CACHE_BYTES=0 disables the cache', async () => {
    const off = await ImageServerHarness.start({ IS_RESULT_CACHE_BYTES: '0' });
    try {
      await off.get('/is/image/cat/img1');
      expect((await off.get('/is/image/cat/img1')).headers['x-is-cache']).toBe('bypass');
    } finally {
      await off.close();
    }
  });
});

/**
 * Server-wide status switches (IS_STATUS_*), overload (503 + Retry-After) and attribute
 * inheritance from default.ini (defined-but-empty disables ErrorImage/DefaultImage).
 */
import { resolve } from 'node:path';
import { imageFacts, startErrorApp, type ErrorApp } from './error-app';
import { expectError, PROPERTY_FORMATS } from './error-expectations';

describe('status switches', () => {
  let srv: ErrorApp;
  beforeAll(async () => {
    srv = await startErrorApp({ IS_STATUS_NOT_FOUND: '404', IS_STATUS_USAGE: '400', IS_STATUS_SERVER: '500', IS_STATUS_OVERLOAD: '429' });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('not found → 404 in every format', async () => {
    expectError(await srv.get('/is/image/cat/img2?defaultImage='), 404, 'text', 'Image not found');
    for (const format of PROPERTY_FORMATS) {
      expectError(await srv.get(`/is/image/cat/img2?req=props,${format}`), 404, format, 'Image not found');
    }
  });

  it('invalid request → 400; refused and too large stay 403', async () => {
    expectError(await srv.get('/is/image/cat/img1?wid=abc'), 400, 'text', 'Invalid request');
    expectError(await srv.get('/is/image/cat/img1?fmt=bogus&req=props,json'), 400, 'json', 'Invalid request');
    expectError(await srv.get('/is/image/cat/img1?wid=2001'), 403, 'text', 'Image too large');
    expectError(await srv.get('/is/image/locked/img1?wid=200'), 403, 'text', 'Request refused');
  });

  it('server error → 500', async () => {
    expectError(await srv.get('/is/image/cat/corrupt'), 500, 'text', 'Server error');
  });

  it('error and default images still answer 200 when configured', async () => {
    expect((await srv.get('/is/image/caterr/img1?wid=abc')).status).toBe(200);
    expect((await srv.get('/is/image/cat/img2')).status).toBe(200);
  });
});

describe('invalid status switches are refused at start-up', () => {
  it('names the variable', async () => {
    await expect(startErrorApp({ IS_STATUS_NOT_FOUND: '418' })).rejects.toThrow(/IS_STATUS_NOT_FOUND="418": must be one of 403, 404/);
  });
});

describe('overload', () => {
  let srv: ErrorApp;
  beforeAll(async () => {
    srv = await startErrorApp({ IS_MAX_RENDERS: '1', IS_MAX_QUEUE: '0', IS_RESULT_CACHE_BYTES: '0' });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('refuses renders beyond the admission limit with 503 Server busy and Retry-After, never an error image', async () => {
    const urls = Array.from({ length: 12 }, (_, i) => `/is/image/caterr/img1?wid=${300 + i}&op_blur=3`);
    const replies = await Promise.all(urls.map((u) => srv.get(u)));
    const busy = replies.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const reply of busy) {
      expectError(reply, 503, 'text', 'Server busy');
      expect(reply.headers['retry-after']).toBe('5');
      expect(reply.headers['x-is-error-image']).toBeUndefined();
    }
    for (const reply of replies.filter((r) => r.status !== 503)) {
      expect(reply.status).toBe(200);
      expect(reply.headers['x-is-error-image']).toBeUndefined();
    }
  });
});

describe('inheritance from default.ini', () => {
  let srv: ErrorApp;
  beforeAll(async () => {
    srv = await startErrorApp({ IS_CATALOG_ROOT: resolve(__dirname, 'fixtures/inherit') });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('a catalog without the attributes inherits ErrorImage, DefaultImage, DefaultExpiration and ErrorDetail', async () => {
    const errorImage = await srv.get('/is/image/on/img1?wid=abc');
    expect(errorImage.headers['x-is-error-image']).toBe('IMG_INVALID_COMMAND_VALUE');
    expect(await imageFacts(errorImage.body)).toMatchObject({ width: 50, height: 50 });
    const fallback = await srv.get('/is/image/on/img2');
    expect(fallback.headers['x-is-default-image']).toBe('image-not-found; source=attribute');
    expect(fallback.headers['cache-control']).toBe('public, max-age=1800');
    const detailed = await srv.get('/is/image/on/img2?req=props');
    expect(detailed.text).toMatch(/^Image not found\n.*missing\.jpg/);
  });

  it('defined-but-empty ErrorImage and DefaultImage disable them; an empty ErrorDetail inherits 2', async () => {
    const noErrorImage = await srv.get('/is/image/off/img1?wid=abc');
    expect(noErrorImage.status).toBe(403);
    expect(noErrorImage.headers['x-is-error-image']).toBeUndefined();
    expect(noErrorImage.text).toMatch(/^Invalid request\n.*abc/);
    const noDefault = await srv.get('/is/image/off/img2');
    expect(noDefault.status).toBe(403);
    expect(noDefault.text).toMatch(/^Image not found\n/);
    // defaultImage= in the URL still works where the attribute is off
    expect((await srv.get('/is/image/off/img2?defaultImage=noimage')).status).toBe(200);
  });
});

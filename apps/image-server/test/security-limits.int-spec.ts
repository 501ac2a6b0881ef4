// Security and limits (image-serving.md §7; §10 rows 15, 16, 25, 58-60) and render admission.
// Error bodies beyond the level-0 title are issue 4's (apps/image-server/src/errors).
import { requestLockHash } from '@openexp/catalogs';
import { BLUE, GREEN, ImageServerHarness, near, pixels, RED, YELLOW } from './support/image-server.harness';

describe('security and limits (image-serving.md §7)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start({ IS_MAX_INPUT_PIXELS: '50000000', IS_MAX_RENDER_PIXELS: '250000' });
  });
  afterAll(async () => {
    await server.close();
  });

  const refused = async (url: string, title: string) => {
    const r = await server.get(url);
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(String(r.headers['cache-control'])).toContain('no-store');
    expect(r.headers['etag']).toBeUndefined();
    expect(r.text).toBe(title);
  };

  it('rows 15, 16: replies larger than MaxPix are refused', async () => {
    await refused('/is/image/cat/img1?wid=2001', 'Image too large');
    await refused('/is/image/cat/img1?scl=0.4', 'Image too large');
  });

  it('IS_MAX_RENDER_PIXELS (IS::MaxRenderRgnPixels) caps the reply: a zoom tile of a larger view is served', async () => {
    // lm has MaxPix=0,0. scl=0.1 makes a 10000×8000 view of img1 (80 Mpx, over the 250,000 set
    // here); the tile around its centre is 200×200 and shows the four quadrants meeting.
    const tile = await server.get('/is/image/lm/img1?scl=0.1&rect=4900,3900,200,200');
    expect(tile.status).toBe(200);
    const p = await pixels(tile.body);
    expect([p.width, p.height, p.format]).toEqual([200, 200, 'jpeg']);
    expect(near(p.at(50, 50), RED)).toBe(true);
    expect(near(p.at(150, 50), GREEN)).toBe(true);
    expect(near(p.at(50, 150), BLUE)).toBe(true);
    expect(near(p.at(150, 150), YELLOW)).toBe(true);
    // A reply over the cap is refused, by wid×hei or by the tile's own size.
    await refused('/is/image/lm/img1?wid=600&hei=600', 'Image too large');
    await refused('/is/image/lm/img1?scl=1', 'Image too large');
    await refused('/is/image/lm/img1?scl=0.1&rect=0,0,600,600', 'Image too large');
    const fits = await server.get('/is/image/lm/img1?wid=500&hei=500');
    expect(fits.status).toBe(200);
    expect([(await pixels(fits.body)).width, (await pixels(fits.body)).height]).toEqual([500, 500]);
  });

  it('refuses a view image with a side beyond what libvips can address (10,000,000 px), however small the tile', async () => {
    await refused('/is/image/lm/img1?scl=0.00005&rect=0,0,10,10', 'Image too large');
  });

  it('row 25: catalog ids are case-sensitive: /CAT/img1 is a missing path', async () => {
    await refused('/is/image/CAT/img1', 'Image not found');
  });

  it.each(['/is/image/cat/..%2F..%2Fetc/passwd', '/is/image/cat/../x', '/is/image/..%2F..%2F..%2Fetc%2Fpasswd', '/is/image/cat/%00x'])(
    'row 58: %s never reads outside the roots',
    async (url) => {
      const r = await server.get(url);
      expect(r.status).toBe(403);
      expect(r.text).not.toContain('root:');
    },
  );

  it('row 59: RequestLock=1 needs the right lock suffix', async () => {
    const ok = await server.get('/is/image/lock/img1?wid=200&4a1f');
    expect(ok.status).toBe(200);
    expect([(await pixels(ok.body)).width, (await pixels(ok.body)).height]).toEqual([200, 160]);
    await refused('/is/image/lock/img1?wid=200&0000', 'Request refused');
    await refused('/is/image/lock/img1?wid=200', 'Request refused');
  });

  it('row 60: RequestObfuscation=1 decodes base64 modifiers (lock inside)', async () => {
    const ok = await server.get('/is/image/obf/img1?d2lkPTIwMCY0YTFm');
    expect(ok.status).toBe(200);
    expect((await pixels(ok.body)).width).toBe(200);
    await refused('/is/image/obf/img1?d2lkPTIwMA==', 'Request refused');
  });

  it('a decompression bomb (header claims 30000×30000) is refused from its header', async () => {
    await refused('/is/image/cat/bomb', 'Image too large');
  });

  it('a corrupt source is a server error (failOn), not a grey picture', async () => {
    await refused('/is/image/cat/corrupt', 'Server error');
  });

  it('a record whose file is missing is not found (default images are issue 4)', async () => {
    const r = await server.get(`/is/image/lock/img2?wid=10&${requestLockHash('wid=10')}`);
    expect(r.status).toBe(403);
    expect(r.text).toBe('Image not found');
  });
});

describe('render admission (IS_MAX_RENDERS, IS_MAX_QUEUE)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start({ IS_MAX_RENDERS: '1', IS_MAX_QUEUE: '0', IS_RESULT_CACHE_BYTES: '0' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses renders beyond the queue with 503 and Retry-After, and serves the others', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => server.get(`/is/image/cat/img1?scl=1&wid=${900 + i}&fmt=png`)));
    const statuses = replies.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    const busy = replies.find((r) => r.status === 503);
    expect(busy?.headers['retry-after']).toMatch(/^\d+$/);
    expect(busy?.text).toBe('Server busy');
    expect((await server.get('/is/image/cat/img1?wid=10')).status).toBe(200);
  });
});

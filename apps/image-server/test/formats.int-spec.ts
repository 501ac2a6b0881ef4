// Encoders of §9 item 6 and the op_* filters of item 5 (§10 rows 21-23), checked on decoded output.
import sharp from 'sharp';
import { GREEN, ImageServerHarness, near, pixels, RED, tiffCompression, WHITE } from './support/image-server.harness';

describe('fmt=, qlt=, pixel types and filters (image-serving.md §3.2, §3.3)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['jpeg', 'image/jpeg', 'jpeg', 3],
    ['jpg', 'image/jpeg', 'jpeg', 3],
    ['pjpeg', 'image/jpeg', 'jpeg', 3],
    ['png', 'image/png', 'png', 3],
    ['png-alpha', 'image/png', 'png', 4],
    ['png8', 'image/png', 'png', 3],
    ['gif', 'image/gif', 'gif', 3],
    ['webp', 'image/webp', 'webp', 3],
    ['avif', 'image/avif', 'heif', 3],
    ['tif', 'image/tiff', 'tiff', 3],
  ])('row 21: fmt=%s → %s', async (fmt, mime, decoded, channels) => {
    const r = await server.get(`/is/image/cat/img1?wid=100&fmt=${fmt}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(mime);
    const meta = await sharp(r.body).metadata();
    expect(meta.format).toBe(decoded);
    expect([meta.width, meta.height]).toEqual([100, 80]);
    if (decoded !== 'gif') {
      expect(meta.channels).toBe(channels);
    }
    const px = await pixels(r.body);
    expect(near(px.at(10, 10), RED, 24)).toBe(true);
  });

  it('pjpeg is progressive, jpeg is not', async () => {
    expect((await sharp((await server.get('/is/image/cat/img1?wid=100&fmt=pjpeg')).body).metadata()).isProgressive).toBe(true);
    expect((await sharp((await server.get('/is/image/cat/img1?wid=100&fmt=jpeg')).body).metadata()).isProgressive).toBe(false);
  });

  it('row 22: fmt=jpeg,gray&qlt=60 is a 1-channel JPEG', async () => {
    const r = await server.get('/is/image/cat/img1?fmt=jpeg,gray&qlt=60&wid=200');
    const meta = await sharp(r.body).metadata();
    expect([meta.width, meta.height, meta.channels, meta.space]).toEqual([200, 160, 1, 'b-w']);
  });

  it('png,gray keeps one channel; png-alpha,gray keeps gray + alpha', async () => {
    expect((await sharp((await server.get('/is/image/cat/alpha?fmt=png,gray')).body).metadata()).channels).toBe(1);
    expect((await sharp((await server.get('/is/image/cat/alpha?fmt=png-alpha,gray')).body).metadata()).channels).toBe(2);
  });

  it('qlt= changes JPEG size; qlt=…,1 turns chroma subsampling off', async () => {
    const low = await server.get('/is/image/plain/photo.jpg?qlt=20');
    const high = await server.get('/is/image/plain/photo.jpg?qlt=95');
    expect(low.body.length).toBeLessThan(high.body.length);
    expect((await sharp(high.body).metadata()).chromaSubsampling).toBe('4:2:0');
    expect((await sharp((await server.get('/is/image/plain/photo.jpg?qlt=95,1')).body).metadata()).chromaSubsampling).toBe('4:4:4');
  });

  it('png-alpha keeps transparency; jpeg flattens it on bgc', async () => {
    const alpha = await pixels((await server.get('/is/image/cat/alpha?fmt=png-alpha')).body);
    expect(alpha.channels).toBe(4);
    expect(alpha.at(150, 50)[3]).toBe(0);
    expect(alpha.at(50, 50)).toEqual([255, 0, 0, 255]);
    const flat = await pixels((await server.get('/is/image/cat/alpha?fmt=jpeg&bgc=00ff00')).body);
    expect(flat.channels).toBe(3);
    expect(near(flat.at(150, 50), GREEN)).toBe(true);
    const png = await pixels((await server.get('/is/image/cat/alpha?fmt=png')).body);
    expect([png.channels, ...png.at(150, 50)]).toEqual([3, ...WHITE]);
  });

  it.each(['gif-alpha', 'webp-alpha', 'avif-alpha', 'png8-alpha', 'tif-alpha'])('%s keeps transparency', async (fmt) => {
    const px = await pixels((await server.get(`/is/image/cat/alpha?fmt=${fmt}`)).body);
    expect(px.at(150, 50)[3]).toBeLessThan(16);
    expect(px.at(50, 50)[3]).toBeGreaterThan(240);
  });

  it.each(['none', 'lzw', 'zip', 'jpeg'])('fmt=tif,,%s sets the TIFF compression', async (c) => {
    const body = (await server.get(`/is/image/cat/img1?wid=50&fmt=tif,,${c}`)).body;
    expect((await sharp(body).metadata()).format).toBe('tiff');
    expect(tiffCompression(body)).toBe({ none: 1, lzw: 5, zip: 8, jpeg: 7 }[c]);
  });

  it('webp and avif lossless compressions are exact', async () => {
    for (const fmt of ['webp,,lossless', 'avif,,lossless']) {
      const px = await pixels((await server.get(`/is/image/cat/gradient?fmt=${fmt}&scl=1`)).body);
      expect(Math.abs((px.at(100, 8)[0] ?? 0) - 100)).toBeLessThanOrEqual(fmt.startsWith('avif') ? 2 : 0);
    }
  });

  it('png8 has a palette', async () => {
    const meta = await sharp((await server.get('/is/image/cat/img1?wid=100&fmt=png8')).body).metadata();
    expect(meta.isPalette).toBe(true);
  });

  it('resMode= picks the resampling kernel (different bytes, same size)', async () => {
    const bilin = await server.get('/is/image/plain/photo.jpg?wid=150&resMode=bilin&fmt=png');
    const sharp2 = await server.get('/is/image/plain/photo.jpg?wid=150&resMode=sharp2&fmt=png');
    expect(bilin.body.equals(sharp2.body)).toBe(false);
    expect((await pixels(bilin.body)).width).toBe(150);
  });

  describe('filters on the gray gradient (pixel value = x)', () => {
    const grad = async (q: string) => pixels((await server.get(`/is/image/cat/gradient?scl=1&fmt=png&${q}`)).body);

    it('op_brightness shifts values', async () => {
      expect((await grad('op_brightness=20')).at(100, 8)[0]).toBe(151);
      expect((await grad('op_brightness=-20')).at(100, 8)[0]).toBe(49);
    });

    it('op_contrast scales around 128', async () => {
      expect((await grad('op_contrast=50')).at(100, 8)[0]).toBe(86);
      expect((await grad('op_contrast=-100')).at(100, 8)[0]).toBe(128);
    });

    it('op_blur smooths a hard edge', async () => {
      const sharpEdge = await pixels((await server.get('/is/image/cat/img1?scl=1&fmt=png&crop=400,0,200,100')).body);
      const blurred = await pixels((await server.get('/is/image/cat/img1?scl=1&fmt=png&crop=400,0,200,100&op_blur=20')).body);
      expect(sharpEdge.at(90, 50)[1]).toBeLessThan(20);
      expect(blurred.at(90, 50)[1]).toBeGreaterThan((sharpEdge.at(90, 50)[1] ?? 0) + 20);
    });

    it('op_sharpen and op_usm change an edge and keep flat areas', async () => {
      const plain = await grad('');
      for (const q of ['op_sharpen=1', 'op_usm=3,4,0,0']) {
        const s = await grad(q);
        expect([s.width, s.height]).toEqual([256, 16]);
        expect(Math.abs((s.at(128, 8)[0] ?? 0) - (plain.at(128, 8)[0] ?? 0))).toBeLessThanOrEqual(3);
      }
      const edge = await pixels((await server.get('/is/image/cat/img1?scl=1&fmt=png&crop=400,0,200,100&op_blur=3')).body);
      const usm = await pixels((await server.get('/is/image/cat/img1?scl=1&fmt=png&crop=400,0,200,100&op_blur=3&op_usm=5,10,0,0')).body);
      expect(usm.at(95, 50)).not.toEqual(edge.at(95, 50));
    });

    it('op_saturation=-100 makes gray', async () => {
      const px = await pixels((await server.get('/is/image/cat/img1?wid=100&fmt=png&op_saturation=-100')).body);
      const [r = 0, g = 0, b = 0] = px.at(10, 10);
      expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThanOrEqual(2);
      const more = await pixels((await server.get('/is/image/cat/img1?wid=100&fmt=png&op_saturation=50')).body);
      expect(more.width).toBe(100);
    });
  });

  it('row 23: fmt=bogus and unsupported formats are usage errors (403, no-store)', async () => {
    for (const fmt of ['bogus', 'pdf', 'jpeg,cmyk']) {
      const r = await server.get(`/is/image/cat/img1?fmt=${fmt}`);
      expect(r.status).toBe(403);
      expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
      expect(String(r.headers['cache-control'])).toContain('no-store');
      expect(r.headers['etag']).toBeUndefined();
    }
  });
});

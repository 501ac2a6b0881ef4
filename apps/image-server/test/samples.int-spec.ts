// The sample catalog shipped for the one-command start (samples/): every record and preset renders.
import { join } from 'node:path';
import { ImageServerHarness, near, pixels } from './support/image-server.harness';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples');

describe('sample catalog (samples/)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(SAMPLES, 'catalog'), IS_ROOT_PATH: join(SAMPLES, 'images') });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['/is/image/samples/dune', 400, 250, 'jpeg'],
    ['/is/image/samples/dune?$Large$', 1000, 625, 'jpeg'],
    ['/is/image/samples/ladybird?$Thumb$&$Webp$', 150, 150, 'webp'],
    ['/is/image/samples/dune-square', 300, 300, 'jpeg'],
    ['/is/image/samples/storm-banner', 1000, 250, 'jpeg'],
    ['/is/image/samples/ladybird-gray?wid=100', 100, 63, 'jpeg'],
    ['/is/image/samples/meadow?$Medium$', 600, 480, 'jpeg'],
    ['/is/image/samples/yellow-flower?$Zoom$', 512, 512, 'jpeg'],
    ['/is/image/samples/swatch?fmt=png', 200, 200, 'png'],
    ['/is/image/dune.jpg?wid=200', 200, 125, 'jpeg'],
  ])('%s → %i×%i %s', async (url, w, h, format) => {
    const r = await server.get(url);
    expect(r.status).toBe(200);
    const px = await pixels(r.body);
    expect([px.width, px.height, px.format]).toEqual([w, h, format]);
  });

  it('the swatch template is its bgc and userdata carries the credits', async () => {
    const px = await pixels((await server.get('/is/image/samples/swatch?fmt=png')).body);
    expect(near(px.at(100, 100), [0x2b, 0x6c, 0xb0], 0)).toBe(true);
    expect((await server.get('/is/image/samples/dune?req=userdata')).text).toContain('credit=Marco Cogoni');
  });
});

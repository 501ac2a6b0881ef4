// Pyramid TIFF sources (image-serving.md §7, "Performance claims: pyramid TIFF sources";
// `IS::MaxNonDsfSize` limits non-pyramid sources only). Fixtures (fixtures/make-fixtures.mjs):
// - levels.tif: pages 400×320 red, 200×160 green, 100×80 blue, 50×40 white, so the colour of a
//   reply tells which level it was read from;
// - pages.tif: a multi-page TIFF that is not a pyramid;
// - img1-pyramid.tif: img1's quadrants as libvips writes a pyramid, to compare with img1.jpg.
import { BLUE, GREEN, ImageServerHarness, meanDifference, near, pixels, RED, WHITE } from './support/image-server.harness';

describe('pyramid TIFF sources', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start();
  });
  afterAll(async () => {
    await server.close();
  });

  /** The reply's size and its colour in the middle. */
  const read = async (url: string) => {
    const r = await server.get(url);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/jpeg');
    const px = await pixels(r.body);
    return { size: [px.width, px.height], colour: px.at(Math.floor(px.width / 2), Math.floor(px.height / 2)), channels: px.channels };
  };

  it.each([
    ['wid=400', [400, 320], RED],
    ['wid=201', [201, 161], RED],
    ['wid=200', [200, 160], GREEN],
    ['wid=150', [150, 120], GREEN],
    ['wid=100', [100, 80], BLUE],
    ['wid=60', [60, 48], BLUE],
    ['wid=50', [50, 40], WHITE],
    ['wid=20', [20, 16], WHITE],
    ['scl=4', [100, 80], BLUE],
    ['hei=160', [200, 160], GREEN],
    ['wid=100&hei=160&fit=stretch', [100, 160], GREEN],
    ['wid=100&hei=100&fit=crop', [100, 100], GREEN],
    ['scl=1&rect=0,0,64,64', [64, 64], RED],
    ['rgn=0,0,200,160&wid=100', [100, 80], GREEN],
    ['rgn=200,160,200,160&wid=50', [50, 40], BLUE],
  ])('?%s reads the smallest level with enough detail', async (query, size, colour) => {
    const r = await read(`/is/image/cat/levels.tif?${query}`);
    expect(r.size).toEqual(size);
    expect(r.channels).toBe(3);
    expect(near(r.colour, colour)).toBe(true);
  });

  it('req=tmb reads a level too (DefaultThumbPix 100,100 → 100×80 from the 100×80 level)', async () => {
    const r = await read('/is/image/cat/levels.tif?req=tmb');
    expect(r.size).toEqual([100, 100]);
    expect(near(r.colour, BLUE)).toBe(true);
  });

  it('a crop inside the image, alone, is a window onto the levels', async () => {
    const quarter = await read('/is/image/cat/levels.tif?crop=0,0,200,160&wid=50');
    expect(quarter.size).toEqual([50, 40]);
    expect(near(quarter.colour, BLUE)).toBe(true);
    const normalized = await read('/is/image/cat/levels.tif?cropN=0.5,0.5,0.5,0.5&wid=100');
    expect(normalized.size).toEqual([100, 80]);
    expect(near(normalized.colour, GREEN)).toBe(true);
  });

  it('other layer commands, and a crop reaching outside the image, read the full image, level 0', async () => {
    expect(near((await read('/is/image/cat/levels.tif?rotate=90&wid=40')).colour, RED)).toBe(true);
    expect(near((await read('/is/image/cat/levels.tif?crop=0,0,200,160&flip=lr&wid=50')).colour, RED)).toBe(true);
    expect(near((await read('/is/image/cat/levels.tif?extend=0,0,0,0&wid=50')).colour, RED)).toBe(true);
    const outside = await read('/is/image/cat/levels.tif?crop=-100,0,400,320&wid=50');
    expect(outside.size).toEqual([50, 40]);
    expect(near(outside.colour, RED)).toBe(true);
  });

  it('req=imageprops describes the full image, level 0', async () => {
    const r = await server.get('/is/image/cat/levels.tif?req=imageprops');
    expect(r.status).toBe(200);
    expect(r.text).toContain('image.width=400');
    expect(r.text).toContain('image.height=320');
  });

  it.each([
    'wid=200',
    'wid=123',
    'wid=300&hei=300',
    'wid=300&hei=300&align=-1,-1&bgc=00ff00',
    'wid=200&hei=200&fit=crop',
    'rgn=250,200,500,400&wid=120',
    'scl=1&rect=436,336,128,128',
    'scl=3&fmt=png',
    'wid=100&op_usm=1,1,0',
    'req=tmb',
    'crop=100,100,600,500&wid=150',
    'cropN=0.25,0.25,0.5,0.5&wid=100&hei=100&fit=crop',
  ])('?%s gives the same picture as the JPEG of the same image', async (query) => {
    const [pyramid, jpeg] = await Promise.all([server.get(`/is/image/cat/img1-pyramid.tif?${query}`), server.get(`/is/image/cat/img1?${query}`)]);
    expect(pyramid.status).toBe(200);
    expect(pyramid.headers['content-type']).toBe(jpeg.headers['content-type']);
    // Quadrant edges are where the two may differ at all: the JPEG source has ringing there.
    expect(await meanDifference(pyramid.body, jpeg.body)).toBeLessThan(3);
  });

  it('a multi-page TIFF whose pages do not halve (pages.tif) is read as its first page', async () => {
    const r = await read('/is/image/cat/pages.tif?wid=30');
    expect(r.size).toEqual([30, 20]);
    expect(near(r.colour, RED)).toBe(true);
  });
});

describe('pyramid TIFF sources and the input pixel limit (MaxNonDsfSize: non-pyramid sources)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    // levels.tif's level 0 is 128,000 pixels, its level 1 32,000.
    server = await ImageServerHarness.start({ IS_MAX_INPUT_PIXELS: '50000' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves replies that a level within the limit can make', async () => {
    const r = await server.get('/is/image/cat/levels.tif?wid=200');
    expect(r.status).toBe(200);
    const px = await pixels(r.body);
    expect([px.width, px.height]).toEqual([200, 160]);
    expect(near(px.at(100, 80), GREEN)).toBe(true);
  });

  it('serves a crop whose reply a level within the limit can make', async () => {
    const r = await server.get('/is/image/cat/levels.tif?crop=0,0,100,100&wid=50');
    expect(r.status).toBe(200);
    expect(near((await pixels(r.body)).at(25, 25), GREEN)).toBe(true);
  });

  it.each(['scl=1', 'wid=300', 'scl=1&rect=0,0,64,64', 'crop=0,0,100,100&flip=lr&wid=50'])('refuses ?%s, which needs the level above the limit', async (query) => {
    const r = await server.get(`/is/image/cat/levels.tif?${query}`);
    expect(r.status).toBe(403);
    expect(r.text).toBe('Image too large');
    expect(String(r.headers['cache-control'])).toContain('no-store');
  });

  it('still refuses a non-pyramid source above the limit, whatever the reply size', async () => {
    const r = await server.get('/is/image/cat/img1?wid=20');
    expect(r.status).toBe(403);
    expect(r.text).toBe('Image too large');
  });
});

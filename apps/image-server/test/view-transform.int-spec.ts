// §10 rows 1-20, 24, 26-30, 57, 61, 63 and the view/layer commands of §9 item 5, checked on output pixels.
// img1 is 1000×800 with four solid quadrants: red (top-left), green (top-right), blue (bottom-left), yellow (bottom-right).
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { BLUE, GREEN, ImageServerHarness, near, pixels, RED, WHITE, YELLOW } from './support/image-server.harness';

describe('view transform and layer commands (image-serving.md §3.1, §10)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start();
  });
  afterAll(async () => {
    await server.close();
  });

  const image = async (url: string) => {
    const r = await server.get(url);
    expect(r.status).toBe(200);
    return { reply: r, px: await pixels(r.body) };
  };

  it('row 1: DefaultPix scales img1 to 400×320 JPEG with Expires ≈ now+10h and ETag = MD5(body)', async () => {
    const { reply, px } = await image('/is/image/cat/img1');
    expect([px.width, px.height, px.format, px.channels]).toEqual([400, 320, 'jpeg', 3]);
    expect(reply.headers['content-type']).toBe('image/jpeg');
    expect(reply.headers['etag']).toBe(`"${createHash('md5').update(reply.body).digest('hex')}"`);
    expect(reply.headers['cache-control']).toBe('public, max-age=36000');
    const expires = Date.parse(String(reply.headers['expires']));
    expect(Math.abs(expires - (Date.now() + 10 * 3600_000))).toBeLessThan(120_000);
    expect(near(px.at(10, 10), RED)).toBe(true);
    expect(near(px.at(390, 310), YELLOW)).toBe(true);
  });

  it.each([
    ['wid=200', 200, 160],
    ['hei=200', 250, 200],
    ['scl=2', 500, 400],
    ['scl=1', 1000, 800],
    ['wid=200&hei=200&fit=constrain', 200, 160],
    ['wid=200&hei=200&fit=wrap', 250, 200],
    ['wid=200&hei=200&fit=stretch', 200, 200],
    ['wid=200&hei=200&fit=hfit', 200, 200],
    ['wid=200&hei=200&fit=vfit', 200, 200],
  ])('rows 2, 3, 7, 9, 11-13: %s → %i×%i', async (q, w, h) => {
    const { px } = await image(`/is/image/cat/img1?${q}`);
    expect([px.width, px.height]).toEqual([w, h]);
  });

  it('row 4: wid+hei fits the image (200×160) centred with 20 px white bands', async () => {
    const { px } = await image('/is/image/cat/img1?wid=200&hei=200');
    expect([px.width, px.height]).toEqual([200, 200]);
    expect(near(px.at(100, 5), WHITE)).toBe(true);
    expect(near(px.at(100, 194), WHITE)).toBe(true);
    expect(near(px.at(10, 30), RED)).toBe(true);
    expect(near(px.at(190, 170), YELLOW)).toBe(true);
  });

  it('row 5: align=-1,-1 puts the image at the top and a 40 px band at the bottom', async () => {
    const { px } = await image('/is/image/cat/img1?wid=200&hei=200&align=-1,-1');
    expect(near(px.at(10, 5), RED)).toBe(true);
    expect(near(px.at(100, 165), WHITE)).toBe(true);
    expect(near(px.at(190, 150), YELLOW)).toBe(true);
  });

  it('row 6: bgc=ff0000 and bgc=255,0,0 give red bands and identical bytes', async () => {
    const hex = await image('/is/image/cat/img1?wid=200&hei=200&bgc=ff0000');
    const dec = await image('/is/image/cat/img1?wid=200&hei=200&bgc=255,0,0');
    expect(near(hex.px.at(150, 3), RED)).toBe(true);
    expect(hex.reply.body.equals(dec.reply.body)).toBe(true);
  });

  it('row 8: fit=crop scales to 250×200 and crops the sides, centred', async () => {
    const { px } = await image('/is/image/cat/img1?wid=200&hei=200&fit=crop');
    expect([px.width, px.height]).toEqual([200, 200]);
    // 25 px cut on each side: the red/green boundary (x=125 after scaling) sits at x=100.
    expect(near(px.at(95, 50), RED)).toBe(true);
    expect(near(px.at(105, 50), GREEN)).toBe(true);
  });

  it('row 10: fit=fit,0 keeps 1000×800 unscaled in 1200×1200, fit=fit,1 scales to 1200×960', async () => {
    const no = await image('/is/image/cat/img1?wid=1200&hei=1200&fit=fit,0');
    expect([no.px.width, no.px.height]).toEqual([1200, 1200]);
    expect(near(no.px.at(95, 600), WHITE)).toBe(true);
    expect(near(no.px.at(105, 205), RED)).toBe(true);
    expect(near(no.px.at(600, 195), WHITE)).toBe(true);
    const up = await image('/is/image/cat/img1?wid=1200&hei=1200&fit=fit,1');
    expect(near(up.px.at(5, 125), RED)).toBe(true);
    expect(near(up.px.at(600, 115), WHITE)).toBe(true);
  });

  it('fit=crop,0 does not upscale a box larger than the image: it pads instead', async () => {
    const { px } = await image('/is/image/cat/img1?wid=1200&hei=1000&fit=crop,0');
    expect([px.width, px.height]).toEqual([1200, 1000]);
    expect(near(px.at(50, 500), WHITE)).toBe(true);
  });

  it('row 14: scl=1&wid=300&hei=300 is a 300×300 centre crop', async () => {
    const { px } = await image('/is/image/cat/img1?scl=1&wid=300&hei=300');
    expect([px.width, px.height]).toEqual([300, 300]);
    expect(near(px.at(100, 50), RED)).toBe(true);
    expect(near(px.at(200, 250), YELLOW)).toBe(true);
  });

  it('row 17: rect=0,0,500,400 is the top-left tile; a tile over the edge is padded with bgc', async () => {
    const tile = await image('/is/image/cat/img1?scl=1&rect=0,0,500,400');
    expect([tile.px.width, tile.px.height]).toEqual([500, 400]);
    expect(near(tile.px.at(250, 200), RED)).toBe(true);
    const edge = await image('/is/image/cat/img1?scl=1&rect=900,700,200,200&bgc=0000ff');
    expect(near(edge.px.at(50, 50), YELLOW)).toBe(true);
    expect(near(edge.px.at(150, 150), BLUE)).toBe(true);
  });

  it('rgn= is a region of the composite before scaling, padded with bgc outside the image', async () => {
    const { px } = await image('/is/image/cat/img1?rgn=400,300,200,200&wid=100');
    expect([px.width, px.height]).toEqual([100, 100]);
    expect(near(px.at(20, 20), RED)).toBe(true);
    expect(near(px.at(80, 80), YELLOW)).toBe(true);
    const out = await image('/is/image/cat/img1?rgn=900,700,200,200&bgc=00ff00');
    expect(near(out.px.at(190, 190), GREEN)).toBe(true);
  });

  it('row 18: crop=0,0,500,400 gives the red quadrant; cropN=0.1,0,0.8,1 gives 800×800', async () => {
    const crop = await image('/is/image/cat/img1?scl=1&crop=0,0,500,400');
    expect([crop.px.width, crop.px.height]).toEqual([500, 400]);
    expect(near(crop.px.at(480, 380), RED)).toBe(true);
    const cropN = await image('/is/image/cat/img1?scl=1&cropN=0.1,0,0.8,1');
    expect([cropN.px.width, cropN.px.height]).toEqual([800, 800]);
  });

  it('crop= outside the source pads with bgColor (transparent in png-alpha)', async () => {
    const { px } = await image('/is/image/cat/img1?scl=1&crop=-100,-100,300,300&fmt=png-alpha');
    expect([px.width, px.height, px.channels]).toEqual([300, 300, 4]);
    expect(px.at(50, 50)[3]).toBe(0);
    expect(near(px.at(200, 200), [...RED, 255])).toBe(true);
  });

  it('row 19: extend=10,10,10,10&bgColor=ff0000 gives 1020×820 with a red border; png-alpha without bgColor is transparent', async () => {
    const red = await image('/is/image/cat/img1?scl=1&extend=10,10,10,10&bgColor=ff0000&fmt=png');
    expect([red.px.width, red.px.height]).toEqual([1020, 820]);
    expect(near(red.px.at(1015, 410), RED)).toBe(true);
    expect(near(red.px.at(1015, 700), RED)).toBe(true);
    expect(near(red.px.at(1000, 700), YELLOW)).toBe(true);
    const clear = await image('/is/image/cat/img1?scl=1&extend=10,10,10,10&fmt=png-alpha');
    expect(clear.px.channels).toBe(4);
    expect(clear.px.at(5, 5)[3]).toBe(0);
    expect(clear.px.at(500, 400)[3]).toBe(255);
  });

  it('extend= with negative values crops', async () => {
    const { px } = await image('/is/image/cat/img1?scl=1&extend=-500,0,0,-400');
    expect([px.width, px.height]).toEqual([500, 400]);
    expect(near(px.at(250, 200), GREEN)).toBe(true);
  });

  it('row 20: rotate=90 gives 800×1000 with blue at the top-left; flip=lr mirrors', async () => {
    const rot = await image('/is/image/cat/img1?scl=1&rotate=90');
    expect([rot.px.width, rot.px.height]).toEqual([800, 1000]);
    expect(near(rot.px.at(50, 50), BLUE)).toBe(true);
    expect(near(rot.px.at(750, 50), RED)).toBe(true);
    const flip = await image('/is/image/cat/img1?scl=1&flip=lr');
    expect([flip.px.width, flip.px.height]).toEqual([1000, 800]);
    expect(near(flip.px.at(50, 50), GREEN)).toBe(true);
    const ud = await image('/is/image/cat/img1?scl=1&flip=ud');
    expect(near(ud.px.at(50, 50), BLUE)).toBe(true);
  });

  it('rotate=45 grows the canvas and fills the corners with bgColor', async () => {
    const { px } = await image('/is/image/cat/img1?scl=1&rotate=45&bgColor=0000ff&fmt=png');
    expect([px.width, px.height]).toEqual([1273, 1273]);
    expect(near(px.at(3, 3), BLUE)).toBe(true);
  });

  it('scale= and size= set the layer size before the view transform', async () => {
    const scaled = await image('/is/image/cat/img1?scale=0.1');
    expect([scaled.px.width, scaled.px.height]).toEqual([100, 80]);
    const sized = await image('/is/image/cat/img1?size=0,100');
    expect([sized.px.width, sized.px.height]).toEqual([125, 100]);
    const both = await image('/is/image/cat/img1?size=50,50&scale=0.5');
    expect([both.px.width, both.px.height]).toEqual([50, 40]);
  });

  it('size=w,h is a bounding box: the aspect ratio is kept, one side meets it, neither exceeds it', async () => {
    // img1 is 1000×800 in quadrants (red, green / blue, yellow): the quadrant edges stay in the middle.
    const wide = await image('/is/image/cat/img1?size=50,50&fmt=png');
    expect([wide.px.width, wide.px.height, wide.px.format]).toEqual([50, 40, 'png']);
    expect(near(wide.px.at(12, 10), RED)).toBe(true);
    expect(near(wide.px.at(37, 10), GREEN)).toBe(true);
    expect(near(wide.px.at(12, 30), BLUE)).toBe(true);
    expect(near(wide.px.at(37, 30), YELLOW)).toBe(true);
    const tall = await image('/is/image/cat/img1?size=400,100&fmt=png');
    expect([tall.px.width, tall.px.height]).toEqual([125, 100]);
    const enlarged = await image('/is/image/cat/img1?crop=0,0,100,100&size=300,200&fmt=png');
    expect([enlarged.px.width, enlarged.px.height]).toEqual([200, 200]);
    expect(near(enlarged.px.at(199, 199), RED)).toBe(true);
  });

  it('rows 24, 26: command names are case-insensitive and comments are ignored', async () => {
    const upper = await server.get('/is/image/cat/img1?WID=200&FMT=png');
    const lower = await server.get('/is/image/cat/img1?wid=200&fmt=png');
    expect(upper.body.equals(lower.body)).toBe(true);
    const commented = await image('/is/image/cat/img1?wid=200&.comment=x&hei=100');
    const plain = await server.get('/is/image/cat/img1?wid=200&hei=100');
    expect(commented.reply.body.equals(plain.body)).toBe(true);
    expect([commented.px.width, commented.px.height]).toEqual([200, 100]);
    expect(near(commented.px.at(20, 50), WHITE)).toBe(true);
    expect(near(commented.px.at(40, 10), RED)).toBe(true);
  });

  it('row 27: macros have positional semantics', async () => {
    expect((await image('/is/image/cat/img1?$view$')).px.width).toBe(240);
    expect((await image('/is/image/cat/img1?$view$&wid=480')).px.width).toBe(480);
    expect((await image('/is/image/cat/img1?wid=480&$view$')).px.width).toBe(240);
  });

  it('row 28: variables are substituted', async () => {
    const { px } = await image('/is/image/cat/img1?$w=300&wid=$w$');
    expect([px.width, px.height]).toEqual([300, 240]);
  });

  it('rows 29, 30: record Modifier applies and the URL beats it', async () => {
    const mod = await image('/is/image/cat/mod1');
    expect([mod.px.width, mod.px.height, mod.px.format]).toEqual([100, 80, 'png']);
    expect(mod.reply.headers['content-type']).toBe('image/png');
    const url = await image('/is/image/cat/mod1?wid=50');
    expect([url.px.width, url.px.height, url.px.format]).toEqual([50, 40, 'png']);
  });

  it('row 57: a plain path in the default catalog: 600×400 photo at wid=100 → 100×67', async () => {
    const { px } = await image('/is/image/plain/photo.jpg?wid=100');
    expect([px.width, px.height, px.format]).toEqual([100, 67, 'jpeg']);
  });

  it('row 61: req=tmb fits into DefaultThumbPix 100×100 with white bands', async () => {
    const { px } = await image('/is/image/cat/img1?req=tmb');
    expect([px.width, px.height]).toEqual([100, 100]);
    expect(near(px.at(50, 3), WHITE)).toBe(true);
    expect(near(px.at(50, 96), WHITE)).toBe(true);
    expect(near(px.at(10, 20), RED)).toBe(true);
  });

  it('row 63: printRes=300 writes 300 dpi', async () => {
    const { reply, px } = await image('/is/image/cat/img1?printRes=300&wid=200');
    expect([px.width, px.height]).toEqual([200, 160]);
    expect((await sharp(reply.body).metadata()).density).toBe(300);
  });

  it('a template record without Path draws its size= canvas in bgc', async () => {
    const { px } = await image('/is/image/cat/tpl?fmt=png');
    expect([px.width, px.height]).toEqual([60, 40]);
    expect(near(px.at(30, 20), GREEN, 0)).toBe(true);
  });

  it('a catalog can set BkgColor, JpegQuality and unlimited DefaultPix', async () => {
    const { px } = await image('/is/image/lm/img1?wid=200&hei=200');
    expect(near(px.at(100, 5), BLUE)).toBe(true);
    const full = await image('/is/image/lm/img1');
    expect([full.px.width, full.px.height]).toEqual([1000, 800]);
  });
});

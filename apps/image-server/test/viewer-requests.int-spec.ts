// Viewer request types of issue 16 (image-serving.md §2, §2.1, §3.3, §5): req=targets, req=imageset,
// req=mask, req=map and req=set, on the records of fixtures/catalog/viewer.ini.
import { ImageServerHarness, pixels } from './support/image-server.harness';

const JSONP = /^\/\*jsonp\*\/s7jsonResponse\((.*),""\);$/s;

/** The payload of a JSONP reply, parsed. */
function jsonpPayload(text: string): unknown {
  const m = JSONP.exec(text);
  if (m === null) {
    throw new Error(`not a JSONP reply: ${text}`);
  }
  return JSON.parse(m[1] ?? '');
}

/** The record `viewer/shoe`'s Map (img1.jpg is 1000x800). */
const SHOE_MAP = '<AREA SHAPE="RECT" COORDS="100,80,300,240" HREF="/heel" ALT="Heel"><area shape="poly" coords="500,400,700,400,600,600" href="/toe"><AREA SHAPE="DEFAULT" HREF="/all">';

describe('viewer request types (issue 16)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start();
  });
  afterAll(async () => {
    await server.close();
  });

  describe('req=targets', () => {
    it('text: one CRLF line per target property and a trailing CRLF, image TTL (record Expiration)', async () => {
      const r = await server.get('/is/image/viewer/shoe?req=targets&wid=10');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
      expect(r.text).toBe('target.0.id=heel\r\ntarget.0.rect=100,80,200,160\r\ntarget.1.id=toe\r\n');
      expect(r.headers['cache-control']).toBe('public, max-age=7200');
      expect(r.headers['etag']).toMatch(/^"[0-9a-f]{32}"$/);
    });

    it('a record without Targets, or no record, is a bare CRLF (200)', async () => {
      for (const url of ['/is/image/cat/img1?req=targets', '/is/image/viewer/nope?req=targets']) {
        const r = await server.get(url);
        expect([r.status, r.text]).toEqual([200, '\r\n']);
      }
    });

    it('xml (in the encoding asked for) and json', async () => {
      const xml = await server.get('/is/image/viewer/shoe?req=targets,xml');
      expect(xml.headers['content-type']).toBe('text/xml; charset=UTF-8');
      expect(xml.text).toMatch(/<prop-group name="target">\s*<property name="0.id" value="heel" \/>\s*<property name="0.rect" value="100,80,200,160" \/>/);
      const le = await server.get('/is/image/viewer/shoe?req=targets,xml,UTF-16LE');
      expect(le.headers['content-type']).toBe('text/xml; charset=UTF-16LE');
      expect(le.body.toString('utf16le')).toContain('<property name="1.id" value="toe" />');
      const json = await server.get('/is/image/viewer/shoe?req=targets,json&id=7');
      expect(json.headers['content-type']).toBe('text/javascript; charset=UTF-8');
      expect(json.text).toBe('/*jsonp*/s7jsonResponse({"target.0.id":"heel","target.0.rect":"100,80,200,160","target.1.id":"toe"},"7");');
    });

    it('errors come in the format asked for (JSONP through s7jsonError); formats §2 does not list are usage errors', async () => {
      const refused = await server.get('/is/image/viewer/..%2F..%2Fsecret?req=targets,json&id=9');
      expect(refused.status).toBe(403);
      expect(refused.text).toMatch(/^\/\*jsonp\*\/s7jsonError\(\{"message":".*","title":".*"\},"9"\);$/);
      expect((await server.get('/is/image/viewer/shoe?req=targets,javascript')).status).toBe(403);
    });
  });

  describe('req=imageset', () => {
    it('text: the ImageSet field as written and a CRLF; NonImgExpiration', async () => {
      const r = await server.get('/is/image/viewer/swatches?req=imageset');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
      expect(r.text).toBe('viewer/shoe;viewer/sw1,viewer/g;{0xff0000 Red}\r\n');
      expect(r.headers['cache-control']).toBe('public, max-age=360');
    });

    it('no record, or a record without a set: a bare CRLF', async () => {
      expect((await server.get('/is/image/viewer/nope?req=imageset')).text).toBe('\r\n');
      expect((await server.get('/is/image/viewer/shoe?req=imageset')).text).toBe('\r\n');
    });

    it('javascript, xml (with encoding) and json carry the set as one property', async () => {
      const js = await server.get('/is/image/viewer/spin?req=imageset,javascript');
      expect(js.headers['content-type']).toBe('text/javascript; charset=UTF-8');
      expect(js.text).toBe("catalogRecord.imageSet='viewer/shoe,viewer/g,viewer/sw1'\n");
      const xml = await server.get('/is/image/viewer/spin?req=imageset,xml,ISO-8859-1');
      expect(xml.headers['content-type']).toBe('text/xml; charset=ISO-8859-1');
      expect(xml.body.toString('latin1')).toContain('<prop-group name="catalogRecord">\n    <property name="imageSet" value="viewer/shoe,viewer/g,viewer/sw1" />');
      const json = await server.get('/is/image/viewer/spin?req=imageset,json&handler=cb');
      expect(json.text).toBe('/*jsonp*/cb({"catalogRecord.imageSet":"viewer/shoe,viewer/g,viewer/sw1"},"");');
    });
  });

  describe('req=mask', () => {
    it('answers the alpha channel as a gray image, JPEG by default, image TTL', async () => {
      const r = await server.get('/is/image/cat/alpha?req=mask');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/jpeg');
      expect(r.headers['cache-control']).toBe('public, max-age=36000');
      const p = await pixels(r.body);
      expect([p.width, p.height, p.channels]).toEqual([200, 100, 1]);
      expect(p.at(20, 50)[0]).toBeGreaterThan(245); // opaque half
      expect(p.at(180, 50)[0]).toBeLessThan(10); // transparent half
    });

    it('follows fmt= (png, rgb pixel type) and the view transform; padding is transparent, hence 0', async () => {
      const r = await server.get('/is/image/cat/alpha?req=mask&fmt=png&wid=100&hei=100&bgc=ffffff');
      expect(r.headers['content-type']).toBe('image/png');
      const p = await pixels(r.body);
      expect([p.width, p.height, p.channels]).toEqual([100, 100, 1]);
      const gray = (x: number, y: number) => p.at(x, y)[0];
      expect([gray(10, 5), gray(10, 50), gray(90, 50), gray(10, 95)]).toEqual([0, 255, 0, 0]); // bands above and below the 100x50 image are 0
      const rgb = await pixels((await server.get('/is/image/cat/alpha?req=mask&fmt=png,rgb')).body);
      expect(rgb.channels).toBe(3);
      expect(rgb.at(20, 50)).toEqual([255, 255, 255]);
    });

    it('an opaque source is all white; mask and image replies never share a cache entry', async () => {
      const image = await server.get('/is/image/cat/img1?wid=100&fmt=png');
      const mask = await server.get('/is/image/cat/img1?wid=100&fmt=png&req=mask');
      const again = await server.get('/is/image/cat/img1?wid=100&fmt=png');
      expect((await pixels(image.body)).channels).toBe(3);
      const m = await pixels(mask.body);
      expect([m.channels, m.at(10, 10)[0], m.at(90, 70)[0]]).toEqual([1, 255, 255]);
      expect(mask.headers['etag']).not.toBe(image.headers['etag']);
      expect(again.headers['etag']).toBe(image.headers['etag']);
    });

    it('bad commands are the standard image error; req=mask takes no format', async () => {
      const bad = await server.get('/is/image/viewer/alpha?req=mask&wid=abc');
      expect(bad.status).toBe(403);
      expect(String(bad.headers['cache-control'])).toContain('no-store');
      expect(bad.text).toContain('wid=abc'); // the command is the failure, not the request type (ErrorDetail=2)
      expect((await server.get('/is/image/cat/alpha?req=mask,json')).status).toBe(403);
    });
  });

  describe('req=map', () => {
    it('without geometry commands: the record Map as written, text/plain, image TTL', async () => {
      const r = await server.get('/is/image/viewer/shoe?req=map');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
      expect(r.text).toBe(SHOE_MAP);
      expect(r.headers['cache-control']).toBe('public, max-age=7200');
    });

    it('scales coordinates to the reply (wid=), DEFAULT becomes the RECT the image covers', async () => {
      const r = await server.get('/is/image/viewer/shoe?req=map&wid=500');
      expect(r.text).toBe('<AREA SHAPE="RECT" COORDS="50,40,150,120" HREF="/heel" ALT="Heel"><area shape="POLY" coords="250,200,350,200,300,300" href="/toe"><AREA SHAPE="RECT" COORDS="0,0,500,400" HREF="/all">');
      // Coordinates are for the laid-out size: a denser reply (dpr=) does not change them.
      expect((await server.get('/is/image/viewer/shoe?req=map&wid=500&dpr=on,2')).text).toBe(r.text);
      // res=36 on the 72-ppi (attribute::Resolution) source halves it too: res= is a geometry command.
      expect((await server.get('/is/image/viewer/shoe?req=map&scl=1&res=36')).text).toBe(r.text);
    });

    it('follows the fit box padding, crop, flip and rotation of the image reply', async () => {
      // wid=200&hei=200: scale 0.2, image 200x160 centred, 20 px bands above and below.
      expect((await server.get('/is/image/viewer/shoe?req=map&wid=200&hei=200')).text).toBe(
        '<AREA SHAPE="RECT" COORDS="20,36,60,68" HREF="/heel" ALT="Heel"><area shape="POLY" coords="100,100,140,100,120,140" href="/toe"><AREA SHAPE="RECT" COORDS="0,20,200,180" HREF="/all">',
      );
      // The polygon lies outside the crop: it is dropped.
      expect((await server.get('/is/image/viewer/shoe?req=map&scl=1&crop=0,0,500,400')).text).toBe(
        '<AREA SHAPE="RECT" COORDS="100,80,300,240" HREF="/heel" ALT="Heel"><AREA SHAPE="RECT" COORDS="0,0,500,400" HREF="/all">',
      );
      const flipped = await server.get('/is/image/viewer/shoe?req=map&scl=1&flip=lr');
      expect(flipped.text.startsWith('<AREA SHAPE="RECT" COORDS="700,80,900,240"')).toBe(true);
      // rotate=90: the 1000x800 image becomes 800x1000, (x, y) -> (800 - y, x).
      const rotated = await server.get('/is/image/viewer/shoe?req=map&scl=1&rotate=90');
      expect(rotated.text.startsWith('<AREA SHAPE="RECT" COORDS="560,100,720,300"')).toBe(true);
    });

    it('the record Modifier counts as a geometry command; map= adds areas in layer pixels', async () => {
      expect((await server.get('/is/image/viewer/small?req=map')).text).toBe('<AREA SHAPE="RECT" COORDS="0,0,250,200" HREF="/q1">');
      const area = encodeURIComponent('<area shape=rect coords=0,0,100,100 href=/x>');
      expect((await server.get(`/is/image/cat/img1?req=map&wid=500&map=${area}`)).text).toBe('<area shape="RECT" coords="0,0,50,50" href="/x">');
    });

    it('no record, or no map: an empty 200 reply', async () => {
      for (const url of ['/is/image/cat/img1?req=map', '/is/image/viewer/nope?req=map&wid=100']) {
        const r = await server.get(url);
        expect([r.status, r.text]).toEqual([200, '']);
      }
    });

    it('xml (with encoding) and json forms', async () => {
      const xml = await server.get('/is/image/viewer/shoe?req=map,xml&wid=500');
      expect(xml.headers['content-type']).toBe('text/xml; charset=UTF-8');
      expect(xml.text).toBe(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<map>\n' +
          '  <area shape="RECT" coords="50,40,150,120" href="/heel" alt="Heel" />\n' +
          '  <area shape="POLY" coords="250,200,350,200,300,300" href="/toe" />\n' +
          '  <area shape="RECT" coords="0,0,500,400" href="/all" />\n</map>\n',
      );
      const be = await server.get('/is/image/viewer/shoe?req=map,xml,UTF-16BE');
      expect(be.headers['content-type']).toBe('text/xml; charset=UTF-16BE');
      expect(Buffer.from(be.body).swap16().toString('utf16le')).toContain('<area shape="RECT" coords="100,80,300,240" href="/heel" alt="Heel" />');
      const json = await server.get('/is/image/viewer/shoe?req=map,json&wid=500');
      expect(json.headers['content-type']).toBe('text/javascript; charset=UTF-8');
      expect(jsonpPayload(json.text)).toEqual({
        map: [
          { shape: 'RECT', coords: '50,40,150,120', href: '/heel', alt: 'Heel' },
          { shape: 'POLY', coords: '250,200,350,200,300,300', href: '/toe' },
          { shape: 'RECT', coords: '0,0,500,400', href: '/all' },
        ],
      });
      expect((await server.get('/is/image/cat/img1?req=map,json')).text).toBe('/*jsonp*/s7jsonResponse({"map":[]},"");');
    });

    it('bad geometry values are usage errors in the format asked for; javascript is not a map format', async () => {
      const bad = await server.get('/is/image/viewer/shoe?req=map,json&wid=abc&id=x');
      expect(bad.status).toBe(403);
      expect(bad.text).toMatch(/^\/\*jsonp\*\/s7jsonError\(\{"message":".*","title":".*"\},"x"\);$/);
      expect((await server.get('/is/image/viewer/shoe?req=map,javascript')).status).toBe(403);
    });
  });

  describe('req=set', () => {
    const set = async (url: string) => {
      const r = await server.get(url);
      expect([r.status, r.headers['content-type']]).toEqual([200, 'text/javascript; charset=UTF-8']);
      return jsonpPayload(r.text);
    };
    const shoe = { n: 'viewer/shoe', dx: '1000', dy: '800' };
    const g = { n: 'viewer/g', dx: '256', dy: '16' };
    const sw1 = { n: 'viewer/sw1', dx: '200', dy: '200' };
    const spin = { pv: '1.0', type: 'spin', n: 'viewer/spin', item: [{ i: shoe }, { i: g }, { i: sw1 }] };
    const swatches = { pv: '1.0', type: 'img_set', n: 'viewer/swatches', item: [{ i: shoe, s: { n: 'viewer/sw1' } }, { i: g, s: { c: '0xff0000', l: 'Red' } }] };

    it('a record without a set is a simple img set; xml is the default format, NonImgExpiration', async () => {
      const r = await server.get('/is/image/viewer/shoe?req=set');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/xml; charset=UTF-8');
      expect(r.headers['cache-control']).toBe('public, max-age=360');
      expect(r.text).toBe('<?xml version="1.0" encoding="UTF-8" ?>\n<set pv="1.0" type="img" n="viewer/shoe">\n  <item>\n    <i n="viewer/shoe" dx="1000" dy="800" />\n  </item>\n</set>\n');
      expect(await set('/is/image/plain/photo.jpg?req=set,json')).toEqual({ set: { pv: '1.0', type: 'img', n: 'plain/photo.jpg', item: [{ i: { n: 'plain/photo.jpg', dx: '600', dy: '400' } }] } });
    });

    it('swatch sets (one semicolon): image, swatch image or solid colour with label', async () => {
      expect(await set('/is/image/viewer/swatches?req=set,json')).toEqual({ set: swatches });
      const xml = await server.get('/is/image/viewer/swatches?req=set,xml');
      expect(xml.text).toContain('<item>\n    <i n="viewer/g" dx="256" dy="16" />\n    <s c="0xff0000" l="Red" />\n  </item>');
    });

    it('spin sets (AssetType), 2D spin sets (in-line and referenced sets) and page sets (colons)', async () => {
      expect(await set('/is/image/viewer/spin?req=set,json')).toEqual({ set: spin });
      expect(await set('/is/image/viewer/spin2d?req=set,json')).toEqual({
        set: { pv: '1.0', type: 'spin', n: 'viewer/spin2d', item: [{ set: { pv: '1.0', type: 'spin', item: [{ i: shoe }, { i: g }] } }, { set: spin }] },
      });
      expect(await set('/is/image/viewer/pages?req=set,json')).toEqual({ set: { pv: '1.0', type: 'ecat', n: 'viewer/pages', item: [{ i: [shoe, g] }, { i: sw1 }] } });
    });

    it('media sets (two semicolons): typed items, nested sets and swatches', async () => {
      expect(await set('/is/image/viewer/media?req=set,json')).toEqual({
        set: {
          pv: '1.0',
          type: 'media_set',
          n: 'viewer/media',
          item: [
            { type: 'img', i: shoe, s: { n: 'viewer/sw1' } },
            { type: 'img_set', set: swatches, s: { n: 'viewer/g' } },
            { type: 'spin', set: spin },
          ],
        },
      });
    });

    it('imageSet= (braces escape it) overrides the record; a member that is no readable image has no size', async () => {
      const value = encodeURIComponent('{viewer/shoe;{0x00ff00},viewer/nope}');
      expect(await set(`/is/image/viewer?imageSet=${value}&req=set,json`)).toEqual({
        set: { pv: '1.0', type: 'img_set', item: [{ i: shoe, s: { c: '0x00ff00' } }, { i: { n: 'viewer/nope' } }] },
      });
      // Members are resolved like src= (§1.5): a path out of the roots is no image, never read.
      expect(await set(`/is/image/viewer?imageSet=${encodeURIComponent('{../../../etc/passwd,/etc/hostname,cat/%2E%2E/%2E%2E/x.jpg}')}&req=set,json`)).toEqual({
        set: { pv: '1.0', type: 'img_set', item: [{ i: { n: '../../../etc/passwd' } }, { i: { n: '/etc/hostname' } }, { i: { n: 'cat/../../x.jpg' } }] },
      });
      expect(await set(`/is/image/viewer/spin?imageSet=${encodeURIComponent('{viewer/g}')}&req=set,json`)).toEqual({
        set: { pv: '1.0', type: 'spin', n: 'viewer/spin', item: [{ i: g }] },
      });
    });

    it('xml in the encoding asked for; text is not a set format', async () => {
      const r = await server.get('/is/image/viewer/spin?req=set,xml,UTF-16');
      expect(r.headers['content-type']).toBe('text/xml; charset=UTF-16');
      expect(r.body.subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
      expect(Buffer.from(r.body.subarray(2)).swap16().toString('utf16le')).toContain('<set pv="1.0" type="spin" n="viewer/spin">');
      expect((await server.get('/is/image/viewer/spin?req=set,text')).status).toBe(403);
    });

    it('errors in the format asked for: self-containing sets, nesting too deep, nested media sets, broken braces, a missing image', async () => {
      const error = async (url: string) => {
        const r = await server.get(url);
        expect(r.status).toBe(403);
        expect(String(r.headers['cache-control'])).toContain('no-store');
        return r.text;
      };
      const jsonError = (why: string) => new RegExp(`^/\\*jsonp\\*/s7jsonError\\(\\{"message":"[^"]*${why}[^"]*","title":"[^"]*"\\},""\\);$`);
      expect(await error('/is/image/viewer/loop1?req=set,json')).toMatch(jsonError('set viewer/loop1 contains itself'));
      expect(await error('/is/image/viewer/medias?req=set,json')).toMatch(jsonError('a media set inside a media set'));
      expect(await error(`/is/image/viewer?req=set,json&imageSet=${encodeURIComponent('{{{{viewer/shoe}}}}')}`)).toMatch(jsonError('nested deeper than 3 levels'));
      expect((await server.get(`/is/image/viewer?req=set,json&imageSet=${encodeURIComponent('{{{viewer/shoe}}}')}`)).status).toBe(200);
      expect(await error(`/is/image/viewer?req=set&imageSet=${encodeURIComponent('viewer/shoe}')}`)).toContain('<prop-group name="error">');
      expect(await error('/is/image/plain/nope.jpg?req=set')).toContain('<prop-group name="error">');
      expect(await error('/is/image/viewer?req=set')).toContain('<prop-group name="error">');
    });
  });
});

// Viewer request types of issue 16 (image-serving.md §2, §2.1, §3.3, §5): req=targets, req=imageset,
// req=mask, req=map and req=set, on the records of fixtures/catalog/viewer.ini.
import { ImageServerHarness, pixels } from './support/image-server.harness';

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
      const bad = await server.get('/is/image/cat/alpha?req=mask&wid=abc');
      expect(bad.status).toBe(403);
      expect(String(bad.headers['cache-control'])).toContain('no-store');
      expect((await server.get('/is/image/cat/alpha?req=mask,json')).status).toBe(403);
    });
  });
});

// Smart imaging (issue 16 items 1 and 2): format negotiation from Accept (bfc) and the device
// pixel ratio (dpr), through HTTP on the real server: Content-Type, Vary, ETag, result-cache
// entries, MaxPix and IS_MAX_RENDER_PIXELS.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_ACCEPT } from './support/browser-accept';
import { FIXTURES, ImageServerHarness, pixels, type TestReply } from './support/image-server.harness';

const ACCEPTS = [
  ['current Chrome', BROWSER_ACCEPT.chrome, 'image/webp'],
  ['current Firefox', BROWSER_ACCEPT.firefox, 'image/webp'],
  ['current Safari', BROWSER_ACCEPT.safari, 'image/webp'],
  ['Safari 13', BROWSER_ACCEPT.oldSafari, 'image/jpeg'],
  ['*/*', '*/*', 'image/jpeg'],
  ['AVIF only', 'image/avif', 'image/avif'],
  ['no Accept', undefined, 'image/jpeg'],
] as const;

const accept = (value: string | undefined): Record<string, string> => (value === undefined ? {} : { Accept: value });

/** The format sharp reads from a body, as a MIME type. */
async function sniffed(r: TestReply): Promise<string> {
  const f = (await pixels(r.body)).format;
  return { jpeg: 'image/jpeg', webp: 'image/webp', heif: 'image/avif', png: 'image/png' }[f] ?? f;
}

describe('format negotiation and device pixel ratio (issue 16, §3.5, §6)', () => {
  let root: string;
  /** IS_BFC unset (off): catalog `smart` (Bfc=1) and `nosmart` (Bfc=0) beside the fixture catalogs. */
  let server: ImageServerHarness;
  /** IS_BFC=1, IS_MAX_RENDER_PIXELS=1000000. */
  let bfcServer: ImageServerHarness;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-negotiation-'));
    await cp(FIXTURES, root, { recursive: true });
    const catalog = (rootId: string, bfc: string) =>
      [`RootId=${rootId}`, 'RootPath=images/cat/', 'CatalogFile=cat.txt', 'MacroFile=macros.txt', `Bfc=${bfc}`, 'MaxPix=1200,1000', ''].join('\n');
    await writeFile(join(root, 'catalog', 'smart.ini'), catalog('smart', '1'));
    await writeFile(join(root, 'catalog', 'nosmart.ini'), catalog('nosmart', '0'));
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root });
    bfcServer = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root, IS_BFC: '1', IS_MAX_RENDER_PIXELS: '1000000' });
  });
  afterAll(async () => {
    await server.close();
    await bfcServer.close();
    await rm(root, { recursive: true, force: true });
  });

  describe('bfc (format negotiation)', () => {
    it.each(ACCEPTS)('catalog Bfc=1, %s: the format of the Accept policy, Vary: Accept', async (_name, value, type) => {
      const r = await server.get('/is/image/smart/img1?wid=200', accept(value));
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(type);
      expect(await sniffed(r)).toBe(type);
      expect(r.headers['vary']).toBe('Accept');
      expect((await pixels(r.body)).width).toBe(200);
    });

    it('gives each variant its own ETag and result-cache entry: no variant is ever served for another', async () => {
      const url = '/is/image/smart/img1?wid=210';
      const first = new Map<string, TestReply>();
      for (const [name, value] of ACCEPTS) {
        first.set(name, await server.get(url, accept(value)));
      }
      // Second pass in the reverse order: every reply is a hit of its own variant.
      for (const [name, value, type] of [...ACCEPTS].reverse()) {
        const again = await server.get(url, accept(value));
        expect([name, again.headers['content-type'], again.headers['x-is-cache']]).toEqual([name, type, 'hit']);
        expect(await sniffed(again)).toBe(type);
        expect(again.headers['etag']).toBe(first.get(name)?.headers['etag']);
      }
      const etags = (type: string) => new Set(ACCEPTS.filter((a) => a[2] === type).map(([name]) => first.get(name)?.headers['etag']));
      const [webp, jpeg, avif] = [etags('image/webp'), etags('image/jpeg'), etags('image/avif')];
      expect([webp.size, jpeg.size, avif.size]).toEqual([1, 1, 1]);
      expect(new Set([...webp, ...jpeg, ...avif]).size).toBe(3);
    });

    it('answers If-None-Match of one variant with 304 only for that variant, with Vary on the 304', async () => {
      const url = '/is/image/smart/img1?wid=220';
      const webp = await server.get(url, { Accept: BROWSER_ACCEPT.chrome });
      const etag = String(webp.headers['etag']);
      const revalidated = await server.get(url, { Accept: BROWSER_ACCEPT.chrome, 'If-None-Match': etag });
      expect([revalidated.status, revalidated.headers['vary']]).toEqual([304, 'Accept']);
      const other = await server.get(url, { Accept: '*/*', 'If-None-Match': etag });
      expect([other.status, other.headers['content-type']]).toEqual([200, 'image/jpeg']);
    });

    it('never negotiates an explicit fmt= (URL, record Modifier, macro): no Vary', async () => {
      for (const [url, type] of [
        ['/is/image/smart/img1?wid=200&fmt=jpeg', 'image/jpeg'],
        ['/is/image/smart/img1?wid=200&fmt=png', 'image/png'],
        ['/is/image/smart/mod1', 'image/png'],
        ['/is/image/smart/img1?$view$', 'image/jpeg'],
        ['/is/image/smart/preset', 'image/png'],
      ] as const) {
        const r = await server.get(url, { Accept: BROWSER_ACCEPT.chrome });
        expect([url, r.status, r.headers['content-type'], r.headers['vary']]).toEqual([url, 200, type, undefined]);
      }
      // A macro without fmt= leaves the format to negotiation.
      const small = await server.get('/is/image/smart/img1?$small$', { Accept: BROWSER_ACCEPT.chrome });
      expect([small.headers['content-type'], small.headers['vary']]).toEqual(['image/webp', 'Accept']);
    });

    it('bfc=off turns it off per request, bfc=on turns it on per request', async () => {
      const off = await server.get('/is/image/smart/img1?wid=200&bfc=off', { Accept: BROWSER_ACCEPT.chrome });
      expect([off.headers['content-type'], off.headers['vary']]).toEqual(['image/jpeg', undefined]);
      const on = await server.get('/is/image/cat/img1?wid=200&bfc=on', { Accept: BROWSER_ACCEPT.chrome });
      expect([on.headers['content-type'], on.headers['vary']]).toEqual(['image/webp', 'Accept']);
      expect((await server.get('/is/image/cat/img1?bfc=maybe')).status).toBe(403);
    });

    it('follows the catalog attribute over the server default, and IS_BFC where the catalog says nothing', async () => {
      const chrome = { Accept: BROWSER_ACCEPT.chrome };
      const type = async (s: ImageServerHarness, url: string) => {
        const r = await s.get(url, chrome);
        return [r.headers['content-type'], r.headers['vary']];
      };
      // IS_BFC off: only catalog smart negotiates.
      expect(await type(server, '/is/image/cat/img1?wid=100')).toEqual(['image/jpeg', undefined]);
      expect(await type(server, '/is/image/smart/img1?wid=100')).toEqual(['image/webp', 'Accept']);
      // IS_BFC=1: every catalog but nosmart (Bfc=0).
      expect(await type(bfcServer, '/is/image/cat/img1?wid=100')).toEqual(['image/webp', 'Accept']);
      expect(await type(bfcServer, '/is/image/plain/photo.jpg?wid=100')).toEqual(['image/webp', 'Accept']);
      expect(await type(bfcServer, '/is/image/nosmart/img1?wid=100')).toEqual(['image/jpeg', undefined]);
      expect(await type(bfcServer, '/is/image/nosmart/img1?wid=100&bfc=on')).toEqual(['image/webp', 'Accept']);
    });

    it('keeps alpha when the source has it and the chosen format allows; JPEG flattens it', async () => {
      const webp = await server.get('/is/image/smart/alpha', { Accept: BROWSER_ACCEPT.chrome });
      expect(webp.headers['content-type']).toBe('image/webp');
      expect((await pixels(webp.body)).channels).toBe(4);
      const avif = await server.get('/is/image/smart/alpha', { Accept: 'image/avif' });
      expect((await pixels(avif.body)).channels).toBe(4);
      const jpeg = await server.get('/is/image/smart/alpha', { Accept: '*/*' });
      expect([jpeg.headers['content-type'], (await pixels(jpeg.body)).channels]).toEqual(['image/jpeg', 3]);
      // bgc= asks for an opaque background: flattened on it.
      const onRed = await server.get('/is/image/smart/alpha?bgc=ff0000', { Accept: BROWSER_ACCEPT.chrome });
      expect((await pixels(onRed.body)).channels).toBe(3);
    });

    it('negotiates req=tmb and req=props (which then reports the negotiated type) and template records', async () => {
      const tmb = await server.get('/is/image/smart/img1?req=tmb', { Accept: BROWSER_ACCEPT.chrome });
      expect([tmb.headers['content-type'], tmb.headers['vary']]).toEqual(['image/webp', 'Accept']);
      const props = await server.get('/is/image/smart/img1?req=props&wid=100', { Accept: BROWSER_ACCEPT.chrome });
      expect(props.text).toContain('image.type=image/webp');
      expect(props.headers['vary']).toBe('Accept');
      const tpl = await server.get('/is/image/smart/tpl', { Accept: BROWSER_ACCEPT.chrome });
      expect([tpl.status, tpl.headers['content-type'], tpl.headers['vary']]).toEqual([200, 'image/webp', 'Accept']);
    });

    it('leaves other request types and errors without Vary', async () => {
      const exists = await server.get('/is/image/smart/img1?req=exists', { Accept: BROWSER_ACCEPT.chrome });
      expect(exists.headers['vary']).toBeUndefined();
      const bad = await server.get('/is/image/smart/img1?wid=abc', { Accept: BROWSER_ACCEPT.chrome });
      expect(bad.status).toBe(403);
      expect(bad.headers['vary']).toBeUndefined();
    });
  });

  describe('dpr (device pixel ratio)', () => {
    const size = async (s: ImageServerHarness, url: string, headers: Record<string, string> = {}) => {
      const r = await s.get(url, headers);
      expect(r.status).toBe(200);
      const p = await pixels(r.body);
      return [p.width, p.height];
    };

    it('dpr=on,x and dpr=x multiply the reply size', async () => {
      expect(await size(server, '/is/image/cat/img1?wid=200&dpr=on,2')).toEqual([400, 320]);
      expect(await size(server, '/is/image/cat/img1?wid=200&hei=100&dpr=3')).toEqual([600, 300]);
      expect(await size(server, '/is/image/cat/img1?wid=200&dpr=0.5')).toEqual([100, 80]);
      expect(await size(server, '/is/image/cat/img1?wid=200&dpr=off')).toEqual([200, 160]);
    });

    it('is clamped to MaxPix keeping the aspect instead of failing (cat: MaxPix 2000,2000; smart: 1200,1000)', async () => {
      expect(await size(server, '/is/image/cat/img1?wid=800&dpr=4')).toEqual([2000, 1600]);
      expect(await size(server, '/is/image/smart/img1?wid=800&dpr=4')).toEqual([1200, 960]);
      expect(await size(server, '/is/image/smart/img1?hei=500&dpr=4')).toEqual([1200, 960]);
      // Without dpr= a reply over MaxPix is still the usage error of §3.1.
      expect((await server.get('/is/image/smart/img1?wid=1300')).status).toBe(403);
    });

    it('is clamped to IS_MAX_RENDER_PIXELS (10^6 on this server) keeping the aspect', async () => {
      const [w = 0, h = 0] = await size(bfcServer, '/is/image/cat/img1?wid=500&dpr=4&fmt=jpeg');
      expect(w * h).toBeLessThanOrEqual(1_000_000);
      expect(w).toBeGreaterThan(1000);
      expect(w / h).toBeCloseTo(1.25, 2);
    });

    it('with dpr=on and no ratio uses the Sec-CH-DPR or DPR hint, and says so in Accept-CH and Vary', async () => {
      const url = '/is/image/cat/img1?wid=200&dpr=on';
      const hinted = await server.get(url, { 'Sec-CH-DPR': '2' });
      expect((await pixels(hinted.body)).width).toBe(400);
      expect(hinted.headers['vary']).toBe('Sec-CH-DPR, DPR');
      expect(hinted.headers['accept-ch']).toBe('Sec-CH-DPR, DPR');
      expect(await size(server, url, { DPR: '1.5' })).toEqual([300, 240]);
      expect(await size(server, url, { 'Sec-CH-DPR': '3', DPR: '1.5' })).toEqual([600, 480]);
      // No hint, or a malformed one: ratio 1, never an error.
      expect(await size(server, url)).toEqual([200, 160]);
      expect(await size(server, url, { 'Sec-CH-DPR': 'lots' })).toEqual([200, 160]);
      // The hinted variants are separate result-cache entries.
      const again = await server.get(url, { 'Sec-CH-DPR': '2' });
      expect([again.headers['x-is-cache'], again.headers['etag']]).toEqual(['hit', hinted.headers['etag']]);
      expect((await server.get(url, { 'Sec-CH-DPR': '3' })).headers['etag']).not.toBe(hinted.headers['etag']);
    });

    it('dpr=off and an explicit ratio ignore the hints and send no Vary/Accept-CH', async () => {
      for (const [url, width] of [['/is/image/cat/img1?wid=200&dpr=off', 200], ['/is/image/cat/img1?wid=200&dpr=on,1.5', 300], ['/is/image/cat/img1?wid=200', 200]] as const) {
        const r = await server.get(url, { 'Sec-CH-DPR': '3' });
        expect([(await pixels(r.body)).width, r.headers['vary'], r.headers['accept-ch']]).toEqual([width, undefined, undefined]);
      }
    });

    it('combines with negotiation: Vary names Accept and the hints', async () => {
      const r = await server.get('/is/image/smart/img1?wid=100&dpr=on', { Accept: BROWSER_ACCEPT.safari, 'Sec-CH-DPR': '2' });
      expect([r.headers['content-type'], r.headers['vary'], (await pixels(r.body)).width]).toEqual(['image/webp', 'Accept, Sec-CH-DPR, DPR', 200]);
    });

    it('refuses malformed dpr= values with a usage error', async () => {
      for (const v of ['0', '-1', 'on,x', 'off,2', 'auto']) {
        const r = await server.get(`/is/image/cat/img1?wid=200&dpr=${v}&req=validate`);
        expect([v, r.status]).toEqual([v, 403]);
      }
    });
  });
});

// Static content at /is/content (image-serving.md §2.4, §5, §6; issue 16 item 4).
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ImageServerHarness } from './support/image-server.harness';

const SECRET = 'outside-the-roots secret 4711';
const BIG = 64 * 1024 * 1024 + 5;
const md5 = (b: Buffer | string) => `"${createHash('md5').update(b).digest('hex')}"`;

/**
 * One GET over a real socket with the request line exactly as given: HTTP clients (and Fastify's
 * `inject`) resolve `..` and `%2e%2e` before sending, an attacker's raw request does not.
 */
function rawGet(port: number, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const reply = Buffer.concat(chunks).toString('latin1');
      const split = reply.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0), text: split < 0 ? '' : reply.slice(split + 4) });
    });
  });
}

describe('static content /is/content (image-serving.md §2.4)', () => {
  let dir: string;
  let root: string;
  let files: string;
  let clip: Buffer;
  let server: ImageServerHarness;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'is-content-'));
    root = join(dir, 'root');
    files = join(root, 'files', 'content');
    await cp(join(FIXTURES, 'content'), root, { recursive: true });
    await mkdir(join(dir, 'outside'));
    await writeFile(join(dir, 'outside', 'secret.txt'), SECRET);
    await symlink(join(dir, 'outside', 'secret.txt'), join(files, 'link-out.txt'));
    await symlink(join(dir, 'outside'), join(files, 'dir-out'));
    await symlink(join(files, 'css', 'site.css'), join(files, 'link-in.css'));
    execFileSync('mkfifo', [join(files, 'pipe.txt')]);
    // Large enough for ranges far from both ends; deterministic content is not needed, slices are compared.
    clip = randomBytes(3 * 1024 * 1024 + 17);
    await mkdir(join(files, 'video'));
    await writeFile(join(files, 'video', 'clip.mp4'), clip);
    // Sparse: over CONTENT_MD5_MAX_BYTES (64 MiB) without using the disk space.
    await writeFile(join(files, 'video', 'big.webm'), 'head');
    await truncate(join(files, 'video', 'big.webm'), BIG);
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root });
    await server.app.listen(0, '127.0.0.1');
    port = (server.app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const fixture = (path: string) => readFile(join(files, path));

  describe('content types and headers', () => {
    it('serves an SVG with its type, nosniff and a CSP that stops script', async () => {
      const r = await server.get('/is/content/content/logo');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/svg+xml');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/(^|;\s*)sandbox(;|$)/);
      expect(csp).not.toContain('script-src');
      expect(csp).not.toContain('allow-scripts');
      expect(r.body.equals(await fixture('logo.svg'))).toBe(true);
    });

    it.each([
      ['guide', 'application/pdf', 'docs/guide.pdf'],
      ['style', 'text/css', 'css/site.css'],
      ['app', 'text/javascript', 'js/app.js'],
      ['font', 'font/woff2', 'fonts/brand.woff2'],
      ['clip', 'video/mp4', 'video/clip.mp4'],
    ])('record %s is %s with the file as body, ETag = MD5, Last-Modified = mtime, Accept-Ranges', async (id, type, path) => {
      const r = await server.get(`/is/content/content/${id}`);
      const bytes = await fixture(path);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(type);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['content-length']).toBe(String(bytes.length));
      expect(r.body.equals(bytes)).toBe(true);
      expect(r.headers['etag']).toBe(md5(bytes));
      expect(r.headers['accept-ranges']).toBe('bytes');
      const mtime = (await stat(join(files, path))).mtime;
      expect(r.headers['last-modified']).toBe(new Date(Math.floor(mtime.getTime() / 1000) * 1000).toUTCString());
    });

    it('a PDF gets no CSP (browser PDF viewers refuse sandboxed documents), the others a sandboxing one', async () => {
      expect((await server.get('/is/content/content/guide')).headers['content-security-policy']).toBeUndefined();
      for (const id of ['style', 'app', 'font']) {
        expect(String((await server.get(`/is/content/content/${id}`)).headers['content-security-policy'])).toContain('sandbox');
      }
    });

    it('serves path objects under a catalog RootPath and under the default catalog', async () => {
      const a = await server.get('/is/content/content/css/site.css');
      expect([a.status, a.headers['content-type'], a.text]).toEqual([200, 'text/css', 'body { color: #333; }\n']);
      const b = await server.get('/is/content/plain/readme.txt');
      expect([b.status, b.headers['content-type'], b.text]).toEqual([200, 'text/plain', 'plain text under the default catalog\n']);
    });

    it('follows a symlink that stays inside the roots', async () => {
      const r = await server.get('/is/content/content/linkin');
      expect([r.status, r.text]).toEqual([200, 'body { color: #333; }\n']);
    });
  });

  describe('caching (Expiration, NonImgExpiration, cache=)', () => {
    it('uses the record Expiration, else the catalog attribute', async () => {
      expect((await server.get('/is/content/content/logo')).headers['cache-control']).toBe('public, max-age=7200');
      expect((await server.get('/is/content/content/guide')).headers['cache-control']).toBe('public, max-age=86400');
      expect((await server.get('/is/content/content/style')).headers['cache-control']).toBe('no-cache, max-age=0');
      expect((await server.get('/is/content/content/app')).headers['cache-control']).toBe('public, max-age=31536000');
      expect((await server.get('/is/content/plain/readme.txt')).headers['cache-control']).toBe('public, max-age=36000');
    });

    it('cache=off turns client caching off', async () => {
      expect((await server.get('/is/content/content/logo?cache=off')).headers['cache-control']).toBe('no-cache, no-store');
    });

    it('req=props uses NonImgExpiration', async () => {
      expect((await server.get('/is/content/content/logo?req=props')).headers['cache-control']).toBe('public, max-age=1800');
    });
  });

  describe('conditional GET and HEAD', () => {
    it('answers If-None-Match with the ETag with 304 and no body; another ETag gets 200', async () => {
      const first = await server.get('/is/content/content/logo');
      const etag = String(first.headers['etag']);
      const again = await server.get('/is/content/content/logo', { 'If-None-Match': etag });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers['etag']).toBe(etag);
      expect(again.headers['cache-control']).toBe('public, max-age=7200');
      expect((await server.get('/is/content/content/logo', { 'If-None-Match': `W/${etag}` })).status).toBe(304);
      expect((await server.get('/is/content/content/logo', { 'If-None-Match': '"other"' })).status).toBe(200);
    });

    it('answers If-Modified-Since at or after Last-Modified with 304, earlier with 200', async () => {
      const lm = String((await server.get('/is/content/content/guide')).headers['last-modified']);
      expect((await server.get('/is/content/content/guide', { 'If-Modified-Since': lm })).status).toBe(304);
      expect((await server.get('/is/content/content/guide', { 'If-Modified-Since': 'Mon, 01 Jan 1990 00:00:00 GMT' })).status).toBe(200);
    });

    it('Expiration -1 answers any conditional GET with 304', async () => {
      expect((await server.get('/is/content/content/app', { 'If-None-Match': '"stale"' })).status).toBe(304);
    });

    it('HEAD has the GET headers and no body', async () => {
      const get = await server.get('/is/content/content/clip');
      const head = await server.get('/is/content/content/clip', {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const h of ['content-type', 'content-length', 'etag', 'last-modified', 'cache-control', 'accept-ranges']) {
        expect([h, head.headers[h]]).toEqual([h, get.headers[h]]);
      }
      expect(head.headers['content-length']).toBe(String(clip.length));
    });
  });

  describe('ranges', () => {
    const url = '/is/content/content/clip';
    const expectPartial = async (range: string, start: number, end: number) => {
      const r = await server.get(url, { Range: range });
      expect([range, r.status]).toEqual([range, 206]);
      expect(r.headers['content-range']).toBe(`bytes ${start}-${end}/${clip.length}`);
      expect(r.headers['content-length']).toBe(String(end - start + 1));
      expect(r.body.equals(clip.subarray(start, end + 1))).toBe(true);
      expect(r.headers['etag']).toBe(md5(clip));
    };

    it('answers one range with 206 and exactly those bytes', async () => {
      await expectPartial('bytes=0-99', 0, 99);
      await expectPartial('bytes=1048576-2097151', 1048576, 2097151);
      await expectPartial('bytes=3000000-', 3000000, clip.length - 1);
      await expectPartial('bytes=-500', clip.length - 500, clip.length - 1);
      await expectPartial(`bytes=${clip.length - 1}-${clip.length + 1000}`, clip.length - 1, clip.length - 1);
      await expectPartial('bytes=-99999999', 0, clip.length - 1);
    });

    it('answers a range past the end with 416 and Content-Range bytes */size', async () => {
      for (const range of [`bytes=${clip.length}-`, `bytes=${clip.length + 10}-${clip.length + 20}`, 'bytes=-0', 'bytes=99999999999999999999999-']) {
        const r = await server.get(url, { Range: range });
        expect([range, r.status, r.headers['content-range']]).toEqual([range, 416, `bytes */${clip.length}`]);
        expect(r.headers['cache-control']).toContain('no-store');
      }
    });

    it('answers several ranges, and ranges that do not parse, with the whole file (200)', async () => {
      for (const range of ['bytes=0-1,5-6', 'bytes=5-1', 'items=0-10', 'bytes=a-b', 'bytes=-', 'bytes= 1 -2']) {
        const r = await server.get(url, { Range: range });
        expect([range, r.status, r.headers['content-length']]).toEqual([range, 200, String(clip.length)]);
        expect(r.body.equals(clip)).toBe(true);
      }
    });

    it('If-Range: the range applies only to the version it names', async () => {
      const full = await server.get(url);
      const etag = String(full.headers['etag']);
      expect((await server.get(url, { Range: 'bytes=0-9', 'If-Range': etag })).status).toBe(206);
      expect((await server.get(url, { Range: 'bytes=0-9', 'If-Range': String(full.headers['last-modified']) })).status).toBe(206);
      expect((await server.get(url, { Range: 'bytes=0-9', 'If-Range': '"old"' })).status).toBe(200);
      expect((await server.get(url, { Range: 'bytes=0-9', 'If-Range': `W/${etag}` })).status).toBe(200);
      expect((await server.get(url, { Range: 'bytes=0-9', 'If-Range': 'Mon, 01 Jan 1990 00:00:00 GMT' })).status).toBe(200);
    });

    it('a file over 64 MiB is not read to hash it: its ETag names the version, and ranges of it work', async () => {
      const head = await server.get('/is/content/content/video/big.webm', {}, 'HEAD');
      expect([head.status, head.headers['content-type'], head.headers['content-length']]).toEqual([200, 'video/webm', String(BIG)]);
      expect(String(head.headers['etag'])).toMatch(/^"v-[0-9a-f]{32}"$/);
      const first = await server.get('/is/content/content/video/big.webm', { Range: 'bytes=0-5' });
      expect([first.status, first.headers['content-range'], first.body]).toEqual([206, `bytes 0-5/${BIG}`, Buffer.from('head\0\0')]);
      const last = await server.get('/is/content/content/video/big.webm', { Range: 'bytes=-3', 'If-Range': String(head.headers['etag']) });
      expect([last.status, last.body]).toEqual([206, Buffer.alloc(3)]);
      expect((await server.get('/is/content/content/video/big.webm', { 'If-None-Match': String(head.headers['etag']) })).status).toBe(304);
    });

    it('HEAD ignores Range', async () => {
      const r = await server.get(url, { Range: 'bytes=0-9' }, 'HEAD');
      expect([r.status, r.headers['content-length'], r.headers['content-range']]).toEqual([200, String(clip.length), undefined]);
    });
  });

  describe('type= filtering', () => {
    it('serves the item when type= equals its UserType (any case)', async () => {
      expect((await server.get('/is/content/content/logo?type=svg')).status).toBe(200);
      expect((await server.get('/is/content/content/logo?type=SVG')).status).toBe(200);
    });

    it('refuses another type, and any type= on a path object (no UserType), as a usage error', async () => {
      for (const url of ['/is/content/content/logo?type=pdf', '/is/content/content/css/site.css?type=css', '/is/content/content/logo?type=pdf&req=props']) {
        const r = await server.get(url);
        expect([url, r.status, r.headers['content-type'], r.text]).toEqual([url, 403, 'text/plain; charset=UTF-8', 'Invalid request']);
        expect(r.headers['cache-control']).toContain('no-store');
      }
    });
  });

  describe('static content catalogs (StaticContentCatalogFile)', () => {
    it('serves its records with their Expiration, UserType and UserData', async () => {
      const r = await server.get('/is/content/content/brochure');
      expect([r.status, r.headers['content-type'], r.headers['cache-control']]).toEqual([200, 'application/pdf', 'public, max-age=10800']);
      expect(r.body.equals(await fixture('docs/guide.pdf'))).toBe(true);
      const props = await server.get('/is/content/content/brochure?req=props');
      expect(props.text).toContain('content.path=docs/guide.pdf\n');
      expect(props.text).toContain('content.expiration=3\n');
      expect(props.text).toContain('content.userType=brochure\n');
      expect((await server.get('/is/content/content/brochure?req=userdata')).text).toBe('x=1\r\ny=z\r\n');
      expect((await server.get('/is/content/content/brochure?req=exists')).text).toContain('catalogRecord.exists=1');
      expect((await server.get('/is/content/content/brochure?type=brochure')).status).toBe(200);
      expect((await server.get('/is/content/content/brochure?type=pdf')).status).toBe(403);
    });

    it('a static record wins over an image record with the same id', async () => {
      const r = await server.get('/is/content/content/shadow');
      expect([r.status, r.headers['content-type'], r.text]).toEqual([200, 'text/javascript', 'console.log("static content");\n']);
    });

    it("the default catalog's static records back every catalog, under the default RootPath", async () => {
      for (const url of ['/is/content/content/shared-css', '/is/content/shared-css']) {
        const r = await server.get(url);
        expect([url, r.status, r.text]).toEqual([url, 200, 'plain text under the default catalog\n']);
      }
    });

    it('a StaticContentCatalogFile that cannot be read leaves the catalog serving its path objects', async () => {
      const r = await server.get('/is/content/broken/css/site.css');
      expect([r.status, r.text]).toEqual([200, 'body { color: #333; }\n']);
      expect((await server.get('/is/content/broken/brochure')).status).toBe(403);
    });
  });

  describe('rule sets (RuleSetFile) on static content', () => {
    it('applies RequestType="static" rules: substitution and their Expiration', async () => {
      const r = await server.get('/is/content/content/v7/logo');
      expect([r.status, r.headers['content-type'], r.headers['cache-control']]).toEqual([200, 'image/svg+xml', 'public, max-age=31536000']);
    });

    it('refuses what an OnMatch="error" static rule matches', async () => {
      // content/private/guide would be a missing path object ("Image not found") without the rule.
      const r = await server.get('/is/content/content/private/guide');
      expect([r.status, r.headers['content-type'], r.text]).toEqual([403, 'text/plain; charset=UTF-8', 'Request refused']);
    });

    it('ignores RequestType="is" rules', async () => {
      expect((await server.get('/is/content/content/logo')).headers['content-type']).toBe('image/svg+xml');
    });
  });

  describe('req=props, req=userdata, req=exists', () => {
    it('req=props gives path, length, expiration, lastModified and userType', async () => {
      const r = await server.get('/is/content/content/guide?req=props');
      const bytes = await fixture('docs/guide.pdf');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
      expect(r.text).toContain('content.path=docs/guide.pdf\n');
      expect(r.text).toContain(`content.length=${bytes.length}\n`);
      expect(r.text).toContain('content.expiration=24\n');
      expect(r.text).toContain('content.userType=pdf\n');
      const mtime = Math.floor((await stat(join(files, 'docs/guide.pdf'))).mtimeMs / 1000) * 1000;
      expect(r.text).toContain(`content.lastModified=${mtime}\n`);
    });

    it('req=props,json&id= answers JSONP', async () => {
      const r = await server.get('/is/content/content/logo?req=props,json&id=r1');
      expect(r.text).toMatch(/^\/\*jsonp\*\/s7jsonResponse\(\{.*"content.userType":"svg".*\},"r1"\);$/s);
    });

    it('req=exists is 1 for a record and 0 otherwise, never an error', async () => {
      expect((await server.get('/is/content/content/logo?req=exists')).text).toContain('catalogRecord.exists=1');
      const none = await server.get('/is/content/content/nothing-here?req=exists');
      expect([none.status, none.text.includes('catalogRecord.exists=0')]).toEqual([200, true]);
    });

    it('req=userdata gives the record UserData; a bare CRLF without a record', async () => {
      expect((await server.get('/is/content/content/ud?req=userdata')).text).toBe('a=1\r\nb=two\r\n');
      expect((await server.get('/is/content/content/nothing-here?req=userdata')).text).toBe('\r\n');
    });

    it('other req= types are usage errors, in the asked format', async () => {
      const r = await server.get('/is/content/content/logo?req=img');
      expect([r.status, r.text]).toEqual([403, 'Invalid request']);
      const j = await server.get('/is/content/content/logo?req=imageprops,json');
      expect([j.status, j.text.startsWith('/*jsonp*/s7jsonError(')]).toEqual([403, true]);
    });
  });

  describe('missing content and errors', () => {
    it('a missing file is the not-found error as text, never the DefaultImage or ErrorImage', async () => {
      for (const url of ['/is/content/content/ghost', '/is/content/content/no/such/file.css', '/is/content/content/css']) {
        const r = await server.get(url);
        expect([url, r.status, r.headers['content-type'], r.text]).toEqual([url, 403, 'text/plain; charset=UTF-8', 'Image not found']);
        expect(r.headers['cache-control']).toContain('no-store');
        expect(r.headers['x-is-default-image']).toBeUndefined();
        expect(r.headers['x-is-error-image']).toBeUndefined();
        expect(r.headers['etag']).toBeUndefined();
      }
    });

    it('a path Fastify cannot decode is a usage error as text, not the default catalog ErrorImage', async () => {
      for (const url of ['/is/content/content/%zz', '/is/content/plain/%E0%A4%A.css']) {
        const r = await server.get(url);
        expect([url, r.status, r.headers['content-type'], r.text]).toEqual([url, 403, 'text/plain; charset=UTF-8', 'Invalid request']);
      }
    });

    it('req=props of a missing file is an error in the asked format', async () => {
      const r = await server.get('/is/content/content/ghost?req=props,json&id=z');
      expect([r.status, r.text.startsWith('/*jsonp*/s7jsonError(')]).toEqual([403, true]);
      expect(r.text).toContain('"z"');
    });

    it('a FIFO is not a file: refused at once, no hanging read', async () => {
      const r = await server.get('/is/content/content/fifo');
      expect([r.status, r.text]).toEqual([403, 'Image not found']);
    });
  });

  describe('traversal attempts never read outside the roots', () => {
    it.each([
      ['encoded ../', '/is/content/content/..%2F..%2F..%2Foutside%2Fsecret.txt'],
      ['%2e%2e elements', '/is/content/content/%2e%2e/%2e%2e/%2e%2e/outside/secret.txt'],
      ['%2E%2E upper case', '/is/content/content/%2E%2E/%2E%2E/%2E%2E/outside/secret.txt'],
      ['raw ../', '/is/content/content/../../../outside/secret.txt'],
      ['encoded backslashes', '/is/content/content/..%5C..%5C..%5Coutside%5Csecret.txt'],
      ['raw backslashes', '/is/content/content/..\\..\\..\\outside\\secret.txt'],
      ['mixed ..%2f and %2e.', '/is/content/content/%2e./.%2e/..%2foutside/secret.txt'],
      ['NUL', '/is/content/content/logo.svg%00.css'],
      ['encoded absolute path', '/is/content/%2Fetc%2Fpasswd'],
      ['record Path escaping with ../', '/is/content/content/escape'],
      ['record Path absolute outside the roots', '/is/content/content/absolute'],
      ['static record Path escaping with ../', '/is/content/content/static-escape'],
      ['symlink to a file outside the root', '/is/content/content/linkout'],
      ['symlink path object outside the root', '/is/content/content/link-out.txt'],
      ['symlinked folder outside the root', '/is/content/content/dir-out/secret.txt'],
    ])('%s: %s is refused (403, "Request refused"), sent as is over a socket', async (_what, url) => {
      const r = await rawGet(port, url);
      expect([r.status, r.text]).toEqual([403, 'Request refused']);
      expect(r.text).not.toContain(SECRET);
      const props = await rawGet(port, `${url}?req=props`);
      expect(props.status).toBe(403);
      expect(props.text).not.toContain(SECRET);
    });

    it('absolute-looking paths stay under the roots (empty elements are dropped)', async () => {
      for (const url of ['/is/content//etc/passwd', '/is/content/content//etc/passwd', '/is/content///etc/passwd']) {
        const r = await rawGet(port, url);
        expect([url, r.status, r.text]).toEqual([url, 403, 'Image not found']);
      }
    });
  });
});

/**
 * Spec §5 and §10 rows 15, 16, 23, 42, 45-52, 58-60, 62 against the real app on the errors
 * fixture catalogs, in every req= format where the row applies.
 */
import { countPixels, imageFacts, NO_STORE, startErrorApp, type ErrorApp } from './error-app';
import { expectError, expectErrorBody, expectErrorReply, expectNothingRevealed, PROPERTY_FORMATS } from './error-expectations';

let srv: ErrorApp;

beforeAll(async () => {
  srv = await startErrorApp();
});

afterAll(async () => {
  await srv.close();
});

const withFormat = (url: string, req: string, format: string) => `${url}${url.includes('?') ? '&' : '?'}req=${req},${format}`;

describe('usage errors (class 2)', () => {
  it('row 15: wid=2001 exceeds MaxPix → 403 text/plain, no-store', async () => {
    const reply = await srv.get('/is/image/cat/img1?wid=2001');
    expectError(reply, 403, 'text', 'Image too large');
  });

  it.each(PROPERTY_FORMATS)('row 15 with req=props,%s: the error comes in that format', async (format) => {
    const reply = await srv.get(withFormat('/is/image/cat/img1?wid=2001', 'props', format));
    expectError(reply, 403, format, 'Image too large');
  });

  it('row 16: scl=0.4 (2500x2000) exceeds MaxPix → 403', async () => {
    expectError(await srv.get('/is/image/cat/img1?scl=0.4'), 403, 'text', 'Image too large');
  });

  it('row 23: fmt=bogus → 403 Invalid request, for img, tmb and every props format', async () => {
    expectError(await srv.get('/is/image/cat/img1?fmt=bogus'), 403, 'text', 'Invalid request');
    expectError(await srv.get('/is/image/cat/img1?fmt=bogus&req=tmb'), 403, 'text', 'Invalid request');
    for (const format of PROPERTY_FORMATS) {
      expectError(await srv.get(withFormat('/is/image/cat/img1?fmt=bogus', 'props', format)), 403, format, 'Invalid request');
    }
  });

  it.each(PROPERTY_FORMATS)('row 42: req=validate,%s — wid=100 is valid, wid=abc is the standard error', async (format) => {
    const ok = await srv.get(withFormat('/is/image/cat/img1?wid=100', 'validate', format));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('isValid');
    const bad = await srv.get(withFormat('/is/image/cat/img1?wid=abc', 'validate', format));
    expectError(bad, 403, format, 'Invalid request');
  });

  it('row 62: fit= with req=tmb, and fit= without wid/hei → 403', async () => {
    expectError(await srv.get('/is/image/cat/img1?req=tmb&fit=crop'), 403, 'text', 'Invalid request');
    expectError(await srv.get('/is/image/cat/img1?fit=crop'), 403, 'text', 'Invalid request');
    expectError(await srv.get('/is/image/cat/img1?fit=crop&req=props,xml'), 403, 'xml', 'Invalid request');
  });

  it('an unknown req= type is a usage error in text', async () => {
    expectError(await srv.get('/is/image/cat/img1?req=bogus'), 403, 'text', 'Invalid request');
  });
});

describe('refused requests', () => {
  it.each(['/is/image/cat/..%2F..%2Fetc/passwd', '/is/image/cat/../x', '/is/image/..%2f..%2f..%2fetc%2fpasswd', '/is/image/cat/img1%2F..%2F..%2F..%2Fdefault.ini'])(
    'row 58: %s → 403, no path revealed',
    async (url) => {
      const reply = await srv.get(url);
      expectErrorReply(reply, 403, 'text');
      expect(['Request refused', 'Image not found']).toContain(reply.text);
      expectNothingRevealed(reply);
      const props = await srv.get(`${url}?req=props,json&id=t58`);
      expectErrorReply(props, 403, 'json');
      expect(props.text).toMatch(/^\/\*jsonp\*\/s7jsonError\(\{"message":"(Request refused|Image not found)","title":"(Request refused|Image not found)"\},"t58"\);$/);
    },
  );

  it('row 58 over a real socket: %2e%2e dot segments are not normalised away by a client', async () => {
    for (const path of ['/is/image/cat/%2e%2e/%2e%2e/etc/passwd', '/is/image/cat/%2E%2E%2F%2E%2E%2Fdefault.ini', '/is/image/%2e%2e/%2e%2e/%2e%2e/etc/passwd?req=props,xml']) {
      const reply = await srv.rawGet(path);
      expect(reply.status).toBe(403);
      expect(reply.headers['cache-control']).toBe('no-cache, no-store, max-age=0');
      expectNothingRevealed(reply);
      expect(reply.text).not.toContain('root:');
    }
  });

  it('row 59: RequestLock — right lock 200, wrong or missing lock 403 Request refused', async () => {
    const ok = await srv.get('/is/image/locked/img1?wid=200&4a1f');
    expect(ok.status).toBe(200);
    expect(await imageFacts(ok.body)).toMatchObject({ width: 200, height: 160 });
    expectError(await srv.get('/is/image/locked/img1?wid=200&0000'), 403, 'text', 'Request refused');
    expectError(await srv.get('/is/image/locked/img1?wid=200'), 403, 'text', 'Request refused');
  });

  it('row 60: RequestObfuscation — a locked, encoded query works; an unlocked one is refused', async () => {
    const ok = await srv.get('/is/image/obf/img1?d2lkPTIwMCY0YTFm');
    expect(ok.status).toBe(200);
    expect(await imageFacts(ok.body)).toMatchObject({ width: 200, height: 160 });
    expectError(await srv.get('/is/image/obf/img1?d2lkPTIwMA=='), 403, 'text', 'Request refused');
    expectError(await srv.get('/is/image/obf/img1?%%%notbase64'), 403, 'text', 'Request refused');
  });
});

describe('image not found (class 1) and default images', () => {
  it('row 45: a missing file is replaced by DefaultImage noimage: 200 image/jpeg 200x200, TTL 1 h', async () => {
    const reply = await srv.get('/is/image/cat/img2');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/jpeg');
    expect(reply.headers['cache-control']).toBe('public, max-age=3600');
    expect(Date.parse(reply.headers.expires ?? '') - Date.now()).toBeGreaterThan(3500_000);
    expect(reply.headers['x-is-default-image']).toBe('image-not-found; source=attribute');
    expect(reply.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    // noimage.png is solid magenta
    const facts = await imageFacts(reply.body);
    expect(facts).toMatchObject({ width: 200, height: 200, format: 'jpeg' });
    const [r = 0, g = 0, b = 0] = facts.mean;
    expect([r >= 250, g <= 10, b >= 240]).toEqual([true, true, true]);
  });

  it('row 45 for req=tmb: the default image under thumbnail rules (100x100)', async () => {
    const reply = await srv.get('/is/image/cat/img2?req=tmb');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-is-default-image']).toBe('image-not-found; source=attribute');
    expect(await imageFacts(reply.body)).toMatchObject({ width: 100, height: 100 });
  });

  it('a default image is a normal cacheable reply: 304 for its ETag, cache=off honoured, HEAD without body', async () => {
    const first = await srv.get('/is/image/cat/img2?wid=120');
    const etag = first.headers.etag ?? '';
    const again = await srv.get('/is/image/cat/img2?wid=120', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['x-is-default-image']).toBe('image-not-found; source=attribute');
    const off = await srv.get('/is/image/cat/img2?wid=120&cache=off');
    expect(off.status).toBe(200);
    expect(off.headers['cache-control']).toBe('no-cache, no-store');
    const head = await srv.head('/is/image/cat/img2?wid=120');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
    expect(head.headers.etag).toBe(etag);
  });

  it('row 46: mode 0 carries wid/hei/fmt/qlt only — noimage at 100x100 PNG, op_blur and bgc not applied', async () => {
    const reply = await srv.get('/is/image/cat/img2?wid=100&fmt=png&op_blur=5');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/png');
    const facts = await imageFacts(reply.body);
    expect(facts).toMatchObject({ width: 100, height: 100, format: 'png' });
    expect(facts.mean[0]).toBeGreaterThanOrEqual(250);
    // With a photo as default image, the blurred and unblurred requests give the same bytes.
    const plain = await srv.get('/is/image/cat/img2?defaultImage=img1&wid=100&qlt=70');
    const blurred = await srv.get('/is/image/cat/img2?defaultImage=img1&wid=100&qlt=70&op_blur=5&op_saturation=-100');
    expect(plain.status).toBe(200);
    expect(blurred.body.equals(plain.body)).toBe(true);
    expect(plain.body.equals((await srv.get('/is/image/cat/img1?wid=100&qlt=70')).body)).toBe(true);
    // hei= is carried, bgc= is not: the padding is not green.
    const boxed = await srv.get('/is/image/cat/img2?wid=100&hei=50&bgc=00ff00&fmt=png');
    expect(await imageFacts(boxed.body)).toMatchObject({ width: 100, height: 50 });
    expect(await countPixels(boxed.body, (r, g, b) => g > 200 && r < 50 && b < 50)).toBe(0);
  });

  it('row 47: defaultImage= (empty) disables the default image → 403, no-store', async () => {
    expectError(await srv.get('/is/image/cat/img2?defaultImage='), 403, 'text', 'Image not found');
  });

  it('row 48: defaultImage=cat/img1 overrides the attribute → img1 at 400x320', async () => {
    const reply = await srv.get('/is/image/cat/img2?defaultImage=cat/img1');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-is-default-image']).toBe('image-not-found; source=command');
    expect(await imageFacts(reply.body)).toMatchObject({ width: 400, height: 320, format: 'jpeg' });
  });

  it.each(PROPERTY_FORMATS)('row 49: req=props,%s on a missing image is an error (no default image)', async (format) => {
    const reply = await srv.get(`/is/image/cat/img2?req=props,${format}`);
    expectError(reply, 403, format, 'Image not found');
    const imageprops = await srv.get(`/is/image/cat/img2?req=imageprops,${format}`);
    expectError(imageprops, 403, format, 'Image not found');
  });

  it('row 49 JSONP: s7jsonError with id= echoed, whatever handler= says', async () => {
    const reply = await srv.get('/is/image/cat/img2?req=props,json&id=abc&handler=myCb');
    expect(reply.text).toBe('/*jsonp*/s7jsonError({"message":"Image not found","title":"Image not found"},"abc");');
    const hostile = await srv.get('/is/image/cat/img2?req=props,json&handler=alert(1)//&id=%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E');
    expect(hostile.text.startsWith('/*jsonp*/s7jsonError({')).toBe(true);
    expect(hostile.text).not.toContain('<');
    expect(hostile.text).not.toContain('alert(1)//');
    expect(hostile.text).toContain('\\u003c/script\\u003e');
  });

  it('a path that does not exist gets the default image too', async () => {
    const reply = await srv.get('/is/image/cat/no/such/file.jpg?wid=64');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-is-default-image']).toBe('image-not-found; source=attribute');
    expect(await imageFacts(reply.body)).toMatchObject({ width: 64, height: 64 });
  });

  it('no recursion: a default image that is itself missing gives the normal not-found error', async () => {
    expectError(await srv.get('/is/image/defmissing/img2'), 403, 'text', 'Image not found');
    expectError(await srv.get('/is/image/cat/img2?defaultImage=nope'), 403, 'text', 'Image not found');
  });

  it('a default record with its own Expiration uses it; DefaultImageMode=1 acts as mode 0', async () => {
    const reply = await srv.get('/is/image/defexp/img2?wid=50');
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('public, max-age=86400');
    expect(await imageFacts(reply.body)).toMatchObject({ width: 50, height: 50 });
  });

  it('req=exists, userdata on a missing record are not errors', async () => {
    const exists = await srv.get('/is/image/cat/nope?req=exists');
    expect(exists.status).toBe(200);
    expect(exists.text).toContain('catalogRecord.exists=0');
    const userdata = await srv.get('/is/image/cat/nope?req=userdata');
    expect(userdata.status).toBe(200);
    expect(userdata.text).toBe('\r\n');
  });

  it('a missing path in a catalog without DefaultImage is Image not found', async () => {
    expectError(await srv.get('/is/image/cat/nope.jpg?defaultImage='), 403, 'text', 'Image not found');
    expectError(await srv.get('/is/image/catbroken/nope/deeper.png'), 403, 'text', 'Image not found');
    expectError(await srv.get('/is/image/plain/nope.jpg'), 403, 'text', 'Image not found');
  });
});

describe('ErrorDetail (row 52)', () => {
  it('level 0 shows the title only; level 2 adds the resolved path', async () => {
    const zero = await srv.get('/is/image/cat/img2?defaultImage=');
    expect(zero.text).toBe('Image not found');
    const two = await srv.get('/is/image/cat2/img2?defaultImage=');
    expectErrorReply(two, 403, 'text');
    expect(two.text.split('\n')[0]).toBe('Image not found');
    expect(two.text).toContain('images/cat/missing.jpg');
  });

  it('level 2 names the offending command and value, in every format', async () => {
    for (const format of PROPERTY_FORMATS) {
      const reply = await srv.get(`/is/image/cat2/img1?wid=abc&req=props,${format}`);
      expectErrorReply(reply, 403, format);
      expect(reply.text).toContain('Invalid request');
      expect(reply.text).toContain('wid');
      expect(reply.text).toContain('abc');
    }
  });

  it('level 3 adds the stack to text replies only', async () => {
    const text = await srv.get('/is/image/cat3/img1?wid=abc');
    expect(text.text).toMatch(/^Invalid request\n.*abc[\s\S]*\n\s*at /);
    for (const format of ['javascript', 'xml', 'json'] as const) {
      const reply = await srv.get(`/is/image/cat3/img1?wid=abc&req=props,${format}`);
      expect(reply.text).toContain('abc');
      expect(reply.text).not.toMatch(/\n\s*at |ImageServingError/);
    }
  });

  it('level 0 never reveals an internal exception (corrupt source → Server error)', async () => {
    const reply = await srv.get('/is/image/cat/corrupt');
    expectError(reply, 403, 'text', 'Server error');
    expectNothingRevealed(reply);
    const level2 = await srv.get('/is/image/cat2/corrupt');
    expect(level2.text.split('\n')[0]).toBe('Server error');
    expect(level2.text).not.toMatch(/vips|sharp|at .+:\d+/i);
  });

  it('a source over the pixel limit is Image too large', async () => {
    expectError(await srv.get('/is/image/cat/bomb'), 403, 'text', 'Image too large');
  });
});

describe('error images (rows 50, 51)', () => {
  it('row 50: ErrorImage=errimg → 200 with error.png (50x50 orange), non-cacheable, X-IS-Error-Image', async () => {
    const reply = await srv.get('/is/image/caterr/img1?wid=abc');
    expect(reply.status).toBe(200);
    expect(reply.headers).toMatchObject({ ...NO_STORE, 'x-is-error-image': 'IMG_INVALID_COMMAND_VALUE' });
    expect(reply.headers.etag).toBeUndefined();
    const facts = await imageFacts(reply.body);
    expect(facts).toMatchObject({ width: 50, height: 50, format: 'jpeg' });
    expect(facts.mean[0]).toBeGreaterThanOrEqual(240);
    expect(facts.mean[1]).toBeGreaterThanOrEqual(120);
    expect(facts.mean[1]).toBeLessThanOrEqual(140);
    expect(facts.mean[2]).toBeLessThanOrEqual(10);
  });

  it('row 50: the failed request\u2019s commands do not reach the error image; the default image still wins for missing files', async () => {
    const reply = await srv.get('/is/image/caterr/img1?fmt=bogus&wid=300');
    expect(reply.headers['x-is-error-image']).toBe('IMG_UNKNOWN_FORMAT');
    expect(await imageFacts(reply.body)).toMatchObject({ width: 50, height: 50, format: 'jpeg' });
    const missing = await srv.get('/is/image/caterr/img2');
    expect(missing.headers['x-is-default-image']).toBe('image-not-found; source=attribute');
    const noDefault = await srv.get('/is/image/caterr/img2?defaultImage=');
    expect(noDefault.headers['x-is-error-image']).toBe('IMG_NOT_FOUND');
  });

  it('error images answer image requests only; property requests get formatted errors', async () => {
    for (const format of PROPERTY_FORMATS) {
      expectError(await srv.get(`/is/image/caterr/img1?wid=abc&req=props,${format}`), 403, format, 'Invalid request');
    }
    const tmb = await srv.get('/is/image/caterr/img1?req=tmb&fit=crop');
    expect(tmb.headers['x-is-error-image']).toBe('IMG_FIT_WITH_TMB');
  });

  it('HEAD of an error image: same headers, no body', async () => {
    const reply = await srv.head('/is/image/caterr/img1?wid=abc');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-is-error-image']).toBe('IMG_INVALID_COMMAND_VALUE');
    expect(reply.body.length).toBe(0);
    expect(Number(reply.headers['content-length'])).toBeGreaterThan(0);
  });

  it('row 51: the error image file is missing → the plain error of the original failure', async () => {
    expectError(await srv.get('/is/image/catbroken/img1?wid=abc'), 403, 'text', 'Invalid request');
  });

  it('a broken text template falls back to the plain error of the original failure', async () => {
    expectError(await srv.get('/is/image/tplbroken/img1?wid=abc'), 403, 'text', 'Invalid request');
  });

  it('a plain-colour template record (size= and bgc= only) is drawn by the image pipeline', async () => {
    const reply = await srv.get('/is/image/tplcolor/img1?wid=abc');
    expect(reply.status).toBe(200);
    const facts = await imageFacts(reply.body);
    expect(facts).toMatchObject({ width: 60, height: 40, format: 'jpeg' });
    const [r = 0, g = 0, b = 0] = facts.mean;
    expect([r <= 10, g >= 240, b <= 10]).toEqual([true, true, true]);
  });

  it('an error image given as a path', async () => {
    const reply = await srv.get('/is/image/errpath/img1?wid=abc');
    expect(reply.status).toBe(200);
    expect(await imageFacts(reply.body)).toMatchObject({ width: 50, height: 50 });
  });

  it('an RTF text template: 300x200 PNG, white canvas, red title and grey message pixels', async () => {
    const reply = await srv.get('/is/image/tpl/img1?wid=abc');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-is-error-image']).toBe('IMG_INVALID_COMMAND_VALUE');
    expect(reply.headers['content-type']).toBe('image/png');
    const facts = await imageFacts(reply.body);
    expect(facts).toMatchObject({ width: 300, height: 200, format: 'png' });
    expect(await countPixels(reply.body, (r, g, b) => r > 150 && g < 60 && b < 60)).toBeGreaterThan(50);
    expect(await countPixels(reply.body, (r, g, b) => r < 110 && Math.abs(r - g) < 12 && Math.abs(g - b) < 12)).toBeGreaterThan(30);
    // The corners stay background.
    expect(await countPixels(reply.body, () => true)).toBe(300 * 200);
    // Level-2 message differs per request value, so the image does too.
    const other = await srv.get('/is/image/tpl/img1?wid=xyz');
    expect(other.body.equals(reply.body)).toBe(false);
  });

  it('level 3: the error image shows the level-2 text, never a stack (same pixels as level 2)', async () => {
    const level3 = await srv.get('/is/image/tpl3/img1?wid=abc');
    const level2 = await srv.get('/is/image/tpl/img1?wid=abc');
    expect(level3.status).toBe(200);
    expect(level3.body.equals(level2.body)).toBe(true);
  });

  it('a plain text template at level 0: only the title is drawn, black on light yellow', async () => {
    const a = await srv.get('/is/image/tplplain/img1?wid=abc');
    const b = await srv.get('/is/image/tplplain/img1?wid=xyz');
    expect(a.status).toBe(200);
    expect(await imageFacts(a.body)).toMatchObject({ width: 200, height: 100, format: 'jpeg' });
    expect(await countPixels(a.body, (r, g, bl) => r < 90 && g < 90 && bl < 90)).toBeGreaterThan(20);
    const [red = 0, green = 0, blue = 0] = (await imageFacts(a.body)).mean;
    expect([red >= 230, green >= 230, blue <= 170]).toEqual([true, true, true]);
    // Level 0: the value never reaches the image, so both requests draw the same picture.
    expect(a.body.equals(b.body)).toBe(true);
  });
});

describe('HEAD and headers', () => {
  it('HEAD of an error: same status and headers, empty body', async () => {
    const get = await srv.get('/is/image/cat/img1?wid=abc');
    const head = await srv.head('/is/image/cat/img1?wid=abc');
    expect(head.status).toBe(get.status);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['cache-control']).toBe(get.headers['cache-control']);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('every error carries the request id; the client cannot change the status by sending one', async () => {
    const reply = await srv.get('/is/image/cat/img1?wid=abc', { 'x-request-id': 'abc-123' });
    expect(reply.headers['x-request-id']).toBe('abc-123');
    expectErrorBody(reply, 'text', 'Invalid request');
  });
});

describe('metrics', () => {
  it('counts failures by class, code, req type, format and outcome, and substitutions', async () => {
    await srv.get('/is/image/cat/img2?req=props,xml');
    const text = await srv.runtime.metrics.registry.metrics();
    expect(text).toMatch(/image_errors_total\{[^}]*class="1",code="IMG_NOT_FOUND",req_type="props",format="xml",outcome="error_body"[^}]*\} [1-9]/);
    expect(text).toMatch(/image_errors_total\{[^}]*code="IMG_INVALID_COMMAND_VALUE",req_type="img",format="image",outcome="error_image"[^}]*\} [1-9]/);
    expect(text).toMatch(/image_default_image_substitutions_total\{[^}]*req_type="img",reason="attribute"[^}]*\} [1-9]/);
    expect(text).toMatch(/image_error_image_substitutions_total\{[^}]*code="IMG_INVALID_COMMAND_VALUE",result="served"[^}]*\} [1-9]/);
    expect(text).toMatch(/image_error_image_substitutions_total\{[^}]*result="failed"[^}]*\} [1-9]/);
  });
});

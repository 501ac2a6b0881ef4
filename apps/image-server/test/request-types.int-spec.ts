// req= types of §9 item 7 with their formats (§2, §2.1) and §10 rows 31-44.
import { ImageServerHarness } from './support/image-server.harness';

const lines = (text: string) => text.split('\n');

describe('request types (image-serving.md §2)', () => {
  let server: ImageServerHarness;
  beforeAll(async () => {
    server = await ImageServerHarness.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it('row 43: GET /is/image answers #S7Z OK, the date and a copyright property', async () => {
    const r = await server.get('/is/image');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    const [first, second, third] = lines(r.text);
    expect(first).toBe('#S7Z OK');
    expect(second).toMatch(/^#[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$/);
    expect(third).toMatch(/^copyright=Copyright/);
  });

  it('row 33: req=props describes the reply image, TTL = NonImgExpiration', async () => {
    const r = await server.get('/is/image/cat/img1?req=props');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    const body = lines(r.text);
    expect(body[0]).toBe('#S7Z OK');
    expect(body[1]).toMatch(/^#/);
    expect(body).toEqual(expect.arrayContaining(['image.width=400', 'image.height=320', 'image.type=image/jpeg', 'image.quality=80', 'image.pixTyp=RGB', 'image.bgc=FFFFFF', 'image.mask=0']));
    expect(body.find((l) => l.startsWith('image.length='))).toMatch(/^image.length=[1-9]\d+$/);
    expect(r.headers['cache-control']).toBe('public, max-age=360');
  });

  it('row 31: PostModifier beats the URL (qlt=50), URL fmt beats Modifier', async () => {
    const r = await server.get('/is/image/cat/mod1?fmt=jpeg&qlt=90&req=props');
    expect(lines(r.text)).toEqual(expect.arrayContaining(['image.quality=50', 'image.type=image/jpeg', 'image.width=100']));
  });

  it('req=props reports gray pixel type, alpha mask and print resolution', async () => {
    const r = await server.get('/is/image/cat/alpha?req=props&fmt=png-alpha,gray&printRes=150');
    expect(lines(r.text)).toEqual(expect.arrayContaining(['image.pixTyp=BW', 'image.mask=1', 'image.printRes=150', 'image.type=image/png']));
  });

  it('row 34: req=props,json&id=abc is JSONP with s7jsonResponse and the id', async () => {
    const r = await server.get('/is/image/cat/img1?req=props,json&id=abc');
    expect(r.headers['content-type']).toBe('text/javascript; charset=UTF-8');
    expect(r.text).toMatch(/^\/\*jsonp\*\/s7jsonResponse\(\{.*"image\.width":"400".*\},"abc"\);$/);
  });

  it('row 35: handler=myCb names the callback; an unsafe handler is ignored', async () => {
    expect((await server.get('/is/image/cat/img1?req=props,json&handler=myCb')).text).toMatch(/^\/\*jsonp\*\/myCb\(\{.*\},""\);$/);
    const unsafe = await server.get('/is/image/cat/img1?req=props,json&handler=a.b');
    expect(unsafe.status).toBe(200);
    expect(unsafe.text).toMatch(/^\/\*jsonp\*\/s7jsonResponse\(/);
    expect(unsafe.text).not.toContain('a.b');
  });

  it('row 36: req=props,xml is a prop-group document', async () => {
    const r = await server.get('/is/image/cat/img1?req=props,xml');
    expect(r.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(r.text).toContain('<?xml version="1.0" encoding="UTF-8" ?>');
    expect(r.text).toMatch(/<prop-group>\s*<prop-group name="image">\s*<property name="width" value="400" \/>/);
    expect((await server.get('/is/image/cat/img1?req=props,xml,UTF-8')).status).toBe(200);
  });

  it('row 37: req=props,javascript gives quoted assignments', async () => {
    const r = await server.get('/is/image/cat/img1?req=props,javascript');
    expect(r.headers['content-type']).toBe('text/javascript; charset=UTF-8');
    expect(lines(r.text)).toEqual(expect.arrayContaining(["image.width='400'", "image.type='image/jpeg'"]));
  });

  it('row 38: req=imageprops describes the source and ignores view commands', async () => {
    const r = await server.get('/is/image/cat/img1?req=imageprops&wid=10');
    expect(r.status).toBe(200);
    expect(lines(r.text)).toEqual(expect.arrayContaining(['image.width=1000', 'image.height=800', 'image.pixTyp=RGB', 'image.anchor=500,400', 'image.translatedId=img1', 'image.mask=0']));
    const alpha = await server.get('/is/image/cat/mod1?req=imageprops,json');
    expect(alpha.text).toContain('"image.modifier":"wid=100\\u0026fmt=png"');
    expect(alpha.text).toContain('"image.postModifier":"qlt=50"');
    expect(lines((await server.get('/is/image/cat/alpha?req=imageprops')).text)).toContain('image.mask=2');
  });

  it('row 39: req=exists is 1 for a record and 0 (not an error) otherwise', async () => {
    const yes = await server.get('/is/image/cat/img1?req=exists');
    expect(yes.status).toBe(200);
    expect(lines(yes.text)).toContain('catalogRecord.exists=1');
    const no = await server.get('/is/image/cat/nope?req=exists');
    expect(no.status).toBe(200);
    expect(lines(no.text)).toContain('catalogRecord.exists=0');
    expect((await server.get('/is/image/cat/img1?req=exists,json')).text).toBe('/*jsonp*/s7jsonResponse({"catalogRecord.exists":"1"},"");');
  });

  it('row 40: req=userdata returns CRLF lines, a bare CRLF for an unknown record', async () => {
    const ud = await server.get('/is/image/cat/ud?req=userdata');
    expect(ud.status).toBe(200);
    expect(ud.text).toBe('a=1\r\nb=two\r\n');
    expect(ud.headers['cache-control']).toBe('public, max-age=36000');
    const none = await server.get('/is/image/cat/nope?req=userdata');
    expect([none.status, none.text]).toEqual([200, '\r\n']);
    expect((await server.get('/is/image/cat/ud?req=userdata,json')).text).toBe('/*jsonp*/s7jsonResponse({"a":"1","b":"two"},"");');
    expect((await server.get('/is/image/cat/ud?req=userdata,xml')).text).toContain('<property name="a" value="1" />');
  });

  it('req=userdata,xml,<enc> answers in the named encoding, declared in the document and in Content-Type', async () => {
    const expected = (enc: string) =>
      `<?xml version="1.0" encoding="${enc}" ?>\n<prop-group>\n  <property name="name" value="Café ½" />\n  <property name="q" value="a&quot;b&lt;c" />\n</prop-group>\n`;
    const get = async (enc: string) => {
      const r = await server.get(`/is/image/cat/udx?req=userdata,xml,${enc}`);
      expect(r.status).toBe(200);
      expect(r.headers['cache-control']).toBe('public, max-age=36000');
      return { type: r.headers['content-type'], body: r.body };
    };
    const utf8 = await get('UTF-8');
    expect(utf8.type).toBe('text/xml; charset=UTF-8');
    expect(utf8.body.toString('utf8')).toBe(expected('UTF-8'));
    const latin1 = await get('iso-8859-1');
    expect(latin1.type).toBe('text/xml; charset=ISO-8859-1');
    expect(latin1.body.toString('latin1')).toBe(expected('ISO-8859-1'));
    expect(latin1.body.includes(Buffer.from([0x43, 0x61, 0x66, 0xe9]))).toBe(true); // "Café", é as one byte
    const le = await get('UTF-16LE');
    expect(le.type).toBe('text/xml; charset=UTF-16LE');
    expect(le.body.toString('utf16le')).toBe(expected('UTF-16LE'));
    const be = await get('UTF-16BE');
    expect(be.body.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x3c, 0x00, 0x3f])); // "<?" big-endian, no BOM
    expect(Buffer.from(be.body).swap16().toString('utf16le')).toBe(expected('UTF-16BE'));
    const bom = await get('utf-16');
    expect(bom.type).toBe('text/xml; charset=UTF-16');
    expect(bom.body.subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
    expect(Buffer.from(bom.body.subarray(2)).swap16().toString('utf16le')).toBe(expected('UTF-16'));
    // Encodings outside §2.1's list, and encodings for types whose xml is UTF-8 only, are usage errors.
    expect((await server.get('/is/image/cat/udx?req=userdata,xml,UTF-32')).status).toBe(403);
    expect((await server.get('/is/image/cat/udx?req=userdata,json,UTF-16')).status).toBe(403);
    expect((await server.get('/is/image/cat/img1?req=imageprops,xml,UTF-16')).status).toBe(403);
  });

  it('row 41: req=catalogprops lists the catalog attributes; without catalog id, default.ini', async () => {
    const r = await server.get('/is/image/cat?req=catalogprops');
    expect(lines(r.text)).toEqual(expect.arrayContaining(['catalog.maxPix=2000,2000', 'catalog.defaultPix=400,400', 'catalog.jpegQuality=80,0', 'catalog.bkgColor=FFFFFF', 'catalog.expiration=10']));
    const lm = await server.get('/is/image/lm?req=catalogprops');
    expect(lines(lm.text)).toEqual(expect.arrayContaining(['catalog.jpegQuality=70,1', 'catalog.bkgColor=0000FF', 'catalog.maxPix=0,0']));
    expect(lines((await server.get('/is/image?req=catalogprops')).text)).toContain('catalog.defaultExt=.jpg');
  });

  it('row 42: req=validate says request.isValid=1, or the standard error; never cacheable', async () => {
    const ok = await server.get('/is/image/cat/img1?req=validate&wid=100');
    expect(ok.status).toBe(200);
    expect(lines(ok.text)).toContain('request.isValid=1');
    expect(String(ok.headers['cache-control'])).toContain('no-store');
    expect(ok.headers['etag']).toBeUndefined();
    const bad = await server.get('/is/image/cat/img1?req=validate&wid=abc');
    expect(bad.status).toBe(403);
    expect(String(bad.headers['cache-control'])).toContain('no-store');
    // validate does not open the image: a missing file is still a valid request.
    expect((await server.get('/is/image/cat/img2?req=validate')).status).toBe(200);
  });

  it('row 32: req=resolve gives the final request string and lists unknown commands; not cacheable', async () => {
    const r = await server.get('/is/image/cat/mod1?req=resolve&viewerParam=1');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    const [resolved, unknown] = lines(r.text);
    expect(resolved).toContain('wid=100');
    expect(resolved).toContain('fmt=png');
    expect(resolved).toContain('qlt=50');
    expect(unknown).toBe('# unknown commands (ignored): viewerParam');
    expect(String(r.headers['cache-control'])).toContain('no-store');
    const macro = await server.get('/is/image/cat/img1?$view$&req=resolve');
    expect(lines(macro.text)[0]).toContain('wid=240');
  });

  it('row 44: req=message answers an empty text/plain body, not cacheable', async () => {
    const r = await server.get('/is/image/cat?req=message&message=hello');
    expect([r.status, r.text, r.headers['content-type']]).toEqual([200, '', 'text/plain; charset=UTF-8']);
    expect(String(r.headers['cache-control'])).toContain('no-store');
  });

  it('unknown req types and formats a type does not offer are usage errors in the asked format', async () => {
    expect((await server.get('/is/image/cat/img1?req=bogus')).status).toBe(403);
    expect((await server.get('/is/image/cat/img1?req=userdata,javascript')).status).toBe(403);
    expect((await server.get('/is/image/cat/img1?req=img,json')).status).toBe(403);
    expect((await server.get('/is/image/cat/img1?req=props,xml,UTF-16')).status).toBe(403);
  });

  it('row 62: fit= with req=tmb and fit= without wid/hei are usage errors', async () => {
    expect((await server.get('/is/image/cat/img1?req=tmb&fit=crop')).status).toBe(403);
    expect((await server.get('/is/image/cat/img1?fit=crop')).status).toBe(403);
  });

  // Rows 45-52 (default image, error image, ErrorDetail) and the bodies of error replies belong to
  // issue 4 (apps/image-server/src/errors): they are tested there.
});

import {
  encodePropertyBody,
  escapeJavaProperty,
  escapeXmlAttribute,
  formatProperties,
  javaDateString,
  jsonp,
  xmlEncodingOf,
  type Property,
} from './property-formats';

const date = new Date(Date.UTC(2014, 6, 28, 17, 28, 32));
const props: Property[] = [
  ['image.width', '400'],
  ['image.height', '320'],
  ['image.type', 'image/jpeg'],
];

describe('formatProperties', () => {
  it('text: Java Properties.store output', () => {
    expect(formatProperties(props, 'text', { date })).toEqual({
      contentType: 'text/plain; charset=UTF-8',
      body: '#S7Z OK\n#Mon Jul 28 17:28:32 UTC 2014\nimage.width=400\nimage.height=320\nimage.type=image/jpeg\n',
    });
  });

  it('javascript: single-quoted assignments, quotes doubled', () => {
    expect(formatProperties([...props, ['image.name', "it's"]], 'javascript')).toEqual({
      contentType: 'text/javascript; charset=UTF-8',
      body: "image.width='400'\nimage.height='320'\nimage.type='image/jpeg'\nimage.name='it''s'\n",
    });
  });

  it('xml: one prop-group per key prefix, in first-seen order', () => {
    expect(formatProperties([['image.width', '400'], ['catalog.expiration', '10'], ['image.height', '320']], 'xml')).toEqual({
      contentType: 'text/xml; charset=UTF-8',
      body: [
        '<?xml version="1.0" encoding="UTF-8" ?>',
        '<prop-group>',
        '  <prop-group name="image">',
        '    <property name="width" value="400" />',
        '    <property name="height" value="320" />',
        '  </prop-group>',
        '  <prop-group name="catalog">',
        '    <property name="expiration" value="10" />',
        '  </prop-group>',
        '</prop-group>',
        '',
      ].join('\n'),
    });
  });

  it('xml: the encoding it is asked for is declared in the document and in the charset', () => {
    const { contentType, body } = formatProperties([['a', 'x']], 'xml', { xmlEncoding: 'UTF-16LE' });
    expect(contentType).toBe('text/xml; charset=UTF-16LE');
    expect(body.startsWith('<?xml version="1.0" encoding="UTF-16LE" ?>\n<prop-group>\n  <property name="a" value="x" />')).toBe(true);
  });

  it('json: JSONP with flat string values and the request id', () => {
    expect(formatProperties(props.slice(0, 2), 'json', { requestId: '42' })).toEqual({
      contentType: 'text/javascript; charset=UTF-8',
      body: '/*jsonp*/s7jsonResponse({"image.width":"400","image.height":"320"},"42");',
    });
  });

  it('json: echoes an empty request id and a safe handler, ignores an unsafe one', () => {
    expect(formatProperties([['catalogRecord.exists', '1']], 'json', { handler: 'myFn2' }).body).toBe(
      '/*jsonp*/myFn2({"catalogRecord.exists":"1"},"");',
    );
    expect(formatProperties([['catalogRecord.exists', '1']], 'json', { handler: 'alert(1);x' }).body).toBe(
      '/*jsonp*/s7jsonResponse({"catalogRecord.exists":"1"},"");',
    );
  });
});

describe('escapeJavaProperty (java.util.Properties#saveConvert)', () => {
  it.each([
    ['plain', false, 'plain'],
    [' lead and inner space', false, '\\ lead and inner space'],
    ['key with space', true, 'key\\ with\\ space'],
    ['a=b:c#d!e', false, 'a\\=b\\:c\\#d\\!e'],
    ['back\\slash', false, 'back\\\\slash'],
    ['tab\tnl\ncr\rff\f', false, 'tab\\tnl\\ncr\\rff\\f'],
    ['é€\u0001\u007f', false, '\\u00E9\\u20AC\\u0001\\u007F'],
    ['😀', false, '\\uD83D\\uDE00'],
  ])('%j (key=%s) -> %j', (input, isKey, expected) => {
    expect(escapeJavaProperty(input, isKey)).toBe(expected);
  });
});

describe('helpers', () => {
  it('javaDateString pads like Date.toString()', () => {
    expect(javaDateString(new Date(Date.UTC(2024, 0, 5, 3, 4, 5)))).toBe('Fri Jan 05 03:04:05 UTC 2024');
  });

  it('escapeXmlAttribute escapes markup, keeps whitespace as references and drops unrepresentable chars', () => {
    expect(escapeXmlAttribute(`<a href="x">'&'</a>\t\r\n\u0000\ud800`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;&#9;&#13;&#10;\ufffd\ufffd',
    );
    expect(escapeXmlAttribute('😀 ok')).toBe('😀 ok');
  });

  it('jsonp escapes the request id too', () => {
    expect(jsonp('cb', '{}', '</script><script>alert(1)</script>')).toBe(
      '/*jsonp*/cb({},"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");',
    );
  });
});

describe('xml encodings', () => {
  const text = 'é中😀<';

  it('encodePropertyBody writes the bytes Java writes for each encoding', () => {
    expect(encodePropertyBody(text, 'UTF-8')).toEqual(Buffer.from([0xc3, 0xa9, 0xe4, 0xb8, 0xad, 0xf0, 0x9f, 0x98, 0x80, 0x3c]));
    expect(encodePropertyBody(text, 'UTF-16LE')).toEqual(Buffer.from([0xe9, 0x00, 0x2d, 0x4e, 0x3d, 0xd8, 0x00, 0xde, 0x3c, 0x00]));
    expect(encodePropertyBody(text, 'UTF-16BE')).toEqual(Buffer.from([0x00, 0xe9, 0x4e, 0x2d, 0xd8, 0x3d, 0xde, 0x00, 0x00, 0x3c]));
    expect(encodePropertyBody(text, 'UTF-16')).toEqual(Buffer.from([0xfe, 0xff, 0x00, 0xe9, 0x4e, 0x2d, 0xd8, 0x3d, 0xde, 0x00, 0x00, 0x3c]));
  });

  it('ISO-8859-1 keeps Latin-1 as bytes and writes every other character as one character reference', () => {
    expect(encodePropertyBody(text, 'ISO-8859-1').toString('latin1')).toBe('é&#x4E2D;&#x1F600;<');
    expect(encodePropertyBody(text, 'ISO-8859-1')[0]).toBe(0xe9);
  });

  it('xmlEncodingOf accepts the names case-insensitively, with the usual spellings, and nothing else', () => {
    expect(['utf-8', 'UTF8', 'utf-16', 'UTF16LE', 'utf-16be', 'iso-8859-1', 'Latin1'].map(xmlEncodingOf)).toEqual([
      'UTF-8',
      'UTF-8',
      'UTF-16',
      'UTF-16LE',
      'UTF-16BE',
      'ISO-8859-1',
      'ISO-8859-1',
    ]);
    expect(['UTF-32', 'ascii', '', 'utf-8x'].map(xmlEncodingOf)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

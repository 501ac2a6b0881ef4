import {
  escapeJavaProperty,
  escapeXmlAttribute,
  formatProperties,
  javaDateString,
  jsonp,
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

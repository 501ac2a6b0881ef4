import { MAX_DEPTH, parseXml, XmlSyntaxError, type XmlElement, type XmlNode } from './xml-subset';

const text = (el: XmlElement): string => el.children.map((c: XmlNode) => ('text' in c ? c.text : '')).join('');
const child = (el: XmlElement, i: number): XmlElement => {
  const c = el.children.filter((n): n is XmlElement => 'name' in n)[i];
  if (c === undefined) {
    throw new Error(`no child ${i}`);
  }
  return c;
};

describe('parseXml', () => {
  it('reads elements, attributes, text, CDATA, comments and the declaration', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- head -->\n<ruleset>\n  <rule OnMatch=\'continue\' Name="a &amp; b">\n' +
        '    <expression><![CDATA[^a<b>&c$]]></expression>\n    <substitution>x&lt;&#65;&#x42;&gt;&quot;&apos;</substitution>\n  </rule>\n<e/></ruleset>\n<!-- tail -->\n',
    );
    expect(root.name).toBe('ruleset');
    const rule = child(root, 0);
    expect([...rule.attributes]).toEqual([
      ['OnMatch', 'continue'],
      ['Name', 'a & b'],
    ]);
    expect(rule.line).toBe(4);
    expect(text(child(rule, 0))).toBe('^a<b>&c$');
    expect(text(child(rule, 1))).toBe('x<AB>"\'');
    expect(child(root, 1)).toMatchObject({ name: 'e', children: [] });
  });

  it.each([
    ['<!DOCTYPE r [<!ENTITY x "y">]><r/>', 'DOCTYPE is not allowed', 1],
    ['<r>\n<!DOCTYPE r></r>', 'not allowed inside elements', 2],
    ['<r>&x;</r>', 'unknown entity &x;', 1],
    ['<r>\n\n a & b</r>', "'&' must start an entity reference", 3],
    ['<r>&#0;</r>', 'not a valid XML character', 1],
    ['<r>&#xD800;</r>', 'not a valid XML character', 1],
    ['<r a="1" a="2"/>', 'appears twice', 1],
    ['<r a=1/>', 'must be quoted', 1],
    ['<r a/>', 'has no value', 1],
    ['<r a="<"/>', "'<' in the value", 1],
    ['<r><s></r>', 'expected </s>', 1],
    ['<r>', 'is not closed', 1],
    ['<r/><s/>', 'content after the root element', 1],
    ['text', 'expected the root element', 1],
    ['<r><!-- x </r>', 'unclosed comment', 1],
    ['<r><![CDATA[x</r>', 'unclosed CDATA', 1],
    ['<ra="1"/>', "expected white space, '>' or '/>'", 1],
  ])('refuses %j: %s (line %i)', (xml, message, line) => {
    let error: unknown;
    try {
      parseXml(xml);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect((error as XmlSyntaxError).message).toContain(message);
    expect((error as XmlSyntaxError).line).toBe(line);
  });

  it(`refuses nesting deeper than ${MAX_DEPTH}`, () => {
    const deep = '<a>'.repeat(MAX_DEPTH + 1) + '</a>'.repeat(MAX_DEPTH + 1);
    expect(() => parseXml(deep)).toThrow(`nested deeper than ${MAX_DEPTH}`);
    const ok = '<a>'.repeat(MAX_DEPTH) + '</a>'.repeat(MAX_DEPTH);
    expect(parseXml(ok).name).toBe('a');
  });
});

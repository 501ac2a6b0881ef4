import { ImageServingError } from '@openexp/errors';
import { decodeRuleSetText, MAX_RULE_INPUT, parseRuleSet, RuleSetError, type RuleSet } from './rule-set';

const FILE = '/cat/rules.xml';

const ruleSet = (rules: string): RuleSet => parseRuleSet(`<?xml version="1.0" encoding="UTF-8"?>\n<ruleset>\n${rules}\n</ruleset>\n`, FILE);

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof ImageServingError ? err.code : `not an ImageServingError: ${String(err)}`;
  }
  return undefined;
};

describe('parseRuleSet', () => {
  it('reads rules with their attributes and elements (names case-insensitive)', () => {
    const set = ruleSet(
      `<rule Name="vanity" onmatch="CONTINUE" RequestType="is" Replace="all">
         <Expression>^shop/([a-z]+)\\.jpg$</Expression>
         <SUBSTITUTION>cat/$1?wid=400</SUBSTITUTION>
         <Expiration>24</Expiration>
       </rule>
       <rule OnMatch="error"><expression>secret</expression></rule>`,
    );
    expect(set.size).toBe(2);
    const [a, b] = set.rules;
    expect(a).toMatchObject({ name: 'vanity', line: 3, onMatch: 'continue', replaceAll: true, expiration: 24, substitution: ['cat/', { group: 1 }, '?wid=400'] });
    expect([...(a?.requestTypes ?? [])]).toEqual(['is']);
    expect(b).toMatchObject({ name: 'rule 2', onMatch: 'error', replaceAll: false, expiration: null, substitution: null });
    expect([...(b?.requestTypes ?? [])]).toEqual(['is', 'static']);
  });

  it('accepts an empty rule set', () => {
    expect(ruleSet('').size).toBe(0);
  });

  it.each([
    ['<rule><expression>(a</expression><substitution>x</substitution></rule>', 3, "unclosed '('"],
    ['<rule>\n<expression>(a)\\1</expression><substitution>x</substitution></rule>', 4, 'back-references are not supported'],
    ['<rule><expression>(?=a)</expression><substitution>x</substitution></rule>', 3, 'look-around'],
    ['<rule><substitution>x</substitution></rule>', 3, 'needs a non-empty <expression>'],
    ['<rule><expression></expression><substitution>x</substitution></rule>', 3, 'needs a non-empty <expression>'],
    ['<rule><expression>a</expression></rule>', 3, 'does nothing'],
    ['<rule OnMatch="stop"><expression>a</expression><substitution>x</substitution></rule>', 3, 'OnMatch must be'],
    ['<rule Replace="some"><expression>a</expression><substitution>x</substitution></rule>', 3, 'Replace must be'],
    ['<rule RequestType="is,ir"><expression>a</expression><substitution>x</substitution></rule>', 3, 'RequestType must be'],
    ['<rule Foo="1"><expression>a</expression><substitution>x</substitution></rule>', 3, 'unknown attribute Foo'],
    ['<rule><expression>a</expression><header Name="X">y</header></rule>', 3, 'unsupported element <header>'],
    ['<rule><expression>a</expression><expression>b</expression></rule>', 3, 'appears twice'],
    ['<rule><expression>(a)</expression><substitution>$2</substitution></rule>', 3, 'refers to group 2, but the expression has 1'],
    ['<rule><expression>a</expression><substitution>US$</substitution></rule>', 3, 'must be followed by a group number'],
    ['<rule><expression>a</expression><substitution>x\\</substitution></rule>', 3, 'lone backslash'],
    ['<rule><expression>a</expression><Expiration>soon</Expiration></rule>', 3, '<Expiration> must be hours'],
    ['<rule><expression>a</expression><Expiration>-2</Expiration></rule>', 3, '<Expiration> must be hours'],
    ['<rule><expression>a<b/></expression></rule>', 3, '<b> inside <expression>'],
    ['<rule>stray<expression>a</expression><substitution>x</substitution></rule>', 3, 'text directly inside <rule>'],
    ['<other/>', 3, 'unknown element <other>'],
    ['<rule><expression>a &foo; b</expression></rule>', 3, 'unknown entity'],
  ])('refuses %j at line %i: %s', (rules, line, message) => {
    let error: unknown;
    try {
      ruleSet(rules);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RuleSetError);
    expect((error as RuleSetError).line).toBe(line);
    expect((error as RuleSetError).message).toContain(`${FILE}:${line}: `);
    expect((error as RuleSetError).message).toContain(message);
  });

  it('refuses a DOCTYPE (no entity expansion) and a wrong root element', () => {
    expect(() => parseRuleSet('<!DOCTYPE ruleset [<!ENTITY a "aaaa">]><ruleset/>', FILE)).toThrow('DOCTYPE is not allowed');
    expect(() => parseRuleSet('<rules/>', FILE)).toThrow('the root element must be <ruleset>');
  });

  it('decodes UTF-8 (BOM or not) and declared ISO-8859-1, and refuses other encodings', () => {
    const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><ruleset>\xe9</ruleset>', 'latin1');
    expect(decodeRuleSetText(latin, FILE)).toContain('é');
    expect(decodeRuleSetText(Buffer.from('\uFEFF<ruleset>é</ruleset>', 'utf8'), FILE)).toContain('é');
    expect(() => decodeRuleSetText(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><r/>'), FILE)).toThrow('unsupported encoding utf-16');
    expect(() => decodeRuleSetText(Buffer.from([0x3c, 0x72, 0xff, 0x2f, 0x3e]), FILE)).toThrow('not valid UTF-8');
  });
});

describe('RuleSet.apply', () => {
  it('substitutes with groups and stops at the first matching rule (OnMatch=break, the default)', () => {
    const set = ruleSet(`
      <rule Name="vanity"><expression>^shop/([a-z]+)-(\\d+)\\.jpg$</expression><substitution>cat/$1?wid=$2</substitution></rule>
      <rule Name="never"><expression>cat</expression><substitution>other</substitution></rule>`);
    expect(set.apply('shop/shoe-200.jpg', 'is')).toEqual({ request: 'cat/shoe?wid=200', matched: ['vanity'], expiration: null });
    expect(set.apply('cat/img1?wid=5', 'is')).toEqual({ request: 'other/img1?wid=5', matched: ['never'], expiration: null });
    expect(set.apply('nothing/here', 'is')).toEqual({ request: 'nothing/here', matched: [], expiration: null });
  });

  it('continues on the substituted string with OnMatch=continue; later Expiration wins', () => {
    const set = ruleSet(`
      <rule Name="a" OnMatch="continue"><expression>^seo/</expression><substitution>cat/</substitution><Expiration>1</Expiration></rule>
      <rule Name="b" OnMatch="continue"><expression>^cat/(\\w+)$</expression><substitution>cat/$1?qlt=90</substitution><Expiration>-1</Expiration></rule>
      <rule Name="c"><expression>qlt=90</expression><Expiration>0.5</Expiration></rule>
      <rule Name="d"><expression>.</expression><substitution>never</substitution></rule>`);
    expect(set.apply('seo/img1', 'is')).toEqual({ request: 'cat/img1?qlt=90', matched: ['a', 'b', 'c'], expiration: 0.5 });
    expect(set.apply('seo/a/b', 'is')).toEqual({ request: 'neverat/a/b', matched: ['a', 'd'], expiration: 1 });
  });

  it('replaces the first match, or every match with Replace="all" (empty matches advance)', () => {
    const first = ruleSet('<rule><expression>-</expression><substitution>_</substitution></rule>');
    const all = ruleSet('<rule Replace="all"><expression>-</expression><substitution>_</substitution></rule>');
    const empty = ruleSet('<rule Replace="all"><expression>x*</expression><substitution>.</substitution></rule>');
    expect(first.apply('a-b-c', 'is').request).toBe('a_b-c');
    expect(all.apply('a-b-c', 'is').request).toBe('a_b_c');
    // As Java's replaceAll (and JavaScript's replace with /g): '.a..b.'.
    expect(empty.apply('axb', 'is').request).toBe('.a..b.');
    expect(ruleSet('<rule><expression>\\$</expression><substitution>\\$\\\\$0</substitution></rule>').apply('a$b', 'is').request).toBe('a$\\$b');
  });

  it('refuses the request with IMG_RULE_REJECTED when an OnMatch="error" rule matches', () => {
    const set = ruleSet(`
      <rule OnMatch="continue"><expression>^private/</expression><substitution>hidden/</substitution></rule>
      <rule OnMatch="error" Name="no hidden"><expression>^hidden/</expression></rule>`);
    expect(codeOf(() => set.apply('private/x.jpg', 'is'))).toBe('IMG_RULE_REJECTED');
    // Remembered refusals are thrown again, as new errors.
    expect(codeOf(() => set.apply('private/x.jpg', 'is'))).toBe('IMG_RULE_REJECTED');
    expect(() => set.apply('private/x.jpg', 'is')).toThrow('refused by rule "no hidden"');
    expect(set.apply('public/x.jpg', 'is').matched).toEqual([]);
  });

  it('runs only the rules of the request type', () => {
    const set = ruleSet(`
      <rule RequestType="static"><expression>^css/</expression><substitution>static/css/</substitution></rule>
      <rule RequestType=" IS "><expression>^img/</expression><substitution>cat/</substitution></rule>`);
    expect(set.apply('css/a.css', 'static').request).toBe('static/css/a.css');
    expect(set.apply('css/a.css', 'is').request).toBe('css/a.css');
    expect(set.apply('img/a', 'static').request).toBe('img/a');
    expect(set.apply('img/a', 'is').request).toBe('cat/a');
  });

  it('refuses request strings over the length bound, before and after substitution', () => {
    const set = ruleSet(`<rule Replace="all"><expression>a</expression><substitution>aaaa</substitution></rule>`);
    expect(codeOf(() => set.apply('a'.repeat(MAX_RULE_INPUT + 1), 'is'))).toBe('IMG_REQUEST_REFUSED');
    expect(codeOf(() => set.apply('a'.repeat(MAX_RULE_INPUT / 2), 'is'))).toBe('IMG_REQUEST_REFUSED');
    expect(set.apply('a'.repeat(100), 'is').request).toHaveLength(400);
  });

  /**
   * Fifty rules of hostile expressions (each exponential or high-polynomial for a backtracking
   * engine) against URLs crafted to make them backtrack: every request ends within the step
   * budget, either with an outcome or with IMG_REQUEST_REFUSED, and within a generous time bound.
   */
  it('bounds the time of hostile rules on URLs built to backtrack', () => {
    const hostile = ['(a+)+$', '(a|aa)*$', '(\\w+\\d*)+!', '^(([a-z])+.)+[A-Z]([a-z])+$', '(.*a){12}', '(x+x+)+y', '(\\w|\\d|_)*@'];
    const rules = Array.from({ length: 50 }, (_, i) => {
      const expr = hostile[i % hostile.length] ?? '';
      return `<rule Name="h${i}" OnMatch="continue"><expression>${expr}</expression><Expiration>${i}</Expiration></rule>`;
    }).join('\n');
    const set = ruleSet(rules);
    const urls = [
      `cat/${'a'.repeat(4000)}?wid=1`,
      `cat/img?${'x'.repeat(3000)}`,
      `${'a1'.repeat(2000)}`,
      `${'ab'.repeat(2000)}!`,
      `cat/img?$x=${'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'.repeat(100)}&wid=100`,
    ];
    for (const url of urls) {
      const t0 = performance.now();
      const code = codeOf(() => set.apply(url, 'is', 5_000_000));
      expect([undefined, 'IMG_REQUEST_REFUSED']).toContain(code);
      expect(performance.now() - t0).toBeLessThan(3000);
    }
    // A small budget refuses instead of working on.
    expect(codeOf(() => set.apply(`cat/${'a'.repeat(4000)}!`, 'is', 1000))).toBe('IMG_REQUEST_REFUSED');
  });
});

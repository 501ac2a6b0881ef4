import fc from 'fast-check';
import { LinearRegex, MAX_PROGRAM, RegexSyntaxError, StepBudgetExceeded, type StepBudget } from './linear-regex';

const budget = (limit = 10_000_000): StepBudget => ({ remaining: limit, limit });

/** Patterns in the supported subset whose meaning is the same in JavaScript and Java. */
const AGREEMENT: readonly [string, readonly string[]][] = [
  ['a', ['xay', 'bbb', '']],
  ['^(\\w+)/(\\w+)\\.jpg$', ['cat/shoe.jpg', 'cat/shoe.png', 'a/b/c.jpg']],
  ['(a|ab)(c|bcd)(d*)', ['abcd', 'abc', 'xabcdd']],
  ['a*?b', ['aaab', 'b', 'aaa']],
  ['(a*)*', ['b', 'aaa']],
  ['(a*)+b', ['aab', 'b']],
  ['x(.*?)y(.*)', ['xaaybbyc', 'xy']],
  ['[^/]+$', ['a/b/cde', 'abc', 'a/']],
  ['\\bfoo\\b', ['a foo b', 'afoob', 'foo']],
  ['\\Bo\\B', ['foo', 'o']],
  ['(?:ab){2,3}', ['abababab', 'ab', 'ababx']],
  ['(?:ab){2,}?', ['ababab']],
  ['colou?r', ['color', 'colour', 'colouur']],
  ['^$', ['', 'a']],
  ['a{2}', ['aaa', 'a']],
  ['a{0}b', ['ab']],
  ['[a-c\\d_-]+', ['zz-a1_c9y', '!!']],
  ['[\\W]+', ['ab!?c']],
  ['\\x41\\u0042\\t', ['xAB\ty']],
  ['(\\d+)x(\\d+)', ['size=1000x800', 'x']],
  ['wid=(\\d+)&?', ['cat/img?wid=200&hei=3', 'cat/img?hei=3']],
  ['(a)|(b)', ['b', 'a']],
  ['.+', ['line\nnext', '\r']],
  ['\\.\\?\\$\\^\\[\\]\\(\\)\\{\\}\\|\\\\\\/', ['.?$^[](){}|\\/']],
  ['[\\]a]', [']', 'a']],
  ['(a|b)*?c', ['ababc']],
  ['^(?:is|ir)/(.*)$', ['is/cat/x', 'ir/a', 'xis/a']],
];

describe('LinearRegex', () => {
  it.each(AGREEMENT)('finds what RegExp finds for /%s/ (position, groups)', (pattern, inputs) => {
    const rx = new LinearRegex(pattern);
    const js = new RegExp(pattern);
    for (const input of inputs) {
      const ours = rx.exec(input, 0, budget());
      const theirs = js.exec(input);
      expect(ours === null ? null : { index: ours.start, groups: ours.groups }).toEqual(theirs === null ? null : { index: theirs.index, groups: [...theirs] });
    }
  });

  it('searches from a position and reports the end of the match', () => {
    const rx = new LinearRegex('a+');
    expect(rx.exec('aa-aaa', 2, budget())).toEqual({ start: 3, end: 6, groups: ['aaa'] });
    expect(rx.exec('aa-aaa', 6, budget())).toBeNull();
  });

  it('keeps the last value of a group inside a repetition, as Java does (JavaScript resets it)', () => {
    expect(new LinearRegex('((a)|b)+').exec('abab', 0, budget())?.groups).toEqual(['abab', 'b', 'a']);
  });

  it('supports \\Q…\\E quoting and octal escapes as Java does', () => {
    expect(new LinearRegex('\\Q.*+\\E!').exec('x.*+!', 0, budget())?.start).toBe(1);
    expect(new LinearRegex('\\Qa.b').exec('a.b', 0, budget())?.groups[0]).toBe('a.b');
    expect(new LinearRegex('\\0101').exec('A', 0, budget())?.groups[0]).toBe('A');
  });

  it.each([
    ['(a)\\1', 'back-references'],
    ['(?=a)', 'look-around'],
    ['(?!a)', 'look-around'],
    ['(?<=a)b', 'look-around'],
    ['(?<name>a)', 'look-around'],
    ['(?>a+)', 'look-around'],
    ['(?i)abc', 'look-around'],
    ['a*+', 'possessive'],
    ['a++', 'possessive'],
    ['[a-z&&[^b]]', 'intersections'],
    ['[a[b]]', 'nested classes'],
    ['(a', "unclosed '('"],
    ['a)', "unbalanced ')'"],
    ['[abc', "unclosed '['"],
    ['*a', 'nothing to repeat'],
    ['a{2', 'must start a quantifier'],
    ['{', 'nothing to repeat'],
    ['a{3,2}', 'm < n'],
    ['a{1001}', 'repetition bound'],
    ['a**', 'quantifier after a quantifier'],
    ['^*', 'quantifier after an anchor'],
    ['\\p{L}', 'unsupported escape'],
    ['\\k<a>', 'unsupported escape'],
    ['a\\', 'lone backslash'],
    ['[z-a]', 'out of order'],
    ['[]a]', 'must be escaped'],
    ['\\xZZ', 'hex digits'],
  ])('refuses %s at load (%s)', (pattern, message) => {
    expect(() => new LinearRegex(pattern)).toThrow(RegexSyntaxError);
    expect(() => new LinearRegex(pattern)).toThrow(message);
  });

  it('refuses patterns that compile to too large a program or are too long', () => {
    expect(() => new LinearRegex('(?:(?:a{100}){100}){2}')).toThrow(`more than ${MAX_PROGRAM} instructions`);
    expect(() => new LinearRegex('a'.repeat(2001))).toThrow('longer than 2000 characters');
  });

  /**
   * Patterns that take exponential (or high polynomial) time in a backtracking engine on the
   * inputs below: V8's RegExp needs longer than the universe's age for `(a+)+$` on 8,000 `a`s
   * and a `!`. Here the cost is bounded by input length × program size, checked by counting the
   * steps, plus the generous time bound the issue asks for.
   */
  it.each([
    ['(a+)+$'],
    ['(a|aa)*$'],
    ['(a|a)*!x'],
    ['^(([a-z])+.)+[A-Z]([a-z])+$'],
    ['(\\w|\\d)*\\s'],
    ['a*a*a*a*a*a*a*a*$'],
    ['(.*,)*x'],
    ['^(a?){30}a{30}$'],
  ])('hostile /%s/ on 8,000-character inputs stays within length × program size', (pattern) => {
    const rx = new LinearRegex(pattern);
    for (const input of ['a'.repeat(8000) + '!', 'a,'.repeat(4000) + '!', 'a'.repeat(60)]) {
      const b = budget(1e9);
      const t0 = performance.now();
      rx.exec(input, 0, b);
      const ms = performance.now() - t0;
      const steps = b.limit - b.remaining;
      expect(steps).toBeLessThanOrEqual((input.length + 1) * rx.size * 2);
      expect(ms).toBeLessThan(2000);
    }
  });

  it('stops with StepBudgetExceeded when the budget runs out', () => {
    const rx = new LinearRegex('(a|aa)*$');
    expect(() => rx.exec('a'.repeat(5000), 0, budget(1000))).toThrow(StepBudgetExceeded);
  });
});

describe('LinearRegex against RegExp on generated patterns', () => {
  /** Patterns over `a`, `b`, `/` built from every supported operator, small enough for RegExp. */
  const pattern: fc.Arbitrary<string> = fc.letrec<{ re: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('a', 'b', '/', '.', '[ab]', '[^a]', '\\w', '\\W', '^', '$', '\\b'),
      tie('re').map((r) => `(${r})`),
      tie('re').map((r) => `(?:${r})`),
    ),
    re: fc
      .array(
        fc.tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '*?', '+?', '??', '{2}', '{0,2}', '{1,}')),
        { minLength: 1, maxLength: 3 },
      )
      .chain((parts) =>
        fc.boolean().map((alt) => {
          // Only atoms that cannot match the empty string are repeated: what an empty iteration
          // means differs between engines (ECMAScript refuses it and backtracks, Java and this
          // engine end the loop), and that corner is documented on LinearRegex.
          const items = parts.map(([atom, q]) => (/(?<!\[)\^|\$|\\b/.test(atom) || new RegExp(`^(?:${atom})$`).test('') ? atom : atom + q));
          return alt && items.length > 1 ? `${items[0] ?? ''}|${items.slice(1).join('')}` : items.join('');
        }),
      ),
  })).re;

  it('finds the same match (start and text) as the backtracking engine', () => {
    fc.assert(
      fc.property(pattern, fc.string({ unit: fc.constantFrom('a', 'b', '/'), maxLength: 10 }), (p, input) => {
        const ours = new LinearRegex(p).exec(input, 0, budget());
        const theirs = new RegExp(p).exec(input);
        expect(ours === null ? null : [ours.start, ours.groups[0]]).toEqual(theirs === null ? null : [theirs.index, theirs[0]]);
      }),
      { numRuns: 2000, seed: 16 },
    );
  });
});

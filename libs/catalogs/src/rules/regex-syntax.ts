/**
 * The pattern syntax of rule-set expressions (Java's, the subset and bounds described in
 * `linear-regex.ts`): the parser into a syntax tree (`regex-tree.ts`).
 * `linear-regex.ts` compiles the tree and runs it.
 */

import { complement, DIGIT, normalize, SPACE, WORD } from './regex-ranges';
import { MAX_REPEAT, RegexSyntaxError, type Node } from './regex-tree';

/** Escapes that always stand for the same node (inside and outside classes). */
const FIXED_ESCAPES: Readonly<Record<string, Node>> = {
  d: { t: 'set', ranges: DIGIT, negated: false },
  D: { t: 'set', ranges: DIGIT, negated: true },
  w: { t: 'set', ranges: WORD, negated: false },
  W: { t: 'set', ranges: WORD, negated: true },
  s: { t: 'set', ranges: SPACE, negated: false },
  S: { t: 'set', ranges: SPACE, negated: true },
  t: { t: 'char', code: 9 },
  n: { t: 'char', code: 10 },
  r: { t: 'char', code: 13 },
  f: { t: 'char', code: 12 },
  e: { t: 'char', code: 27 },
};

export class Parser {
  private pos = 0;
  groups = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) {
      throw new RegexSyntaxError(`unbalanced ')'`, this.pos);
    }
    return node;
  }

  private fail(message: string, at = this.pos): never {
    throw new RegexSyntaxError(message, at);
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      items.push(this.sequence());
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '|' || c === ')') {
        break;
      }
      if (c === '\\' && this.src[this.pos + 1] === 'Q') {
        this.pos += 2;
        const end = this.src.indexOf('\\E', this.pos);
        const stop = end < 0 ? this.src.length : end;
        for (let i = this.pos; i < stop; i++) {
          items.push({ t: 'char', code: this.src.charCodeAt(i) });
        }
        this.pos = end < 0 ? stop : stop + 2;
        continue;
      }
      items.push(this.quantified(this.atom()));
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.src[this.pos];
      let min: number;
      let max: number;
      const at = this.pos;
      if (c === '*') {
        [min, max] = [0, Infinity];
        this.pos++;
      } else if (c === '+') {
        [min, max] = [1, Infinity];
        this.pos++;
      } else if (c === '?') {
        [min, max] = [0, 1];
        this.pos++;
      } else if (c === '{') {
        [min, max] = this.braces();
      } else {
        return node;
      }
      if (node.t === 'assert') {
        this.fail('quantifier after an anchor', at);
      }
      if (node.t === 'repeat') {
        // `a**`, `a{2}{3}`: Java accepts some of these; nothing needs them, and they hide intent.
        this.fail('quantifier after a quantifier', at);
      }
      let greedy = true;
      if (this.src[this.pos] === '?') {
        greedy = false;
        this.pos++;
      } else if (this.src[this.pos] === '+') {
        this.fail('possessive quantifiers are not supported');
      }
      node = { t: 'repeat', min, max, greedy, body: node };
    }
  }

  private braces(): [number, number] {
    const at = this.pos;
    const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.src.slice(this.pos, this.pos + 12));
    if (m === null) {
      this.fail(`'{' must start a quantifier {n}, {n,} or {n,m} (escape it as \\{)`, at);
    }
    this.pos += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' || m[3] === undefined ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
      this.fail(`repetition bound over ${MAX_REPEAT}`, at);
    }
    if (max < min) {
      this.fail('repetition {n,m} with m < n', at);
    }
    return [min, max];
  }

  private atom(): Node {
    const at = this.pos;
    const c = this.src[this.pos++];
    switch (c) {
      case '(':
        return this.group(at);
      case '[':
        return this.charClass();
      case '.':
        return { t: 'any' };
      case '^':
        return { t: 'assert', kind: 'start' };
      case '$':
        return { t: 'assert', kind: 'end' };
      case '*':
      case '+':
      case '?':
        return this.fail(`quantifier '${c}' with nothing to repeat`, at);
      case '{':
        return this.fail(`'{' with nothing to repeat (escape it as \\{)`, at);
      case '\\':
        return this.escape(false) as Node;
      default:
        return { t: 'char', code: this.src.charCodeAt(at) };
    }
  }

  private group(at: number): Node {
    let index: number | null = null;
    if (this.src[this.pos] === '?') {
      if (this.src[this.pos + 1] !== ':') {
        this.fail('look-around, atomic and named groups and inline flags are not supported (only (?:…))', at);
      }
      this.pos += 2;
    } else {
      index = ++this.groups;
    }
    const body = this.alternation();
    if (this.src[this.pos] !== ')') {
      this.fail(`unclosed '('`, at);
    }
    this.pos++;
    return { t: 'group', index, body };
  }

  /** After a `\`: a character, a set, or (outside classes) an assertion. */
  private escape(inClass: boolean): Node {
    const at = this.pos - 1;
    const c = this.src[this.pos++];
    if (c === undefined) {
      return this.fail('pattern ends with a lone backslash', at);
    }
    if (Object.hasOwn(FIXED_ESCAPES, c)) {
      return FIXED_ESCAPES[c] as Node;
    }
    switch (c) {
      case 'x':
        return { t: 'char', code: this.hexDigits(c, 2, at) };
      case 'u':
        return { t: 'char', code: this.hexDigits(c, 4, at) };
      case '0':
        return { t: 'char', code: this.octalDigits(at) };
      case 'b':
      case 'B':
        if (inClass) {
          return this.fail(`\\${c} inside a class`, at);
        }
        return { t: 'assert', kind: c === 'b' ? 'word' : 'nonword' };
      default:
        if (/[1-9]/.test(c)) {
          return this.fail('back-references are not supported (they need backtracking)', at);
        }
        if (/[A-Za-z]/.test(c)) {
          return this.fail(`unsupported escape \\${c}`, at);
        }
        return { t: 'char', code: c.charCodeAt(0) };
    }
  }

  /** `\xhh`, `\uhhhh`: exactly `n` hex digits. */
  private hexDigits(escape: string, n: number, at: number): number {
    const digits = this.src.slice(this.pos, this.pos + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) {
      this.fail(`\\${escape} needs ${n} hex digits`, at);
    }
    this.pos += n;
    return parseInt(digits, 16);
  }

  /** `\0o`, `\0oo`, `\0ooo` (Java keeps the low byte). */
  private octalDigits(at: number): number {
    const m = /^[0-7]{1,3}/.exec(this.src.slice(this.pos, this.pos + 3));
    if (m === null) {
      return this.fail('\\0 needs octal digits', at);
    }
    this.pos += m[0].length;
    return parseInt(m[0], 8) & 0xff;
  }

  private charClass(): Node {
    const at = this.pos - 1;
    const negated = this.src[this.pos] === '^';
    if (negated) {
      this.pos++;
    }
    if (this.src[this.pos] === ']') {
      // Java reads `[]a]` as a class with ']'; JavaScript as an empty class. Say which.
      return this.fail(`']' right after '[' must be escaped as \\]`, this.pos);
    }
    const ranges: number[] = [];
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) {
        return this.fail(`unclosed '['`, at);
      }
      if (c === ']') {
        this.pos++;
        return { t: 'set', ranges: normalize(ranges), negated };
      }
      if (c === '[' || (c === '&' && this.src[this.pos + 1] === '&')) {
        return this.fail('nested classes and class intersections are not supported', this.pos);
      }
      this.classMember(ranges);
    }
  }

  /** One member of a class (a character, a range `a-z` or a set escape such as `\d`), added to `ranges`. */
  private classMember(ranges: number[]): void {
    const lo = this.classAtom();
    if (lo.t === 'set') {
      ranges.push(...(lo.negated ? complement(lo.ranges) : lo.ranges));
      return;
    }
    if (lo.t !== 'char') {
      this.fail('unexpected class member', this.pos);
    }
    if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.src[this.pos + 1] !== undefined) {
      const dashAt = this.pos;
      this.pos++;
      const hi = this.classAtom();
      if (hi.t !== 'char') {
        this.fail('a range must end with a character', dashAt);
      }
      if (hi.code < lo.code) {
        this.fail('range out of order', dashAt);
      }
      ranges.push(lo.code, hi.code);
    } else {
      ranges.push(lo.code, lo.code);
    }
  }

  private classAtom(): Node {
    const c = this.src[this.pos++];
    if (c === '\\') {
      return this.escape(true);
    }
    return { t: 'char', code: (c ?? '').charCodeAt(0) };
  }
}

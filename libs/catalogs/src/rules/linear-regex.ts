/**
 * A linear-time regular-expression engine for rule-set expressions (image-serving.md §1.6 step 2).
 *
 * Why not `RegExp`: V8's engine backtracks, so a rule such as `(a+)+$` or `(a|a)*b` against a
 * hostile URL runs for minutes on the request thread. Measured on this machine (Node 22):
 * `/^cat\/(\w+\d*)+!$/` on `cat/` + `a1`×n + `a`×n + `?` took 8.6 s at 29 characters, 11 s at
 * 32 and 60 s at 35; this engine answers the same rule on a 3,000-character URL in milliseconds. A rule set is
 * catalog data, maintained by people who are not regex specialists, and the input is the URL of
 * anyone on the internet. Options considered:
 * - `re2` (native addon): not installed here, needs a compiler and install scripts (npm 11 holds
 *   install scripts back unless allowed), and adds a native build to every image.
 * - Refusing "dangerous" patterns (nested quantifiers, star height) at load: incomplete —
 *   `(a|aa)*b`, `(\w|\d)*x` and `a*a*a*a*a*b` (polynomial) pass such checks and still explode.
 * - V8's experimental linear engine (`/…/l`): behind a command-line flag, not for production.
 * Chosen: this engine, a Pike VM (Thompson NFA simulation with capture slots) over the subset
 * below. It runs every thread in lock step, one input character at a time, and never revisits a
 * (position, instruction) pair, so a search costs at most `input length × program size` steps
 * whatever the pattern. The count of steps is checked against a budget ({@link StepBudget}) on top.
 * Match priority is leftmost-first with greedy/lazy quantifiers, as in Java's `Matcher.find`, so
 * groups capture what Adobe's (Java) implementation captures for these patterns. Two corners
 * differ from JavaScript's `RegExp` and follow Java: a group inside a repetition keeps its last
 * value (`((a)|b)+` on `ab` gives group 2 = `a`), and a repeated sub-pattern that matches the
 * empty string ends the loop instead of being refused and backtracked (`(b*?){0,2}` on `b`
 * matches the empty string; RegExp matches `b`). Tests compare with RegExp outside these corners.
 *
 * Supported (Java syntax): literals; `.` (any character but `\n`/`\r`); classes `[a-z_]`, `[^…]`
 * with ranges and the escapes below; `\d \D \w \W \s \S`; `\t \n \r \f \e \0oo \xhh \uhhhh`;
 * any escaped non-alphanumeric character as itself; `\Q…\E` quoting; `^` and `$` (start/end of
 * the request string); `\b \B`; groups `( )` (capturing) and `(?: )`; alternation `|`;
 * quantifiers `* + ? {n} {n,} {n,m}` and their lazy forms `*? +? ?? {…}?`.
 * Refused at load with a message (they need backtracking or are not worth the risk):
 * back-references `\1`, look-around `(?= (?! (?<= (?<!`, atomic/possessive `(?> *+ ++`,
 * named groups, inline flags `(?i)`, class intersections `[a&&b]` and nested classes.
 * Bounds: pattern ≤ {@link MAX_PATTERN_LENGTH} characters, counted repetition ≤
 * {@link MAX_REPEAT}, compiled program ≤ {@link MAX_PROGRAM} instructions.
 */

/** Longest accepted expression, in characters. */
export const MAX_PATTERN_LENGTH = 2000;
/** Largest `{n,m}` bound. */
export const MAX_REPEAT = 1000;
/** Largest compiled program, in instructions (counted repetitions are unrolled). */
export const MAX_PROGRAM = 10_000;

/** A pattern outside the supported subset or over a bound; `index` is the offending position. */
export class RegexSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(`${message} at index ${index}`);
    this.name = 'RegexSyntaxError';
  }
}

/** Thrown when a search exceeds its {@link StepBudget}. */
export class StepBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`regular-expression step budget of ${limit} exhausted`);
    this.name = 'StepBudgetExceeded';
  }
}

/** Steps left for one request (shared by every rule of the request). */
export interface StepBudget {
  remaining: number;
  readonly limit: number;
}

/** One match: `groups[0]` is the whole match; an unmatched group is `undefined`. */
export interface RegexMatch {
  readonly start: number;
  readonly end: number;
  readonly groups: readonly (string | undefined)[];
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Sorted, merged inclusive code-unit ranges `[lo0, hi0, lo1, hi1, …]`. */
type Ranges = readonly number[];

type Node =
  | { readonly t: 'set'; readonly ranges: Ranges; readonly negated: boolean }
  | { readonly t: 'char'; readonly code: number }
  | { readonly t: 'any' }
  | { readonly t: 'seq'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly items: readonly Node[] }
  | { readonly t: 'group'; readonly index: number | null; readonly body: Node }
  | { readonly t: 'repeat'; readonly min: number; readonly max: number; readonly greedy: boolean; readonly body: Node }
  | { readonly t: 'assert'; readonly kind: AssertKind };

type AssertKind = 'start' | 'end' | 'word' | 'nonword';

const DIGIT: Ranges = [0x30, 0x39];
const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE: Ranges = [0x09, 0x0d, 0x20, 0x20];

function normalize(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    pairs.push([ranges[i] ?? 0, ranges[i + 1] ?? 0]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] ?? 0) + 1) {
      out[last] = Math.max(out[last] ?? 0, hi);
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

function complement(ranges: Ranges): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] ?? 0;
    if (lo > next) {
      out.push(next, lo - 1);
    }
    next = (ranges[i + 1] ?? 0) + 1;
  }
  if (next <= 0xffff) {
    out.push(next, 0xffff);
  }
  return out;
}

class Parser {
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
    const hex = (n: number): number => {
      const digits = this.src.slice(this.pos, this.pos + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) {
        this.fail(`\\${c} needs ${n} hex digits`, at);
      }
      this.pos += n;
      return parseInt(digits, 16);
    };
    switch (c) {
      case 'd':
        return { t: 'set', ranges: DIGIT, negated: false };
      case 'D':
        return { t: 'set', ranges: DIGIT, negated: true };
      case 'w':
        return { t: 'set', ranges: WORD, negated: false };
      case 'W':
        return { t: 'set', ranges: WORD, negated: true };
      case 's':
        return { t: 'set', ranges: SPACE, negated: false };
      case 'S':
        return { t: 'set', ranges: SPACE, negated: true };
      case 't':
        return { t: 'char', code: 9 };
      case 'n':
        return { t: 'char', code: 10 };
      case 'r':
        return { t: 'char', code: 13 };
      case 'f':
        return { t: 'char', code: 12 };
      case 'e':
        return { t: 'char', code: 27 };
      case 'x':
        return { t: 'char', code: hex(2) };
      case 'u':
        return { t: 'char', code: hex(4) };
      case '0': {
        const m = /^[0-7]{1,3}/.exec(this.src.slice(this.pos, this.pos + 3));
        if (m === null) {
          return this.fail('\\0 needs octal digits', at);
        }
        this.pos += m[0].length;
        return { t: 'char', code: parseInt(m[0], 8) & 0xff };
      }
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

  private charClass(): Node {
    const at = this.pos - 1;
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) {
        return this.fail(`unclosed '['`, at);
      }
      if (c === ']') {
        if (first) {
          // Java reads `[]a]` as a class with ']'; JavaScript as an empty class. Say which.
          return this.fail(`']' right after '[' must be escaped as \\]`, this.pos);
        }
        this.pos++;
        break;
      }
      if (c === '[' || (c === '&' && this.src[this.pos + 1] === '&')) {
        return this.fail('nested classes and class intersections are not supported', this.pos);
      }
      first = false;
      const lo = this.classAtom();
      if (lo.t === 'set') {
        ranges.push(...(lo.negated ? complement(lo.ranges) : lo.ranges));
        continue;
      }
      if (lo.t !== 'char') {
        return this.fail('unexpected class member', this.pos);
      }
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.src[this.pos + 1] !== undefined) {
        const dashAt = this.pos;
        this.pos++;
        const hi = this.classAtom();
        if (hi.t !== 'char') {
          return this.fail('a range must end with a character', dashAt);
        }
        if (hi.code < lo.code) {
          return this.fail('range out of order', dashAt);
        }
        ranges.push(lo.code, hi.code);
      } else {
        ranges.push(lo.code, lo.code);
      }
    }
    return { t: 'set', ranges: normalize(ranges), negated };
  }

  private classAtom(): Node {
    const c = this.src[this.pos++];
    if (c === '\\') {
      return this.escape(true);
    }
    return { t: 'char', code: (c ?? '').charCodeAt(0) };
  }
}

// ---------------------------------------------------------------------------------------------
// Compiling

const enum Op {
  Char,
  Any,
  Set,
  NotSet,
  Split,
  Jmp,
  Save,
  Assert,
  Match,
}

const ASSERT_CODES: Record<AssertKind, number> = { start: 0, end: 1, word: 2, nonword: 3 };

class Program {
  readonly op: Op[] = [];
  /** Char code, set index, jump target, slot or assertion code. */
  readonly x: number[] = [];
  /** Second (lower-priority) target of a Split. */
  readonly y: number[] = [];
  readonly sets: Ranges[] = [];

  emit(op: Op, x = 0, y = 0): number {
    if (this.op.length >= MAX_PROGRAM) {
      throw new RegexSyntaxError(`expression compiles to more than ${MAX_PROGRAM} instructions (large {n,m} repetitions?)`, 0);
    }
    this.op.push(op);
    this.x.push(x);
    this.y.push(y);
    return this.op.length - 1;
  }

  get length(): number {
    return this.op.length;
  }
}

function compile(node: Node, prog: Program): void {
  switch (node.t) {
    case 'char':
      prog.emit(Op.Char, node.code);
      return;
    case 'any':
      prog.emit(Op.Any);
      return;
    case 'set':
      prog.sets.push(node.ranges);
      prog.emit(node.negated ? Op.NotSet : Op.Set, prog.sets.length - 1);
      return;
    case 'assert':
      prog.emit(Op.Assert, ASSERT_CODES[node.kind]);
      return;
    case 'seq':
      for (const item of node.items) {
        compile(item, prog);
      }
      return;
    case 'group':
      if (node.index !== null) {
        prog.emit(Op.Save, node.index * 2);
      }
      compile(node.body, prog);
      if (node.index !== null) {
        prog.emit(Op.Save, node.index * 2 + 1);
      }
      return;
    case 'alt': {
      const jumps: number[] = [];
      node.items.forEach((item, i) => {
        if (i < node.items.length - 1) {
          const split = prog.emit(Op.Split);
          prog.x[split] = prog.length;
          compile(item, prog);
          jumps.push(prog.emit(Op.Jmp));
          prog.y[split] = prog.length;
        } else {
          compile(item, prog);
        }
      });
      for (const j of jumps) {
        prog.x[j] = prog.length;
      }
      return;
    }
    case 'repeat': {
      for (let i = 0; i < node.min; i++) {
        compile(node.body, prog);
      }
      if (node.max === Infinity) {
        const split = prog.emit(Op.Split);
        const body = prog.length;
        compile(node.body, prog);
        prog.emit(Op.Jmp, split);
        setSplit(prog, split, body, prog.length, node.greedy);
        return;
      }
      const splits: number[] = [];
      for (let i = node.min; i < node.max; i++) {
        const split = prog.emit(Op.Split);
        splits.push(split);
        prog.x[split] = prog.length;
        compile(node.body, prog);
      }
      for (const split of splits) {
        setSplit(prog, split, (prog.x[split] ?? 0), prog.length, node.greedy);
      }
      return;
    }
  }
}

function setSplit(prog: Program, split: number, body: number, exit: number, greedy: boolean): void {
  prog.x[split] = greedy ? body : exit;
  prog.y[split] = greedy ? exit : body;
}

/** Longest run of characters every match must contain (a cheap `indexOf` pre-filter). */
function requiredLiteral(node: Node): string {
  if (node.t === 'char') {
    return String.fromCharCode(node.code);
  }
  if (node.t === 'group') {
    return requiredLiteral(node.body);
  }
  if (node.t === 'repeat' && node.min >= 1) {
    return requiredLiteral(node.body);
  }
  if (node.t !== 'seq') {
    return '';
  }
  let best = '';
  let run = '';
  for (const item of node.items) {
    if (item.t === 'char') {
      run += String.fromCharCode(item.code);
      continue;
    }
    if (item.t === 'assert') {
      continue;
    }
    best = run.length > best.length ? run : best;
    run = '';
    const inner = requiredLiteral(item);
    best = inner.length > best.length ? inner : best;
  }
  return run.length > best.length ? run : best;
}

// ---------------------------------------------------------------------------------------------
// Matching

function inRanges(ranges: Ranges, code: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    if (code < (ranges[i] ?? 0)) {
      return false;
    }
    if (code <= (ranges[i + 1] ?? 0)) {
      return true;
    }
  }
  return false;
}

function isWordAt(input: string, i: number): boolean {
  if (i < 0 || i >= input.length) {
    return false;
  }
  return inRanges(WORD, input.charCodeAt(i));
}

interface ThreadList {
  pcs: number[];
  caps: Int32Array[];
}

/** A compiled expression; immutable and safe to share between requests. */
export class LinearRegex {
  /** Number of capturing groups. */
  readonly groupCount: number;
  /** Program size in instructions: the per-character cost bound of a search. */
  readonly size: number;
  private readonly prog: Program;
  private readonly anchoredStart: boolean;
  private readonly literal: string;

  /**
   * @throws RegexSyntaxError when `source` is outside the supported subset or over a bound.
   */
  constructor(readonly source: string) {
    if (source.length > MAX_PATTERN_LENGTH) {
      throw new RegexSyntaxError(`expression longer than ${MAX_PATTERN_LENGTH} characters`, MAX_PATTERN_LENGTH);
    }
    const parser = new Parser(source);
    const ast = parser.parse();
    this.groupCount = parser.groups;
    const prog = new Program();
    prog.emit(Op.Save, 0);
    compile(ast, prog);
    prog.emit(Op.Save, 1);
    prog.emit(Op.Match);
    this.prog = prog;
    this.size = prog.length;
    this.anchoredStart = startsAnchored(ast);
    this.literal = requiredLiteral(ast);
  }

  /**
   * Leftmost-first match at or after `from`, or `null`. Costs at most
   * `(input.length - from + 1) × size` steps, taken from `budget`.
   * @throws StepBudgetExceeded when the budget runs out.
   */
  exec(input: string, from: number, budget: StepBudget): RegexMatch | null {
    if (this.literal !== '' && input.indexOf(this.literal, from) < 0) {
      return null;
    }
    const prog = this.prog;
    const n = prog.length;
    const slots = (this.groupCount + 1) * 2;
    const marks = new Int32Array(n);
    let clist: ThreadList = { pcs: [], caps: [] };
    let nlist: ThreadList = { pcs: [], caps: [] };
    let matched: Int32Array | null = null;
    let generation = 0;

    const add = (list: ThreadList, pc: number, pos: number, caps: Int32Array): void => {
      if (marks[pc] === generation) {
        return;
      }
      marks[pc] = generation;
      if (--budget.remaining < 0) {
        throw new StepBudgetExceeded(budget.limit);
      }
      switch (prog.op[pc]) {
        case Op.Jmp:
          add(list, prog.x[pc] ?? 0, pos, caps);
          return;
        case Op.Split:
          add(list, prog.x[pc] ?? 0, pos, caps);
          add(list, prog.y[pc] ?? 0, pos, caps);
          return;
        case Op.Save: {
          const copy = caps.slice();
          copy[prog.x[pc] ?? 0] = pos;
          add(list, pc + 1, pos, copy);
          return;
        }
        case Op.Assert: {
          const kind = prog.x[pc];
          const ok =
            kind === 0
              ? pos === 0
              : kind === 1
                ? pos === input.length
                : (isWordAt(input, pos - 1) !== isWordAt(input, pos)) === (kind === 2);
          if (ok) {
            add(list, pc + 1, pos, caps);
          }
          return;
        }
        default:
          list.pcs.push(pc);
          list.caps.push(caps);
      }
    };

    const fresh = new Int32Array(slots).fill(-1);
    // `marks[pc] === generation` means pc is already in the list being built: every list gets
    // its own generation, and the start thread joins the current list under that list's one.
    let counter = 1;
    let clistGeneration = counter;
    for (let pos = from; pos <= input.length; pos++) {
      generation = clistGeneration;
      if (matched === null && (!this.anchoredStart || pos === 0)) {
        add(clist, 0, pos, fresh);
      }
      if (clist.pcs.length === 0) {
        if (matched !== null || this.anchoredStart) {
          break;
        }
        // Nothing alive: the next position's list starts under a fresh generation.
        clistGeneration = ++counter;
        continue;
      }
      generation = ++counter;
      const code = pos < input.length ? input.charCodeAt(pos) : -1;
      for (let i = 0; i < clist.pcs.length; i++) {
        const pc = clist.pcs[i] ?? 0;
        const caps = clist.caps[i] as Int32Array;
        if (--budget.remaining < 0) {
          throw new StepBudgetExceeded(budget.limit);
        }
        let ok: boolean;
        switch (prog.op[pc]) {
          case Op.Match:
            matched = caps;
            // Lower-priority threads lose to this match (leftmost-first).
            i = clist.pcs.length;
            continue;
          case Op.Char:
            ok = code === prog.x[pc];
            break;
          case Op.Any:
            ok = code >= 0 && code !== 10 && code !== 13;
            break;
          case Op.Set:
            ok = code >= 0 && inRanges(prog.sets[prog.x[pc] ?? 0] ?? [], code);
            break;
          case Op.NotSet:
            ok = code >= 0 && !inRanges(prog.sets[prog.x[pc] ?? 0] ?? [], code);
            break;
          default:
            ok = false;
        }
        if (ok) {
          add(nlist, pc + 1, pos + 1, caps);
        }
      }
      clistGeneration = generation;
      [clist, nlist] = [nlist, { pcs: [], caps: [] }];
    }
    if (matched === null) {
      return null;
    }
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= this.groupCount; g++) {
      const s = matched[g * 2] ?? -1;
      const e = matched[g * 2 + 1] ?? -1;
      groups.push(s < 0 || e < 0 ? undefined : input.slice(s, e));
    }
    return { start: matched[0] ?? 0, end: matched[1] ?? 0, groups };
  }
}

function startsAnchored(node: Node): boolean {
  if (node.t === 'assert') {
    return node.kind === 'start';
  }
  if (node.t === 'group') {
    return startsAnchored(node.body);
  }
  if (node.t === 'seq') {
    const first = node.items[0];
    return first !== undefined && startsAnchored(first);
  }
  if (node.t === 'alt') {
    return node.items.every(startsAnchored);
  }
  return false;
}

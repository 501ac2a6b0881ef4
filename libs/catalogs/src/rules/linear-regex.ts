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

import { MAX_PATTERN_LENGTH, MAX_PROGRAM, Parser, RegexSyntaxError, WORD, type AssertKind, type Node, type Ranges } from './regex-syntax';

export { MAX_PATTERN_LENGTH, MAX_PROGRAM, MAX_REPEAT, RegexSyntaxError } from './regex-syntax';

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

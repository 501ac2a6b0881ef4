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

import { PikeSearch, type Program, type StepBudget } from './pike-vm';
import { compileProgram, requiredLiteral, startsAnchored } from './regex-compiler';
import { Parser } from './regex-syntax';
import { MAX_PATTERN_LENGTH, RegexSyntaxError } from './regex-tree';

export { StepBudgetExceeded, type StepBudget } from './pike-vm';
export { MAX_PATTERN_LENGTH, MAX_PROGRAM, MAX_REPEAT, RegexSyntaxError } from './regex-tree';

/** One match: `groups[0]` is the whole match; an unmatched group is `undefined`. */
export interface RegexMatch {
  readonly start: number;
  readonly end: number;
  readonly groups: readonly (string | undefined)[];
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
    this.prog = compileProgram(ast);
    this.size = this.prog.length;
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
    const slots = (this.groupCount + 1) * 2;
    const matched = new PikeSearch(this.prog, input, budget, this.anchoredStart).run(from, slots);
    return matched === null ? null : this.matchOf(input, matched);
  }

  private matchOf(input: string, matched: Int32Array): RegexMatch {
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= this.groupCount; g++) {
      const s = matched[g * 2] ?? -1;
      const e = matched[g * 2 + 1] ?? -1;
      groups.push(s < 0 || e < 0 ? undefined : input.slice(s, e));
    }
    return { start: matched[0] ?? 0, end: matched[1] ?? 0, groups };
  }
}

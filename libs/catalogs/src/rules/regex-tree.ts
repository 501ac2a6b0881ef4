/**
 * What a rule-set expression parses into (`regex-syntax.ts`), and the bounds and error of that
 * syntax; `regex-compiler.ts` turns the tree into a program.
 */

import type { Ranges } from './regex-ranges';

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

export type Node =
  | { readonly t: 'set'; readonly ranges: Ranges; readonly negated: boolean }
  | { readonly t: 'char'; readonly code: number }
  | { readonly t: 'any' }
  | { readonly t: 'seq'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly items: readonly Node[] }
  | { readonly t: 'group'; readonly index: number | null; readonly body: Node }
  | { readonly t: 'repeat'; readonly min: number; readonly max: number; readonly greedy: boolean; readonly body: Node }
  | { readonly t: 'assert'; readonly kind: AssertKind };

export type AssertKind = 'start' | 'end' | 'word' | 'nonword';

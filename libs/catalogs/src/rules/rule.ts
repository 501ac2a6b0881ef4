import type { LinearRegex } from './linear-regex';

/** The request string a rule set works on, in characters (also after substitutions). */
export const MAX_RULE_INPUT = 8192;

/** Request types a rule can be limited to. */
export type RuleRequestType = 'is' | 'static';

export type OnMatch = 'break' | 'continue' | 'error';

/** Literal text or a group reference. */
export type SubstitutionPart = string | { readonly group: number };

/** One validated rule of a rule set (`rule-set.ts` describes the file). */
export interface Rule {
  /** `Name`, or `rule <n>` (1-based) when absent. */
  readonly name: string;
  readonly line: number;
  readonly expression: LinearRegex;
  /** Parsed substitution, or `null` (match only). */
  readonly substitution: readonly SubstitutionPart[] | null;
  readonly replaceAll: boolean;
  readonly onMatch: OnMatch;
  readonly requestTypes: ReadonlySet<RuleRequestType>;
  /** `Expiration` override in hours, or `null`. */
  readonly expiration: number | null;
}

/** What the rules did to one request string. */
export interface RuleOutcome {
  /** The request string after substitutions (the input when nothing changed). */
  readonly request: string;
  /** Names of the rules that matched, in order. */
  readonly matched: readonly string[];
  /** `Expiration` override of the last matching rule that has one, else `null`. */
  readonly expiration: number | null;
}

/** A rule-set file that cannot be used: names the file and line. */
export class RuleSetError extends Error {
  constructor(
    /** What is wrong, without the file and line. */
    readonly reason: string,
    readonly file: string,
    readonly line: number | null,
  ) {
    super(line === null ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'RuleSetError';
  }
}

import { ImageServingError } from '@openexp/errors';
import { LinearRegex, RegexSyntaxError, StepBudgetExceeded, type RegexMatch, type StepBudget } from './linear-regex';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml-subset';

/**
 * Rule sets (`attribute::RuleSetFile`, image-serving.md §1.6 step 2 and §4.1): pre-processing
 * rules a catalog applies to the request string before it is parsed.
 *
 * File format (names of elements and attributes are case-insensitive; unknown ones are refused,
 * so nothing is silently ignored):
 * ```xml
 * <?xml version="1.0" encoding="UTF-8"?>
 * <ruleset>
 *   <rule Name="vanity" OnMatch="break" RequestType="is" Replace="first">
 *     <expression>^shop/([a-z]+)\.jpg$</expression>
 *     <substitution>cat/$1?wid=400</substitution>
 *     <Expiration>24</Expiration>
 *   </rule>
 * </ruleset>
 * ```
 * - `expression` (required): matched (found, like Java's `Matcher.find`) against the request
 *   string: the path after `/is/image/` (or `/is/content/`) as sent, still %-encoded, plus
 *   `?query` when there is a query. Syntax and engine: {@link LinearRegex} (linear time).
 * - `substitution` (optional): replaces the matched text (`Replace="first"`, the default) or every
 *   match (`Replace="all"`); `$n` is group n, `\$` and `\\` are literal. Without it the request
 *   string is kept and the rule only sets `Expiration` or refuses.
 * - `OnMatch`: `break` (default: stop after this rule), `continue` (go on with the next rule on
 *   the substituted string), `error` (refuse the request: `IMG_RULE_REJECTED`, 403).
 * - `RequestType`: comma list of `is` (image requests, `/is/image`) and `static` (`/is/content`);
 *   default: both.
 * - `Expiration` (hours; `-1` never, `0` immediately): overrides `attribute::Expiration` for the
 *   request (not a record's own `Expiration`, §6). A later matching rule overrides an earlier one.
 *
 * Bounds (each refused at load, with the rule's line): ≤ {@link MAX_RULES} rules, file ≤
 * {@link MAX_RULE_SET_BYTES}. At run time the request string is limited to
 * {@link MAX_RULE_INPUT} characters (also after substitutions) and all rules of one request share
 * {@link DEFAULT_STEP_BUDGET} engine steps; going over either refuses the request
 * (`IMG_REQUEST_REFUSED`) instead of working on. Each rule runs at most once per request, so the
 * rule steps are bounded by the rule count.
 */

export const MAX_RULES = 1000;
export const MAX_RULE_SET_BYTES = 1024 * 1024;
export const MAX_RULE_INPUT = 8192;
/**
 * Engine steps per request for all rules together. One step is one (instruction, character)
 * visit; 50 rules of 40 instructions over a 200-character URL need at most 400,000, and a
 * typical one far fewer (literal pre-filter, anchored patterns). 2,000,000 steps take about
 * 20-70 ms in this engine (measured: 50 hostile rules, 4,000-character URLs, 5,000,000 steps in
 * about 170 ms), the worst a hostile URL can cost.
 */
export const DEFAULT_STEP_BUDGET = 2_000_000;

/** Request types a rule can be limited to. */
export type RuleRequestType = 'is' | 'static';

export type OnMatch = 'break' | 'continue' | 'error';

/** One validated rule. */
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

/** Literal text or a group reference. */
export type SubstitutionPart = string | { readonly group: number };

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

/** Remembered outcomes per rule set and request type at most; beyond that the memo starts over. */
const MAX_REMEMBERED = 4096;
/**
 * Longer request strings are evaluated every time: the memo holds at most 4,096 × 1,024
 * characters (8 MiB) per rule set, however long the URLs a client sends.
 */
const MAX_REMEMBERED_LENGTH = 1024;

/** A catalog's loaded rule set; immutable apart from its outcome memo. */
export class RuleSet {
  /** The set of a catalog without `RuleSetFile`. */
  static readonly EMPTY = new RuleSet(null, []);

  /** Remembered outcomes by request type, then request string. */
  private readonly memo: Record<RuleRequestType, Map<string, RuleOutcome | Refusal>> = { is: new Map(), static: new Map() };

  constructor(
    /** Absolute path of the file, or `null` for the empty set. */
    readonly file: string | null,
    readonly rules: readonly Rule[],
  ) {}

  get size(): number {
    return this.rules.length;
  }

  /**
   * Runs the rules in order on `request` (the request string, see the class doc). Outcomes are
   * a function of the string and the type only, so they are remembered for strings up to
   * 1,024 characters (repeated URLs skip the engine); refusals are remembered too and thrown
   * again as new errors.
   * @throws ImageServingError `IMG_RULE_REJECTED` (a rule with `OnMatch="error"` matched),
   * `IMG_REQUEST_REFUSED` (request string too long, or the step budget ran out).
   */
  apply(request: string, type: RuleRequestType, budget: number = DEFAULT_STEP_BUDGET): RuleOutcome {
    if (this.rules.length === 0) {
      return { request, matched: [], expiration: null };
    }
    const memo = type === 'static' ? this.memo.static : this.memo.is;
    let outcome = memo.get(request);
    if (outcome === undefined) {
      outcome = this.evaluate(request, type, { remaining: budget, limit: budget });
      if (request.length <= MAX_REMEMBERED_LENGTH) {
        if (memo.size >= MAX_REMEMBERED) {
          memo.clear();
        }
        memo.set(request, outcome);
      }
    }
    if ('code' in outcome) {
      throw new ImageServingError(outcome.code, outcome.detail);
    }
    return outcome;
  }

  private evaluate(input: string, type: RuleRequestType, budget: StepBudget): RuleOutcome | Refusal {
    let request = input;
    const matched: string[] = [];
    let expiration: number | null = null;
    try {
      for (const rule of this.rules) {
        if (!rule.requestTypes.has(type)) {
          continue;
        }
        if (request.length > MAX_RULE_INPUT) {
          return refusal('IMG_REQUEST_REFUSED', `request string longer than ${MAX_RULE_INPUT} characters for the catalog's rule set`);
        }
        const first = rule.expression.exec(request, 0, budget);
        if (first === null) {
          continue;
        }
        matched.push(rule.name);
        if (rule.onMatch === 'error') {
          return refusal('IMG_RULE_REJECTED', `refused by rule ${JSON.stringify(rule.name)}`);
        }
        if (rule.substitution !== null) {
          request = substitute(request, first, rule, budget);
        }
        if (rule.expiration !== null) {
          expiration = rule.expiration;
        }
        if (rule.onMatch === 'break') {
          break;
        }
      }
    } catch (err) {
      if (err instanceof StepBudgetExceeded) {
        return refusal('IMG_REQUEST_REFUSED', `the catalog's rule set needed more than ${err.limit} steps for this request`);
      }
      throw err;
    }
    if (request.length > MAX_RULE_INPUT) {
      return refusal('IMG_REQUEST_REFUSED', `request string longer than ${MAX_RULE_INPUT} characters after the rule set`);
    }
    return Object.freeze({ request, matched: Object.freeze(matched), expiration });
  }
}

/** A remembered refusal: a new error is thrown for every request. */
interface Refusal {
  readonly code: 'IMG_REQUEST_REFUSED' | 'IMG_RULE_REJECTED';
  readonly detail: string;
}

function refusal(code: Refusal['code'], detail: string): Refusal {
  return Object.freeze({ code, detail });
}

function expand(parts: readonly SubstitutionPart[], m: RegexMatch): string {
  let out = '';
  for (const p of parts) {
    out += typeof p === 'string' ? p : (m.groups[p.group] ?? '');
  }
  return out;
}

function substitute(input: string, first: RegexMatch, rule: Rule, budget: StepBudget): string {
  const parts = rule.substitution ?? [];
  let out = input.slice(0, first.start) + expand(parts, first);
  let last = first.end;
  let m: RegexMatch | null = first;
  while (rule.replaceAll && m !== null) {
    // After an empty match, the next search starts one character further (as Java's replaceAll).
    const from = m.end === m.start ? m.end + 1 : m.end;
    if (from > input.length) {
      break;
    }
    m = rule.expression.exec(input, from, budget);
    if (m !== null) {
      out += input.slice(last, m.start) + expand(parts, m);
      last = m.end;
    }
    if (out.length > MAX_RULE_INPUT * 2) {
      break;
    }
  }
  return out + input.slice(last);
}

// ---------------------------------------------------------------------------------------------
// Loading

const RULE_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'onmatch', 'requesttype', 'replace']);
const RULE_ELEMENTS: ReadonlySet<string> = new Set(['expression', 'substitution', 'expiration']);

/**
 * Parses and validates a rule-set file. Every problem is a {@link RuleSetError} with the file
 * and line; nothing is half-loaded.
 */
export function parseRuleSet(text: string, file: string): RuleSet {
  if (text.length > MAX_RULE_SET_BYTES) {
    throw new RuleSetError(`rule set larger than ${MAX_RULE_SET_BYTES} bytes`, file, null);
  }
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    if (err instanceof XmlSyntaxError) {
      throw new RuleSetError(`not well-formed XML: ${err.message.replace(/^line \d+: /, '')}`, file, err.line);
    }
    throw err;
  }
  if (root.name.toLowerCase() !== 'ruleset') {
    throw new RuleSetError(`the root element must be <ruleset>, not <${root.name}>`, file, root.line);
  }
  if (root.attributes.size > 0) {
    throw new RuleSetError(`<ruleset> takes no attributes (found ${[...root.attributes.keys()].join(', ')})`, file, root.line);
  }
  const rules: Rule[] = [];
  for (const child of root.children) {
    if (!('name' in child)) {
      if (child.text.trim() !== '') {
        throw new RuleSetError('text outside <rule> elements', file, child.line);
      }
      continue;
    }
    if (child.name.toLowerCase() !== 'rule') {
      throw new RuleSetError(`unknown element <${child.name}> in <ruleset> (only <rule>)`, file, child.line);
    }
    if (rules.length >= MAX_RULES) {
      throw new RuleSetError(`more than ${MAX_RULES} rules`, file, child.line);
    }
    rules.push(parseRule(child, rules.length + 1, file));
  }
  return new RuleSet(file, Object.freeze(rules));
}

function parseRule(el: XmlElement, index: number, file: string): Rule {
  const fail = (message: string, line = el.line): never => {
    throw new RuleSetError(message, file, line);
  };
  const attrs = new Map<string, string>();
  for (const [name, value] of el.attributes) {
    const key = name.toLowerCase();
    if (!RULE_ATTRIBUTES.has(key)) {
      fail(`unknown attribute ${name} on <rule> (supported: Name, OnMatch, RequestType, Replace)`);
    }
    if (attrs.has(key)) {
      fail(`attribute ${name} appears twice`);
    }
    attrs.set(key, value.trim());
  }
  const name = attrs.get('name') || `rule ${index}`;
  const onMatchRaw = (attrs.get('onmatch') ?? 'break').toLowerCase();
  if (onMatchRaw !== 'break' && onMatchRaw !== 'continue' && onMatchRaw !== 'error') {
    fail(`OnMatch must be break, continue or error (found ${JSON.stringify(onMatchRaw)})`);
  }
  const onMatch = onMatchRaw as OnMatch;
  const replaceRaw = (attrs.get('replace') ?? 'first').toLowerCase();
  if (replaceRaw !== 'first' && replaceRaw !== 'all') {
    fail(`Replace must be first or all (found ${JSON.stringify(replaceRaw)})`);
  }
  const requestTypes = new Set<RuleRequestType>();
  for (const t of (attrs.get('requesttype') ?? 'is,static').split(',')) {
    const type = t.trim().toLowerCase();
    if (type !== 'is' && type !== 'static') {
      fail(`RequestType must be a list of is and static (found ${JSON.stringify(t.trim())})`);
    }
    requestTypes.add(type as RuleRequestType);
  }

  const texts = new Map<string, { text: string; line: number }>();
  for (const child of el.children) {
    if (!('name' in child)) {
      if (child.text.trim() !== '') {
        fail('text directly inside <rule> (put it in <expression> or <substitution>)', child.line);
      }
      continue;
    }
    const key = child.name.toLowerCase();
    if (!RULE_ELEMENTS.has(key)) {
      fail(`unsupported element <${child.name}> in <rule> (supported: expression, substitution, Expiration)`, child.line);
    }
    if (texts.has(key)) {
      fail(`<${child.name}> appears twice in one rule`, child.line);
    }
    if (child.attributes.size > 0) {
      fail(`<${child.name}> takes no attributes`, child.line);
    }
    let text = '';
    for (const c of child.children) {
      if ('name' in c) {
        return fail(`<${c.name}> inside <${child.name}>`, c.line);
      }
      text += c.text;
    }
    texts.set(key, { text, line: child.line });
  }

  const expressionText = texts.get('expression');
  if (expressionText === undefined || expressionText.text === '') {
    return fail('a rule needs a non-empty <expression>');
  }
  let expression: LinearRegex;
  try {
    expression = new LinearRegex(expressionText.text);
  } catch (err) {
    if (err instanceof RegexSyntaxError) {
      return fail(`<expression> ${JSON.stringify(expressionText.text.slice(0, 200))}: ${err.message}`, expressionText.line);
    }
    throw err;
  }
  const substitutionText = texts.get('substitution');
  const substitution = substitutionText === undefined ? null : parseSubstitution(substitutionText.text, expression.groupCount, (m) => fail(m, substitutionText.line));

  let expiration: number | null = null;
  const expirationText = texts.get('expiration');
  if (expirationText !== undefined) {
    const v = expirationText.text.trim();
    const n = Number(v);
    if (v === '' || !Number.isFinite(n) || (n < 0 && n !== -1)) {
      fail(`<Expiration> must be hours ≥ 0 or -1 (found ${JSON.stringify(v)})`, expirationText.line);
    }
    expiration = n;
  }
  if (substitution === null && expiration === null && onMatch !== 'error') {
    fail('a rule without <substitution>, <Expiration> or OnMatch="error" does nothing');
  }
  return Object.freeze({ name, line: el.line, expression, substitution, replaceAll: replaceRaw === 'all', onMatch, requestTypes, expiration });
}

/** Java's replacement syntax: `$n` (as many digits as name an existing group), `\x` literal. */
function parseSubstitution(text: string, groups: number, fail: (message: string) => never): SubstitutionPart[] {
  const parts: SubstitutionPart[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      if (i + 1 >= text.length) {
        fail('<substitution> ends with a lone backslash');
      }
      literal += text[++i];
      continue;
    }
    if (c !== '$') {
      literal += c;
      continue;
    }
    const first = text[i + 1];
    if (first === undefined || !/[0-9]/.test(first)) {
      fail(`'$' in <substitution> must be followed by a group number (write \\$ for a dollar sign)`);
    }
    let group = Number(first);
    i++;
    while (i + 1 < text.length && /[0-9]/.test(text[i + 1] ?? '') && group * 10 + Number(text[i + 1]) <= groups) {
      group = group * 10 + Number(text[++i]);
    }
    if (group > groups) {
      fail(`<substitution> refers to group ${group}, but the expression has ${groups}`);
    }
    if (literal !== '') {
      parts.push(literal);
      literal = '';
    }
    parts.push({ group });
  }
  if (literal !== '') {
    parts.push(literal);
  }
  return parts;
}

/** Decodes a rule-set file: UTF-8 (BOM optional) unless the XML declaration names ISO-8859-1. */
export function decodeRuleSetText(bytes: Buffer, file: string): string {
  const head = bytes.subarray(0, 200).toString('latin1');
  const declared = /^(?:\uFEFF)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared === 'iso-8859-1' || declared === 'latin1' || declared === 'latin-1') {
    return bytes.toString('latin1');
  }
  if (declared !== undefined && declared !== 'utf-8' && declared !== 'utf8' && declared !== 'us-ascii') {
    throw new RuleSetError(`unsupported encoding ${declared} (UTF-8 or ISO-8859-1)`, file, 1);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new RuleSetError('not valid UTF-8', file, null);
  }
}

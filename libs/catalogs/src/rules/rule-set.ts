import { ImageServingError } from '@openexp/errors';
import { StepBudgetExceeded, type StepBudget } from './linear-regex';
import { MAX_RULE_INPUT, RuleSetError, type Rule, type RuleOutcome, type RuleRequestType } from './rule';
import { parseRule } from './rule-element';
import { substitute } from './rule-substitution';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml-subset';

export { MAX_RULE_INPUT, RuleSetError, type OnMatch, type Rule, type RuleOutcome, type RuleRequestType, type SubstitutionPart } from './rule';

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
 *   `?query` when there is a query. Syntax and engine: `LinearRegex` (linear time).
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
/**
 * Engine steps per request for all rules together. One step is one (instruction, character)
 * visit; 50 rules of 40 instructions over a 200-character URL need at most 400,000, and a
 * typical one far fewer (literal pre-filter, anchored patterns). 2,000,000 steps take about
 * 20-70 ms in this engine (measured: 50 hostile rules, 4,000-character URLs, 5,000,000 steps in
 * about 170 ms), the worst a hostile URL can cost.
 */
export const DEFAULT_STEP_BUDGET = 2_000_000;

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
    let outcome: RuleOutcome | Refusal;
    try {
      outcome = this.runRules(input, type, budget);
    } catch (err) {
      if (err instanceof StepBudgetExceeded) {
        return refusal('IMG_REQUEST_REFUSED', `the catalog's rule set needed more than ${err.limit} steps for this request`);
      }
      throw err;
    }
    if (!('code' in outcome) && outcome.request.length > MAX_RULE_INPUT) {
      return refusal('IMG_REQUEST_REFUSED', `request string longer than ${MAX_RULE_INPUT} characters after the rule set`);
    }
    return outcome;
  }

  /** The rules of `type` in order, until one breaks or refuses. */
  private runRules(input: string, type: RuleRequestType, budget: StepBudget): RuleOutcome | Refusal {
    let request = input;
    const matched: string[] = [];
    let expiration: number | null = null;
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
      request = rule.substitution === null ? request : substitute(request, first, rule, budget);
      expiration = rule.expiration ?? expiration;
      if (rule.onMatch === 'break') {
        break;
      }
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

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Parses and validates a rule-set file. Every problem is a {@link RuleSetError} with the file
 * and line; nothing is half-loaded.
 */
export function parseRuleSet(text: string, file: string): RuleSet {
  if (text.length > MAX_RULE_SET_BYTES) {
    throw new RuleSetError(`rule set larger than ${MAX_RULE_SET_BYTES} bytes`, file, null);
  }
  const root = ruleSetElement(text, file);
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

/** The file's root element: well-formed XML, `<ruleset>` without attributes. */
function ruleSetElement(text: string, file: string): XmlElement {
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
  return root;
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

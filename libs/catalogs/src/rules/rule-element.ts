import { LinearRegex, RegexSyntaxError } from './linear-regex';
import { RuleSetError, type Rule, type RuleRequestType } from './rule';
import { parseSubstitution } from './rule-substitution';
import type { XmlElement } from './xml-subset';

/** Reading one `<rule>` element of a rule-set file (`rule-set.ts` describes the format). */

const RULE_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'onmatch', 'requesttype', 'replace']);
const RULE_ELEMENTS: ReadonlySet<string> = new Set(['expression', 'substitution', 'expiration']);

/** Throws the rule's {@link RuleSetError} at `line`. */
type Fail = (message: string, line?: number) => never;

/** What a rule's attributes set besides its name. */
type RuleSettings = Pick<Rule, 'replaceAll' | 'onMatch' | 'requestTypes'>;

/** Text and line of a rule's child element (`expression`, `substitution`, `expiration`). */
interface ElementText {
  text: string;
  line: number;
}

/** Validates a `<rule>`; its `index` (1-based) names it when it has no `Name`. */
export function parseRule(el: XmlElement, index: number, file: string): Rule {
  const fail: Fail = (message, line = el.line) => {
    throw new RuleSetError(message, file, line);
  };
  const attrs = ruleAttributes(el, fail);
  const texts = ruleElementTexts(el, fail);
  const expression = ruleExpression(texts.get('expression'), fail);
  const substitutionText = texts.get('substitution');
  const substitution =
    substitutionText === undefined ? null : parseSubstitution(substitutionText.text, expression.groupCount, (m) => fail(m, substitutionText.line));
  const expiration = ruleExpiration(texts.get('expiration'), fail);
  if (substitution === null && expiration === null && attrs.settings.onMatch !== 'error') {
    fail('a rule without <substitution>, <Expiration> or OnMatch="error" does nothing');
  }
  return Object.freeze({ name: attrs.name ?? `rule ${index}`, line: el.line, expression, substitution, ...attrs.settings, expiration });
}

/** `Name`, `OnMatch`, `Replace` and `RequestType` (names case-insensitive, each at most once). */
function ruleAttributes(el: XmlElement, fail: Fail): { name: string | null; settings: RuleSettings } {
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
  const onMatch = (attrs.get('onmatch') ?? 'break').toLowerCase();
  if (onMatch !== 'break' && onMatch !== 'continue' && onMatch !== 'error') {
    return fail(`OnMatch must be break, continue or error (found ${JSON.stringify(onMatch)})`);
  }
  const replace = (attrs.get('replace') ?? 'first').toLowerCase();
  if (replace !== 'first' && replace !== 'all') {
    fail(`Replace must be first or all (found ${JSON.stringify(replace)})`);
  }
  const requestTypes = ruleRequestTypes(attrs.get('requesttype') ?? 'is,static', fail);
  return { name: attrs.get('name') || null, settings: { replaceAll: replace === 'all', onMatch, requestTypes } };
}

function ruleRequestTypes(list: string, fail: Fail): Set<RuleRequestType> {
  const requestTypes = new Set<RuleRequestType>();
  for (const t of list.split(',')) {
    const type = t.trim().toLowerCase();
    if (type !== 'is' && type !== 'static') {
      return fail(`RequestType must be a list of is and static (found ${JSON.stringify(t.trim())})`);
    }
    requestTypes.add(type);
  }
  return requestTypes;
}

/** The rule's child elements by lower-case name: each known, at most once, text only. */
function ruleElementTexts(el: XmlElement, fail: Fail): Map<string, ElementText> {
  const texts = new Map<string, ElementText>();
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
    texts.set(key, { text: textOf(child, fail), line: child.line });
  }
  return texts;
}

function textOf(element: XmlElement, fail: Fail): string {
  let text = '';
  for (const c of element.children) {
    if ('name' in c) {
      return fail(`<${c.name}> inside <${element.name}>`, c.line);
    }
    text += c.text;
  }
  return text;
}

function ruleExpression(source: ElementText | undefined, fail: Fail): LinearRegex {
  if (source === undefined || source.text === '') {
    return fail('a rule needs a non-empty <expression>');
  }
  try {
    return new LinearRegex(source.text);
  } catch (err) {
    if (err instanceof RegexSyntaxError) {
      return fail(`<expression> ${JSON.stringify(source.text.slice(0, 200))}: ${err.message}`, source.line);
    }
    throw err;
  }
}

/** `<Expiration>`: hours ≥ 0, or -1; `null` without the element. */
function ruleExpiration(source: ElementText | undefined, fail: Fail): number | null {
  if (source === undefined) {
    return null;
  }
  const v = source.text.trim();
  const n = Number(v);
  if (v === '' || !Number.isFinite(n) || (n < 0 && n !== -1)) {
    fail(`<Expiration> must be hours ≥ 0 or -1 (found ${JSON.stringify(v)})`, source.line);
  }
  return n;
}

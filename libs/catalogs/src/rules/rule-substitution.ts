import type { RegexMatch, StepBudget } from './linear-regex';
import { MAX_RULE_INPUT, type Rule, type SubstitutionPart } from './rule';

/** Java's replacement syntax: `$n` (as many digits as name an existing group), `\x` literal. */
export function parseSubstitution(text: string, groups: number, fail: (message: string) => never): SubstitutionPart[] {
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
    const reference = groupReference(text, i + 1, groups, fail);
    i = reference.end - 1;
    if (literal !== '') {
      parts.push(literal);
      literal = '';
    }
    parts.push({ group: reference.group });
  }
  if (literal !== '') {
    parts.push(literal);
  }
  return parts;
}

/** The group number after a `$` at `at`: its longest run of digits that names an existing group. */
function groupReference(text: string, at: number, groups: number, fail: (message: string) => never): { group: number; end: number } {
  const first = text[at];
  if (first === undefined || !/[0-9]/.test(first)) {
    fail(`'$' in <substitution> must be followed by a group number (write \\$ for a dollar sign)`);
  }
  let group = Number(first);
  let end = at + 1;
  while (end < text.length && /[0-9]/.test(text[end] ?? '') && group * 10 + Number(text[end]) <= groups) {
    group = group * 10 + Number(text[end++]);
  }
  if (group > groups) {
    fail(`<substitution> refers to group ${group}, but the expression has ${groups}`);
  }
  return { group, end };
}

function expand(parts: readonly SubstitutionPart[], m: RegexMatch): string {
  let out = '';
  for (const p of parts) {
    out += typeof p === 'string' ? p : (m.groups[p.group] ?? '');
  }
  return out;
}

/** `input` with the rule's substitution in place of `first` (and, `Replace="all"`, of every later match). */
export function substitute(input: string, first: RegexMatch, rule: Rule, budget: StepBudget): string {
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

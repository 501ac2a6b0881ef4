import { SYMBOL_NAME } from './modifier-tokens';

/**
 * Replaces `$name$` references in a command value with variable values (§1.4): names are
 * case-insensitive (`vars` keys are lower-case); references to undefined names stay literal
 * (`src=my$image$file.tif` is legal); one pass only, so a substituted value is never scanned again.
 * `encode` rewrites each substituted value: a nested request `is{…}` is kept %-encoded for its own
 * parser, so a value is %-encoded there (`$t=a%26b` gives `is{?text=a%26b}`, not a split at `&`).
 */
export function substituteVariables(value: string, vars: ReadonlyMap<string, string>, encode: (v: string) => string = (v) => v): string {
  if (!value.includes('$') || vars.size === 0) {
    return value;
  }
  let out = '';
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf('$', i);
    if (open < 0) {
      break;
    }
    const close = value.indexOf('$', open + 1);
    if (close < 0) {
      break;
    }
    const name = value.slice(open + 1, close);
    const replacement = SYMBOL_NAME.test(name) ? vars.get(name.toLowerCase()) : undefined;
    if (replacement === undefined) {
      out += value.slice(i, open + 1);
      i = open + 1;
      continue;
    }
    out += value.slice(i, open) + encode(replacement);
    i = close + 1;
  }
  return out + value.slice(i);
}

import { percentDecode } from './percent-decoding';
import { usageError } from './request-errors';

/** Where a command came from: record `Modifier` < URL < record `PostModifier` (§1.6 step 6). */
export type CommandSource = 'modifier' | 'url' | 'postModifier';

/** A command (`name=value`) before merging. */
export interface CommandToken {
  readonly kind: 'command';
  /** Name as written. */
  readonly name: string;
  /** Decoded value (raw for nested `is(...)`/`ir(...)`/`fxg(...)` requests); `''` when there was no `=`. */
  readonly value: string;
  /** True when the value is a nested request, kept undecoded for its own parser (§1.2 item 4). */
  readonly nested: boolean;
  readonly source: CommandSource;
  /** The macro this command came from, if any (lower-case name of the outermost macro). */
  readonly macro: string | null;
}

/** A variable definition `$name=value` (§1.4). */
export interface VariableToken {
  readonly kind: 'variable';
  /** Name as written (without `$`). */
  readonly name: string;
  readonly value: string;
  readonly source: CommandSource;
}

/** A macro call `$name$` standing alone between `&`s (§1.4). */
export interface MacroToken {
  readonly kind: 'macro';
  readonly name: string;
  readonly source: CommandSource;
}

export type ModifierToken = CommandToken | VariableToken | MacroToken;

/** Names of macros and variables: letters, digits, `-`, `_`, `.` (§1.4). */
export const SYMBOL_NAME = /^[A-Za-z0-9_.-]+$/;
/** A value that is a nested request, kept undecoded (§1.2 item 4). */
export const NESTED_VALUE = /^(is|ir|fxg)[({]/;

/**
 * Splits a modifiers string at the top-level `&`s (§1.2). A `(` or `{` at the start of a value,
 * or right after a nested-request prefix `is`/`ir`/`fxg`, opens a group in which every bracket is
 * counted and `&` does not split, so `src=is(cat/x?wid=1&hei=2)&wid=3` is two modifiers.
 * Empty pieces (`&&`, trailing `&`) are dropped. An unclosed group is a usage error.
 */
export function splitModifiers(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let depth = 0;
  let valueStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (depth > 0) {
      if (c === '(' || c === '{') {
        depth++;
      } else if (c === ')' || c === '}') {
        depth--;
      }
      continue;
    }
    if (c === '&') {
      if (i > start) {
        out.push(text.slice(start, i));
      }
      start = i + 1;
      valueStart = -1;
    } else if (c === '=' && valueStart < 0) {
      valueStart = i + 1;
    } else if ((c === '(' || c === '{') && valueStart >= 0 && /^(|is|ir|fxg)$/.test(text.slice(valueStart, i))) {
      depth = 1;
    }
  }
  if (depth > 0) {
    throw usageError(`unbalanced brackets in ${JSON.stringify(text.slice(start))}`, { value: text.slice(start) });
  }
  if (start < text.length) {
    out.push(text.slice(start));
  }
  return out;
}

/**
 * Tokenizes a modifiers string (§1.1, §1.4): splits it (see {@link splitModifiers}), drops
 * `.comments`, and classifies `$name$` (macro call), `$name=value` (variable definition) and
 * `name=value` (command, split at the first `=`). Values are %-decoded; `strict` for request text
 * (invalid escapes are usage errors), `lenient` for catalog data (see `percentDecode`).
 */
export function tokenizeModifiers(text: string, mode: 'strict' | 'lenient', source: CommandSource): ModifierToken[] {
  const tokens: ModifierToken[] = [];
  for (const piece of splitModifiers(text)) {
    if (piece.startsWith('.')) {
      continue;
    }
    const eq = piece.indexOf('=');
    if (piece.startsWith('$')) {
      if (eq < 0 && piece.length > 2 && piece.endsWith('$')) {
        const name = piece.slice(1, -1);
        if (!SYMBOL_NAME.test(name)) {
          throw usageError(`invalid macro name in ${JSON.stringify(piece)}`, { command: piece });
        }
        tokens.push({ kind: 'macro', name, source });
        continue;
      }
      const name = eq < 0 ? piece.slice(1) : piece.slice(1, eq);
      if (!SYMBOL_NAME.test(name)) {
        throw usageError(`invalid variable name in ${JSON.stringify(piece)}`, { command: piece });
      }
      tokens.push({ kind: 'variable', name, value: eq < 0 ? '' : decodeValue(piece.slice(eq + 1), mode, piece.slice(0, eq)), source });
      continue;
    }
    const name = eq < 0 ? piece : piece.slice(0, eq);
    if (name === '') {
      throw usageError(`command without a name: ${JSON.stringify(piece)}`, { value: piece });
    }
    const raw = eq < 0 ? '' : piece.slice(eq + 1);
    const nested = NESTED_VALUE.test(raw);
    tokens.push({ kind: 'command', name, value: nested ? raw : decodeValue(raw, mode, name), nested, source, macro: null });
  }
  return tokens;
}

function decodeValue(raw: string, mode: 'strict' | 'lenient', command: string): string {
  const v = percentDecode(raw, mode);
  if (v === null) {
    throw usageError(`invalid %-escape in the value of ${command}`, { command, value: raw });
  }
  return v;
}

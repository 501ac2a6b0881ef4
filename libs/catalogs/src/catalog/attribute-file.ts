/** One `Name=value` line of an attribute (`.ini`) file. */
export interface AttributeEntry {
  /** The name as written (attribute names are case-insensitive; the map key is lower-case). */
  readonly name: string;
  /** The value, trimmed; continuation lines joined. Empty when written as `Name=`. */
  readonly value: string;
  /** 1-based line where the entry starts. */
  readonly line: number;
}

/** A parsed attribute file: entries keyed by lower-case name, last duplicate wins. */
export interface AttributeFile {
  readonly file: string;
  readonly entries: ReadonlyMap<string, AttributeEntry>;
  /** Lines that were skipped, with the reason. */
  readonly warnings: readonly string[];
}

const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Parses an attribute file (§4.1): lines separated by CR, LF or CRLF; `#` in column 1 starts a
 * comment; `Name=value` with optional whitespace around the tokens; a line ending in a single `\`
 * continues on the next line (leading whitespace of the continuation is dropped, as Java
 * properties do); names are case-insensitive (letters, digits, `-`, `_`, `.`); a duplicate name
 * replaces the earlier one. Lines without `=` or with an invalid name are skipped with a warning.
 */
export function parseAttributeFile(text: string, file: string): AttributeFile {
  const lines = text.split(/\r\n|\r|\n/);
  const entries = new Map<string, AttributeEntry>();
  const warnings: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = lines[i] ?? '';
    if (logical.startsWith('#')) {
      continue;
    }
    while (endsWithContinuation(logical) && i + 1 < lines.length) {
      i++;
      logical = logical.slice(0, -1) + (lines[i] ?? '').replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(logical)) {
      logical = logical.slice(0, -1);
    }
    if (logical.trim() === '') {
      continue;
    }
    const eq = logical.indexOf('=');
    if (eq < 0) {
      warnings.push(`${file}:${startLine}: no '=' in ${JSON.stringify(logical.trim())}; line ignored`);
      continue;
    }
    const name = logical.slice(0, eq).trim();
    if (!NAME.test(name)) {
      warnings.push(`${file}:${startLine}: invalid attribute name ${JSON.stringify(name)}; line ignored`);
      continue;
    }
    entries.set(name.toLowerCase(), { name, value: logical.slice(eq + 1).trim(), line: startLine });
  }
  return { file, entries, warnings };
}

/** A single trailing backslash continues the line; an escaped one (`\\`) does not. */
function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) {
    n++;
  }
  return n % 2 === 1;
}

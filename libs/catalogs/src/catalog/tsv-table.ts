import { CatalogLoadError } from './catalog-load-error';

/** One cell of a data file. */
export interface TsvCell {
  readonly value: string;
  /** True when the field was double-quoted (then it may contain TAB/CR/LF; `??` stays literal in property data, §2.3). */
  readonly quoted: boolean;
}

/** One data row with the line it starts on. */
export interface TsvRow {
  readonly line: number;
  readonly cells: readonly TsvCell[];
}

/** A parsed data file: the header and the data rows (blank lines skipped). */
export interface TsvTable {
  readonly file: string;
  /** Header names as written. */
  readonly header: readonly string[];
  readonly rows: readonly TsvRow[];
}

/**
 * Parses a tab-separated catalog data file (§4.1): first row is the header; rows end at CR, LF or
 * CRLF; two adjacent TABs make an empty field; leading and trailing spaces are data; a field that
 * starts with `"` is quoted and may contain TAB, CR and LF, with `""` standing for one quote (text
 * between the closing quote and the next TAB is kept literally). No HTTP decoding is applied.
 * Header names must be non-empty, without spaces, and unique (case-insensitive) except for ignored
 * `.` columns. Throws {@link CatalogLoadError} for an unterminated quote or a bad header.
 */
export function parseTsv(text: string, file: string): TsvTable {
  const rows: TsvRow[] = [];
  let cells: TsvCell[] = [];
  let rowLine = 1;
  let line = 1;
  let i = 0;
  let atRowStart = true;
  const n = text.length;

  const endRow = (): void => {
    const blank = cells.length === 1 && cells[0]?.value === '' && !cells[0].quoted;
    if (!blank) {
      rows.push({ line: rowLine, cells });
    }
    cells = [];
  };

  while (i <= n) {
    if (atRowStart) {
      rowLine = line;
      atRowStart = false;
    }
    // One field starts at i.
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      const openLine = line;
      i++;
      for (;;) {
        if (i >= n) {
          throw new CatalogLoadError('unterminated quoted field', { file, line: openLine });
        }
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
          line++;
        }
        value += c;
        i++;
      }
    }
    // Unquoted text (or literal text after a closing quote) up to TAB or end of line.
    const start = i;
    while (i < n && text[i] !== '\t' && text[i] !== '\n' && text[i] !== '\r') {
      i++;
    }
    value += text.slice(start, i);
    cells.push({ value, quoted });
    if (i >= n) {
      endRow();
      break;
    }
    const sep = text[i];
    if (sep === '\t') {
      i++;
      if (i === n) {
        cells.push({ value: '', quoted: false });
        endRow();
        break;
      }
      continue;
    }
    // CR, LF or CRLF ends the row.
    i += sep === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    endRow();
    atRowStart = true;
    if (i === n) {
      break;
    }
  }

  const headerRow = rows.shift();
  if (headerRow === undefined) {
    throw new CatalogLoadError('empty data file: the first row must be a header', { file });
  }
  const header = headerRow.cells.map((c) => c.value);
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '' || /\s/.test(name)) {
      throw new CatalogLoadError(`invalid header field name ${JSON.stringify(name)} (empty or with spaces)`, { file, line: headerRow.line });
    }
    const key = name.toLowerCase();
    if (!key.startsWith('.') && seen.has(key)) {
      throw new CatalogLoadError(`duplicate header field ${JSON.stringify(name)}`, { file, line: headerRow.line });
    }
    seen.add(key);
  }
  return { file, header, rows };
}

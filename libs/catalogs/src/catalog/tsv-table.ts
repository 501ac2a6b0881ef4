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
  const rows = tsvRows(text, file);
  const headerRow = rows.next();
  const table = tableWithHeader(headerRow.done === true ? undefined : headerRow.value, file);
  for (const row of rows) {
    table.rows.push(row);
  }
  return table;
}

/**
 * Like {@link parseTsv}, but hands control back to the event loop every `chunk` rows, so a
 * catalog with hundreds of thousands of records can be reloaded while the server keeps answering.
 */
export async function parseTsvCooperatively(text: string, file: string, chunk = DEFAULT_CHUNK): Promise<TsvTable> {
  const rows = tsvRows(text, file);
  const headerRow = rows.next();
  const table = tableWithHeader(headerRow.done === true ? undefined : headerRow.value, file);
  for (const row of rows) {
    table.rows.push(row);
    if (table.rows.length % chunk === 0) {
      await yieldToEventLoop();
    }
  }
  return table;
}

/** Rows handled between two turns of the event loop when loading cooperatively. */
export const DEFAULT_CHUNK = 2000;

/** Resolves on the next turn of the event loop, after pending I/O callbacks. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The rows of a data file, header first, blank lines skipped. */
function* tsvRows(text: string, file: string): Generator<TsvRow, void, undefined> {
  let cells: TsvCell[] = [];
  let rowLine = 1;
  let line = 1;
  let i = 0;
  let atRowStart = true;
  const n = text.length;

  const takeRow = (): TsvRow | undefined => {
    const blank = cells.length === 1 && cells[0]?.value === '' && !cells[0].quoted;
    const row = blank ? undefined : { line: rowLine, cells };
    cells = [];
    return row;
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
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close < 0) {
          throw new CatalogLoadError('unterminated quoted field', { file, line: openLine });
        }
        const part = text.slice(from, close);
        line += countLineBreaks(part);
        value += part;
        if (text[close + 1] === '"') {
          value += '"';
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
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
      const last = takeRow();
      if (last !== undefined) {
        yield last;
      }
      return;
    }
    const sep = text[i];
    if (sep === '\t') {
      i++;
      if (i === n) {
        cells.push({ value: '', quoted: false });
        const last = takeRow();
        if (last !== undefined) {
          yield last;
        }
        return;
      }
      continue;
    }
    // CR, LF or CRLF ends the row.
    i += sep === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    const row = takeRow();
    if (row !== undefined) {
      yield row;
    }
    atRowStart = true;
    if (i === n) {
      return;
    }
  }
}

/** Checks the header (§4.1: non-empty, no spaces, unique except `.` columns) and starts a table. */
function tableWithHeader(headerRow: TsvRow | undefined, file: string): TsvTable & { rows: TsvRow[] } {
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
  return { file, header, rows: [] };
}

/** Line breaks (CRLF, LF or CR) in a piece of text, for line numbers in messages. */
function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      n++;
    }
  }
  return n;
}

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
  const reader = new TsvReader(text, file);
  while (!reader.done) {
    const row = reader.row();
    if (!isBlank(row)) {
      yield row;
    }
  }
}

/** A blank line: one empty unquoted field (`""` alone is a row with one empty value). */
function isBlank(row: TsvRow): boolean {
  const first = row.cells[0];
  return row.cells.length === 1 && first?.value === '' && !first.quoted;
}

/** Reads a data file row by row and field by field, counting lines for messages. */
class TsvReader {
  /** True once the text is read to its end (a line break at the very end starts no row). */
  done = false;
  private at = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  /** The next row: its fields up to a line break (CR, LF or CRLF) or the end of the text. */
  row(): TsvRow {
    const { text } = this;
    const line = this.line;
    const cells: TsvCell[] = [];
    for (;;) {
      cells.push(this.field());
      const sep = text[this.at];
      if (sep === undefined) {
        this.done = true;
        return { line, cells };
      }
      this.at++;
      if (sep !== '\t') {
        if (sep === '\r' && text[this.at] === '\n') {
          this.at++;
        }
        this.line++;
        this.done = this.at === text.length;
        return { line, cells };
      }
    }
  }

  /** One field: a quoted part if it starts with `"`, then literal text up to TAB or the end of the line. */
  private field(): TsvCell {
    const { text } = this;
    const quoted = text[this.at] === '"';
    const value = quoted ? this.quotedPart() : '';
    const start = this.at;
    let i = start;
    while (i < text.length && text[i] !== '\t' && text[i] !== '\n' && text[i] !== '\r') {
      i++;
    }
    this.at = i;
    return { value: value + text.slice(start, i), quoted };
  }

  /** The quoted part of a field, from its opening `"` to the closing one (`""` stands for one quote). */
  private quotedPart(): string {
    const { text } = this;
    const openLine = this.line;
    let value = '';
    let from = this.at + 1;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close < 0) {
        throw new CatalogLoadError('unterminated quoted field', { file: this.file, line: openLine });
      }
      const part = text.slice(from, close);
      this.line += countLineBreaks(part);
      value += part;
      if (text[close + 1] !== '"') {
        this.at = close + 1;
        return value;
      }
      value += '"';
      from = close + 2;
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

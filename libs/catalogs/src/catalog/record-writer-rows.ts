import { CatalogLoadError } from './catalog-load-error';

/*
 * The record file format of §4.1 (see tsv-table.ts, which parses text) read as bytes, so a writer
 * can change one row and copy every other byte as it was. TAB, CR, LF and `"` are ASCII, and in
 * UTF-8 no byte of a multi-byte character is ASCII, so row and cell boundaries found in bytes are
 * the same as in the decoded text for both encodings (ISO-8859-1, UTF-8 with BOM).
 */

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Byte span of one cell, quotes included. */
export interface RawCell {
  readonly start: number;
  readonly end: number;
  readonly quoted: boolean;
}

/** Byte span of one non-blank row: `end` excludes the line break, `next` is where the next row starts. */
export interface RawRow {
  readonly start: number;
  readonly end: number;
  readonly next: number;
  readonly cells: readonly RawCell[];
}

/** The encoding a record file was read in (§4.1): UTF-8 when it starts with the BOM, ISO-8859-1 otherwise. */
export type RecordFileEncoding = 'utf8' | 'latin1';

/** A record file as bytes, with its rows located (blank lines are not rows; the header is `rows[0]`). */
export interface RawRecordFile {
  readonly data: Buffer;
  readonly encoding: RecordFileEncoding;
  /** Offset of the first byte after the BOM. */
  readonly bodyStart: number;
  readonly rows: readonly RawRow[];
}

/** Locates the rows of a record file; throws {@link CatalogLoadError} for an unterminated quote, like the loader. */
export function scanRecordFile(data: Buffer, file: string): RawRecordFile {
  const bom = data.subarray(0, 3).equals(UTF8_BOM);
  const bodyStart = bom ? 3 : 0;
  return { data, encoding: bom ? 'utf8' : 'latin1', bodyStart, rows: scanRows(data, bodyStart, file) };
}

function scanRows(data: Buffer, from: number, file: string): RawRow[] {
  const rows: RawRow[] = [];
  const n = data.length;
  let i = from;
  let rowStart = i;
  let cells: RawCell[] = [];
  const take = (end: number, next: number): void => {
    const blank = cells.length === 1 && cells[0] !== undefined && !cells[0].quoted && cells[0].start === cells[0].end;
    if (!blank) {
      rows.push({ start: rowStart, end, next, cells });
    }
    cells = [];
    rowStart = next;
  };
  for (;;) {
    const cell = scanCell(data, i, file);
    cells.push(cell);
    i = cell.end;
    if (i >= n) {
      take(n, n);
      return rows;
    }
    if (data[i] === TAB) {
      i++;
      if (i === n) {
        cells.push({ start: n, end: n, quoted: false });
        take(n, n);
        return rows;
      }
      continue;
    }
    const end = i;
    i += data[i] === CR && data[i + 1] === LF ? 2 : 1;
    take(end, i);
    if (i === n) {
      return rows;
    }
  }
}

/** The cell starting at `start`: a quoted part (if it opens with `"`), then text up to TAB or a line break. */
function scanCell(data: Buffer, start: number, file: string): RawCell {
  const quoted = data[start] === QUOTE;
  let i = quoted ? closingQuote(data, start, file) + 1 : start;
  while (i < data.length && data[i] !== TAB && data[i] !== LF && data[i] !== CR) {
    i++;
  }
  return { start, end: i, quoted };
}

/** Offset of the quote that closes the quoted field opening at `open` (`""` is an escaped quote). */
function closingQuote(data: Buffer, open: number, file: string): number {
  let from = open + 1;
  for (;;) {
    const close = data.indexOf(QUOTE, from);
    if (close < 0) {
      throw new CatalogLoadError('unterminated quoted field', { file });
    }
    if (data[close + 1] === QUOTE) {
      from = close + 2;
      continue;
    }
    return close;
  }
}

/** The value of a cell as the loader reads it: quotes removed, `""` unescaped, decoded. */
export function cellValue(raw: RawRecordFile, cell: RawCell | undefined): string {
  if (cell === undefined) {
    return '';
  }
  const { data } = raw;
  if (!cell.quoted) {
    return data.toString(raw.encoding, cell.start, cell.end);
  }
  const parts: Buffer[] = [];
  let from = cell.start + 1;
  for (;;) {
    const close = data.indexOf(QUOTE, from);
    parts.push(data.subarray(from, close));
    if (data[close + 1] === QUOTE) {
      parts.push(data.subarray(close, close + 1));
      from = close + 2;
      continue;
    }
    parts.push(data.subarray(close + 1, cell.end));
    return Buffer.concat(parts).toString(raw.encoding);
  }
}

/** The line break the file uses (that of its header), LF when it has none yet. */
export function lineBreakOf(raw: RawRecordFile): Buffer {
  const header = raw.rows[0];
  if (header === undefined || header.next === header.end) {
    return Buffer.from('\n');
  }
  return raw.data.subarray(header.end, header.next);
}

/** True when the file is empty or ends with a line break (a row can be appended as is). */
export function endsWithLineBreak(raw: RawRecordFile): boolean {
  const last = raw.data[raw.data.length - 1];
  return raw.data.length === raw.bodyStart || last === LF || last === CR;
}

/** The BOM that marks a UTF-8 record file. */
export function utf8Bom(): Buffer {
  return Buffer.from(UTF8_BOM);
}

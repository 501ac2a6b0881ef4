import { CatalogLoadError } from './catalog-load-error';
import {
  cellValue,
  endsWithLineBreak,
  lineBreakOf,
  scanRecordFile,
  utf8Bom,
  type RawRecordFile,
  type RawRow,
  type RecordFileEncoding,
} from './record-writer-rows';

/**
 * Edits of one record in a record file (§4.1), as pure functions from bytes to bytes. Every byte
 * outside the edited row (other records, blank lines, line breaks, the BOM, ignored `.` columns,
 * quoting) is copied as it was. A column the edit needs and the header lacks is appended to the
 * header, so older rows (with fewer cells, which read as empty) stay untouched.
 */

/** A record edit the caller must change: a bad field name, or text the file's encoding cannot hold. */
export class RecordEditError extends Error {
  override readonly name = 'RecordEditError';
}

/** Field names a writer may set: like header names (§4.1), letters first; `Id` is the key and set apart. */
const FIELD_NAME = /^\.?[A-Za-z][A-Za-z0-9_-]*$/;

/** Record fields by header name as written (the loader matches them case-insensitively). */
export type RecordFieldValues = Readonly<Record<string, string>>;

interface Header {
  readonly row: RawRow;
  readonly names: readonly string[];
  /** First column of each lower-cased name. */
  readonly index: ReadonlyMap<string, number>;
  readonly idColumn: number;
}

function headerOf(raw: RawRecordFile, file: string): Header {
  const row = raw.rows[0];
  if (row === undefined) {
    throw new CatalogLoadError('empty data file: the first row must be a header', { file });
  }
  const names = row.cells.map((cell) => cellValue(raw, cell));
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    const key = name.toLowerCase();
    if (name === '' || /\s/.test(name) || (!key.startsWith('.') && index.has(key))) {
      throw new CatalogLoadError(`invalid or duplicate header field name ${JSON.stringify(name)}`, { file, line: 1 });
    }
    if (!index.has(key)) {
      index.set(key, i);
    }
  });
  const idColumn = index.get('id');
  if (idColumn === undefined) {
    throw new CatalogLoadError('record file has no Id column', { file, line: 1 });
  }
  return { row, names, index, idColumn };
}

/** The rows whose `Id` is `id`, in file order (the last one is the record the loader keeps). */
function rowsWithId(raw: RawRecordFile, header: Header, id: string): RawRow[] {
  return raw.rows.slice(1).filter((row) => cellValue(raw, row.cells[header.idColumn]) === id);
}

/** Fields of the record `id` in a record file (by header name, `.` columns included), or `undefined`. */
export function readRecordFields(data: Buffer, file: string, id: string): Map<string, string> | undefined {
  const raw = scanRecordFile(data, file);
  const header = headerOf(raw, file);
  const row = rowsWithId(raw, header, id).at(-1);
  if (row === undefined) {
    return undefined;
  }
  return new Map(header.names.map((name, i) => [name, cellValue(raw, row.cells[i])]));
}

/** True when the record file holds a row for `id`. */
export function hasRecord(data: Buffer, file: string, id: string): boolean {
  const raw = scanRecordFile(data, file);
  return rowsWithId(raw, headerOf(raw, file), id).length > 0;
}

/**
 * Sets `fields` of record `id` (creating the record, or the file when `data` is `undefined`); the
 * record's other cells keep their bytes. With several rows for `id`, the last (the one served) is
 * changed. A new file is UTF-8 with a BOM, with LF line breaks.
 * @throws RecordEditError for a bad field name or text the encoding cannot hold.
 * @throws CatalogLoadError when the file cannot be parsed (no header, no Id column).
 */
export function upsertRecord(data: Buffer | undefined, file: string, id: string, fields: RecordFieldValues): Buffer {
  checkFields(id, fields);
  if (data === undefined || data.length === 0) {
    return newRecordFile(id, fields);
  }
  const raw = scanRecordFile(data, file);
  const header = headerOf(raw, file);
  const added = Object.keys(fields).filter((name) => !header.index.has(name.toLowerCase()));
  const columnOf = new Map(header.index);
  added.forEach((name, i) => columnOf.set(name.toLowerCase(), header.names.length + i));
  const values = new Map<number, Buffer>([[header.idColumn, encodeCell(id, raw.encoding, 'Id')]]);
  for (const [name, value] of Object.entries(fields)) {
    values.set(columnOf.get(name.toLowerCase()) ?? -1, encodeCell(value, raw.encoding, name));
  }
  const headerTail = Buffer.concat(added.map((name) => Buffer.concat([Buffer.from('\t'), encodeCell(name, raw.encoding, name)])));
  const existing = rowsWithId(raw, header, id).at(-1);
  const row = rowBytes(raw, existing, values);
  const d = raw.data;
  const h = header.row;
  if (existing !== undefined) {
    return Buffer.concat([d.subarray(0, h.end), headerTail, d.subarray(h.end, existing.start), row, d.subarray(existing.end)]);
  }
  const eol = lineBreakOf(raw);
  const tail = endsWithLineBreak(raw) ? [row, eol] : [eol, row];
  return Buffer.concat([d.subarray(0, h.end), headerTail, d.subarray(h.end), ...tail]);
}

/**
 * Removes every row of record `id` with its line break; `undefined` when the file has none.
 * @throws CatalogLoadError when the file cannot be parsed.
 */
export function removeRecord(data: Buffer, file: string, id: string): Buffer | undefined {
  const raw = scanRecordFile(data, file);
  const rows = rowsWithId(raw, headerOf(raw, file), id);
  if (rows.length === 0) {
    return undefined;
  }
  const parts: Buffer[] = [];
  let from = 0;
  for (const row of rows) {
    parts.push(data.subarray(from, row.start));
    from = row.next;
  }
  parts.push(data.subarray(from));
  return Buffer.concat(parts);
}

function checkFields(id: string, fields: RecordFieldValues): void {
  if (id === '') {
    throw new RecordEditError('the record Id must not be empty');
  }
  const seen = new Set<string>();
  for (const name of Object.keys(fields)) {
    if (!FIELD_NAME.test(name) || name.toLowerCase() === 'id') {
      throw new RecordEditError(`${JSON.stringify(name)} is not a record field name that can be set (letters, digits, _ and -, not Id)`);
    }
    if (seen.has(name.toLowerCase())) {
      throw new RecordEditError(`field ${JSON.stringify(name)} is given twice (field names are case-insensitive)`);
    }
    seen.add(name.toLowerCase());
  }
}

/** The row's cells: new values where given, the old cell's bytes elsewhere, empty cells in between. */
function rowBytes(raw: RawRecordFile, existing: RawRow | undefined, values: ReadonlyMap<number, Buffer>): Buffer {
  const old = existing?.cells ?? [];
  const count = Math.max(old.length, ...[...values.keys()].map((i) => i + 1));
  const cells: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const cell = old[i];
    cells.push(values.get(i) ?? (cell === undefined ? Buffer.alloc(0) : raw.data.subarray(cell.start, cell.end)));
  }
  return joinCells(cells);
}

function newRecordFile(id: string, fields: RecordFieldValues): Buffer {
  const names = ['Id', ...Object.keys(fields)];
  const values = [id, ...Object.values(fields)];
  const line = (cells: string[]): Buffer => joinCells(cells.map((v, i) => encodeCell(v, 'utf8', names[i] ?? '')));
  return Buffer.concat([utf8Bom(), line(names), Buffer.from('\n'), line(values), Buffer.from('\n')]);
}

function joinCells(cells: readonly Buffer[]): Buffer {
  const tab = Buffer.from('\t');
  return Buffer.concat(cells.flatMap((cell, i) => (i === 0 ? [cell] : [tab, cell])));
}

/** A value as a cell: quoted (with `""` for `"`) when it holds TAB, CR or LF or starts with a quote. */
export function encodeCell(value: string, encoding: RecordFileEncoding, field: string): Buffer {
  const outside = encoding === 'latin1' ? [...value].find((c) => (c.codePointAt(0) ?? 0) > 0xff) : undefined;
  if (outside !== undefined) {
    throw new RecordEditError(`field ${field}: the record file is ISO-8859-1 (no UTF-8 BOM) and cannot hold ${JSON.stringify(outside)}`);
  }
  const text = /[\t\r\n]/.test(value) || value.startsWith('"') ? `"${value.replace(/"/g, '""')}"` : value;
  return Buffer.from(text, encoding);
}

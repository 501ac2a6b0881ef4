import { recordFieldName } from '../management/assets/record-fields';

/** One asset of a record list: its id, the file (relative to the import folder) and record fields. */
export interface ImportRow {
  /** 1-based line of the row in the list. */
  line: number;
  id: string;
  path: string;
  fields: Record<string, string>;
}

/** A parsed record list, with the columns it ignored. */
export interface RecordList {
  rows: ImportRow[];
  ignoredColumns: string[];
  problems: string[];
}

/** UTF-8 when the file starts with a BOM, ISO-8859-1 otherwise (image-serving.md §4.1), as Scene7 exports are read. */
export function decodeRecordList(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return bytes.subarray(3).toString('utf8');
  }
  return bytes.toString('latin1');
}

/**
 * Splits delimited text into rows of cells: fields may be double-quoted (then they may hold the
 * delimiter, line breaks and `""` for a quote); rows end at CR, LF or CRLF.
 */
export function splitDelimited(text: string, delimiter: string): { line: number; cells: string[] }[] {
  const scan = { rows: [] as { line: number; cells: string[] }[], cells: [] as string[], cell: '', line: 1, rowLine: 1 };
  const endRow = () => {
    scan.cells.push(scan.cell);
    scan.rows.push({ line: scan.rowLine, cells: scan.cells });
    scan.cells = [];
    scan.cell = '';
    scan.rowLine = ++scan.line;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"' && scan.cell === '') {
      i = quotedCell(text, i + 1, scan);
    } else if (c === delimiter) {
      scan.cells.push(scan.cell);
      scan.cell = '';
    } else if (c === '\r' || c === '\n') {
      i += c === '\r' && text[i + 1] === '\n' ? 1 : 0;
      endRow();
    } else {
      scan.cell += c;
    }
  }
  if (scan.cell !== '' || scan.cells.length > 0) {
    endRow();
  }
  return scan.rows.filter((r) => r.cells.some((c) => c !== ''));
}

/** Reads a quoted cell from `start` (after its opening quote); returns the index of its closing quote. */
function quotedCell(text: string, start: number, scan: { cell: string; line: number }): number {
  for (let i = start; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"' && text[i + 1] === '"') {
      scan.cell += '"';
      i++;
    } else if (c === '"') {
      return i;
    } else {
      scan.line += c === '\n' ? 1 : 0;
      scan.cell += c;
    }
  }
  return text.length;
}

/**
 * Reads a record list: header row with `Id` (required) and `Path` (default: the id), the
 * settable record fields of §4.3, `.`-columns and other unknown columns ignored.
 */
export function parseRecordList(text: string, delimiter: string): RecordList {
  const [header, ...body] = splitDelimited(text, delimiter);
  if (header === undefined) {
    return { rows: [], ignoredColumns: [], problems: ['the record list is empty'] };
  }
  const names = header.cells.map((c) => c.trim());
  const idAt = names.findIndex((n) => n.toLowerCase() === 'id');
  const pathAt = names.findIndex((n) => n.toLowerCase() === 'path');
  if (idAt < 0) {
    return { rows: [], ignoredColumns: [], problems: ['the header row has no Id column'] };
  }
  const fieldAt = names.map((n, i) => (i === idAt || i === pathAt ? undefined : recordFieldName(n)));
  const ignoredColumns = names.filter((n, i) => i !== idAt && i !== pathAt && fieldAt[i] === undefined && !n.startsWith('.') && n !== '');
  const problems: string[] = [];
  const rows = body.flatMap(({ line, cells }): ImportRow[] => {
    const id = cells[idAt] ?? '';
    if (id === '') {
      problems.push(`line ${line}: no Id`);
      return [];
    }
    const fields: Record<string, string> = {};
    cells.forEach((value, i) => {
      const name = fieldAt[i];
      if (name !== undefined && value !== '') {
        fields[name] = value;
      }
    });
    const path = pathAt >= 0 && (cells[pathAt] ?? '') !== '' ? (cells[pathAt] ?? id) : id;
    return [{ line, id, path, fields }];
  });
  return { rows, ignoredColumns, problems };
}

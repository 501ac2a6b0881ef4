import type { ThumbType } from './catalog-attributes';
import { CatalogLoadError } from './catalog-load-error';
import type { CatalogMacro, CatalogRecord, SourceLocation } from './catalog-record';
import {
  CatalogValueError,
  parseChoice,
  parsePixelPair,
  parsePoint,
  parseReal,
  parseTimeStamp,
} from './catalog-values';
import { DEFAULT_CHUNK, yieldToEventLoop, type TsvRow, type TsvTable } from './tsv-table';

/** Record columns of §4.3 (lower-case). Other non-`.` columns are kept in `fields` with a warning. */
const KNOWN_RECORD_FIELDS: ReadonlySet<string> = new Set([
  'id', 'path', 'maskpath', 'modifier', 'postmodifier', 'expiration', 'timestamp', 'anchor', 'resolution',
  'printresolution', 'size', 'thumbres', 'thumbtype', 'userdata', 'targets', 'map', 'imageset', 'assettype',
  'digimarcinfo', 'usertype',
]);

interface Column {
  readonly index: number;
  readonly key: string;
}

/** Non-ignored columns of a table (names starting with `.` are ignored, §4.1). */
function columnsOf(table: TsvTable): Column[] {
  return table.header
    .map((name, index) => ({ index, key: name.toLowerCase() }))
    .filter((c) => !c.key.startsWith('.'));
}

/**
 * Builds records from a parsed record file, handing control back to the event loop every `chunk`
 * rows (see `parseTsvCooperatively`). Later rows with the same `Id` replace earlier ones
 * (the caller feeds files in `CatalogFile` order into the same map). Problems that only affect one
 * cell or row are reported in `warnings`; a file without an `Id` column is an error.
 */
export async function readRecords(table: TsvTable, into: Map<string, CatalogRecord>, warnings: string[], chunk = DEFAULT_CHUNK): Promise<void> {
  const reader = new RecordReader(table, warnings);
  let done = 0;
  for (const row of table.rows) {
    if (++done % chunk === 0) {
      await yieldToEventLoop();
    }
    const record = reader.read(row);
    if (record !== undefined) {
      into.set(record.id, record);
    }
  }
}

/** Reads the rows of one record file into records, sharing the column names and quoted-column sets between them. */
class RecordReader {
  private readonly columns: readonly Column[];
  private readonly keys: readonly string[];
  /** Records with the same quoted columns share one Set (most share the empty one). */
  private readonly quotedSets = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly table: TsvTable,
    private readonly warnings: string[],
  ) {
    this.columns = recordColumns(table, warnings);
    this.keys = this.columns.map((c) => c.key);
  }

  /** The record of a row; `undefined`, with a warning, for a row without `Id`. */
  read(row: TsvRow): TableRecord | undefined {
    const { table, warnings } = this;
    if (row.cells.length > table.header.length) {
      warnings.push(`${table.file}:${row.line}: ${row.cells.length} fields but ${table.header.length} header names; extra fields ignored`);
    }
    const values: string[] = [];
    let quotedKey = '';
    for (const c of this.columns) {
      const cell = row.cells[c.index];
      values.push(cell?.value ?? '');
      if (cell?.quoted === true) {
        quotedKey += `${c.key}\t`;
      }
    }
    const fields = new RowFields(this.keys, values, table.file, row.line, warnings);
    const id = fields.raw('id') ?? '';
    if (id === '') {
      warnings.push(`${table.file}:${row.line}: row without Id ignored`);
      return undefined;
    }
    return new TableRecord(this.keys, values, this.quotedSet(quotedKey), table.file, row.line, typedFields(fields, id));
  }

  /** The shared set of quoted column names for a `key\t…` list of them. */
  private quotedSet(quotedKey: string): ReadonlySet<string> {
    let quoted = this.quotedSets.get(quotedKey);
    if (quoted === undefined) {
      quoted = quotedKey === '' ? NO_QUOTED_FIELDS : Object.freeze(new Set(quotedKey.split('\t').filter((k) => k !== '')));
      this.quotedSets.set(quotedKey, quoted);
    }
    return quoted;
  }
}

/** The columns of a record file; an error without an `Id` column, a warning for columns §4.3 does not know. */
function recordColumns(table: TsvTable, warnings: string[]): Column[] {
  const columns = columnsOf(table);
  if (!columns.some((c) => c.key === 'id')) {
    throw new CatalogLoadError('record file has no Id column', { file: table.file, line: 1 });
  }
  const unknown = columns.filter((c) => !KNOWN_RECORD_FIELDS.has(c.key)).map((c) => table.header[c.index]);
  if (unknown.length > 0) {
    warnings.push(`${table.file}: unknown column(s) ${unknown.join(', ')} kept as raw fields`);
  }
  return columns;
}

/** One row's values by column name: as written, as text (empty is `null`), or parsed (a bad value warns and is `null`). */
class RowFields {
  constructor(
    private readonly keys: readonly string[],
    private readonly values: readonly string[],
    private readonly file: string,
    private readonly line: number,
    private readonly warnings: string[],
  ) {}

  raw(key: string): string | undefined {
    const i = this.keys.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  text(key: string): string | null {
    const v = this.raw(key);
    return v === undefined || v === '' ? null : v;
  }

  typed<T>(key: string, parse: (v: string) => T | null, id: string): T | null {
    const v = this.text(key);
    if (v === null) {
      return null;
    }
    try {
      return parse(v);
    } catch (err) {
      if (err instanceof CatalogValueError) {
        this.warnings.push(`${this.file}:${this.line}: record ${JSON.stringify(id)} field ${key}: ${err.message}; treated as empty`);
        return null;
      }
      throw err;
    }
  }
}

/** The §4.3 fields of a record, parsed in column-table order (so warnings come in that order). */
function typedFields(f: RowFields, id: string): TypedFields {
  const expiration = f.typed('expiration', parseRecordExpiration, id);
  return {
    id,
    path: f.text('path'),
    maskPath: f.text('maskpath'),
    modifier: f.raw('modifier') ?? '',
    postModifier: f.raw('postmodifier') ?? '',
    expiration: expiration === -2 ? null : expiration,
    timeStamp: f.typed('timestamp', parseTimeStamp, id),
    anchor: f.typed('anchor', parsePoint, id),
    resolution: f.typed('resolution', parseResolution, id),
    printResolution: f.typed('printresolution', parseResolution, id),
    size: f.typed('size', parseSize, id),
    thumbRes: f.typed('thumbres', parseResolution, id),
    thumbType: f.typed('thumbtype', parseThumbType, id),
    userData: f.text('userdata'),
    targets: f.text('targets'),
    map: f.text('map'),
    imageSet: f.text('imageset'),
    assetType: f.text('assettype'),
    digimarcInfo: f.text('digimarcinfo'),
    userType: f.text('usertype'),
  };
}

/** `Resolution`, `PrintResolution`, `ThumbRes`: a number >= 0, 0 meaning the attribute default. */
const parseResolution = (v: string): number | null => zeroIsUnset(parseReal(v, 0));
const parseSize = (v: string): CatalogRecord['size'] => parsePixelPair(v);
/** `ThumbType` 1-3; 0 means the attribute default. */
const parseThumbType = (v: string): ThumbType | null => (v.trim() === '0' ? null : parseChoice(v, [1, 2, 3] as const));

const NO_QUOTED_FIELDS: ReadonlySet<string> = Object.freeze(new Set<string>());

type TypedFields = Omit<CatalogRecord, 'fields' | 'quotedFields' | 'source'>;

/**
 * A record read from a table. The raw cells are kept once, in column order, with the column names
 * shared by all records of the file; `fields` is built on demand (catalogs with hundreds of
 * thousands of records should not pay for a Map per record).
 */
class TableRecord implements CatalogRecord {
  readonly id!: string;
  readonly path!: string | null;
  readonly maskPath!: string | null;
  readonly modifier!: string;
  readonly postModifier!: string;
  readonly expiration!: number | null;
  readonly timeStamp!: number | null;
  readonly anchor!: CatalogRecord['anchor'];
  readonly resolution!: number | null;
  readonly printResolution!: number | null;
  readonly size!: CatalogRecord['size'];
  readonly thumbRes!: number | null;
  readonly thumbType!: ThumbType | null;
  readonly userData!: string | null;
  readonly targets!: string | null;
  readonly map!: string | null;
  readonly imageSet!: string | null;
  readonly assetType!: string | null;
  readonly digimarcInfo!: string | null;
  readonly userType!: string | null;
  readonly quotedFields: ReadonlySet<string>;
  readonly #keys: readonly string[];
  readonly #values: readonly string[];
  readonly #file: string;
  readonly #line: number;

  constructor(keys: readonly string[], values: readonly string[], quoted: ReadonlySet<string>, file: string, line: number, typed: TypedFields) {
    Object.assign(this, typed);
    this.#keys = keys;
    this.#values = values;
    this.#file = file;
    this.#line = line;
    this.quotedFields = quoted;
    Object.freeze(this);
  }

  get source(): SourceLocation {
    return { file: this.#file, line: this.#line };
  }

  get fields(): ReadonlyMap<string, string> {
    return new Map(this.#keys.map((k, i) => [k, this.#values[i] ?? '']));
  }
}

/** Record `Expiration` (§4.3): hours, 0 immediate, -1 never, -2 "use the attribute". */
function parseRecordExpiration(v: string): number {
  const n = parseReal(v);
  if (n < 0 && n !== -1 && n !== -2) {
    throw new CatalogValueError(`${n} hours: use a value >= 0, -1 (never) or -2 (attribute default)`);
  }
  return n;
}

/** "0/empty → attribute default" (§4.3): a 0 is stored as unset. */
function zeroIsUnset(n: number): number | null {
  return n === 0 ? null : n;
}

/**
 * Builds the macro table of a macro file: `Name` (case-insensitive key) and `Definition` columns
 * are required; later rows with the same name replace earlier ones but keep the later position.
 */
export function readMacros(table: TsvTable, warnings: string[]): Map<string, CatalogMacro> {
  const columns = columnsOf(table);
  const name = columns.find((c) => c.key === 'name');
  const definition = columns.find((c) => c.key === 'definition');
  if (name === undefined || definition === undefined) {
    throw new CatalogLoadError('macro file needs Name and Definition columns', { file: table.file, line: 1 });
  }
  const macros = new Map<string, CatalogMacro>();
  table.rows.forEach((row, index) => {
    const n = row.cells[name.index]?.value ?? '';
    if (!/^[A-Za-z0-9_.-]+$/.test(n)) {
      warnings.push(`${table.file}:${row.line}: invalid macro name ${JSON.stringify(n)}; row ignored`);
      return;
    }
    const key = n.toLowerCase();
    macros.delete(key);
    macros.set(key, Object.freeze({
      name: n,
      definition: row.cells[definition.index]?.value ?? '',
      index,
      source: { file: table.file, line: row.line },
    }));
  });
  return macros;
}

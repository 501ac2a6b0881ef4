import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords } from './data-files';
import type { CatalogRecord } from './catalog-record';
import { RecordFileWriter, lockPathOf } from './record-writer';
import { readRecordFields, RecordEditError, removeRecord, upsertRecord } from './record-writer-edit';
import { RecordLockTimeoutError } from './record-writer-lock';
import { decodeCatalogText } from './text-decoding';
import { parseTsv } from './tsv-table';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const bom = (s: string): Buffer => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]);

/** Records as image-server's loader reads them. */
async function load(data: Buffer): Promise<Map<string, CatalogRecord>> {
  const records = new Map<string, CatalogRecord>();
  await readRecords(parseTsv(decodeCatalogText(data), 'f.tsv'), records, []);
  return records;
}

describe('record edits (byte level)', () => {
  // CRLF breaks, an ignored `.` column used for notes, a blank line, a quoted multi-line field,
  // Latin-1 text: everything but the edited row must come back as it was.
  const original = latin1(
    'Id\tPath\t.note\tUserData\r\n' +
      'a\tcaf\u00e9.tif\tkeep me\t"line1\r\nline2"\r\n' +
      '\r\n' +
      'b\tb.tif\t\tx\r\n' +
      'c\tc.tif\r\n',
  );

  it('changes one cell of one record and keeps every other byte, quoting and Latin-1 included', async () => {
    const out = upsertRecord(original, 'f.tsv', 'b', { Path: 'na\u00efve.tif' });
    expect(out).toEqual(Buffer.concat([original.subarray(0, original.indexOf('b\tb.tif')), latin1('b\tna\u00efve.tif\t\tx\r\nc\tc.tif\r\n')]));
    const records = await load(out);
    expect(records.get('b')?.path).toBe('na\u00efve.tif');
    expect(records.get('a')?.userData).toBe('line1\r\nline2');
  });

  it('appends a new record with the file line break, and a new column at the end of the header only', async () => {
    const out = upsertRecord(original, 'f.tsv', 'd', { Path: 'd.tif', Size: '10,20' });
    const expected = Buffer.concat([
      latin1('Id\tPath\t.note\tUserData\tSize'),
      original.subarray(original.indexOf('\r\na\t')),
      latin1('d\td.tif\t\t\t10,20\r\n'),
    ]);
    expect(out).toEqual(expected);
    const records = await load(out);
    expect([...records.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect(records.get('d')?.size).toEqual([10, 20]);
    expect(records.get('c')?.size).toBeNull();
  });

  it('quotes values with TAB, CR, LF or a leading quote, and the loader reads them back unchanged', async () => {
    const values = ['tab\there', 'two\nlines', '"quoted" start', 'in "middle"', ' spaces '];
    let data: Buffer | undefined;
    values.forEach((v, i) => (data = upsertRecord(data, 'f.tsv', `r${i}`, { UserData: v })));
    const records = await load(data ?? Buffer.alloc(0));
    expect(values.map((_, i) => records.get(`r${i}`)?.userData)).toEqual(values);
    expect(readRecordFields(data ?? Buffer.alloc(0), 'f.tsv', 'r1')?.get('UserData')).toBe('two\nlines');
  });

  it('creates a UTF-8 file with a BOM, and keeps a UTF-8 file UTF-8 with undecodable bytes of other rows untouched', async () => {
    const created = upsertRecord(undefined, 'f.tsv', '\u65e5\u672c', { Path: 'x.tif' });
    expect(created.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect((await load(created)).get('\u65e5\u672c')?.path).toBe('x.tif');

    const broken = Buffer.concat([bom('Id\tPath\nbad\t'), Buffer.from([0xff, 0xfe]), Buffer.from('.tif\n')]);
    const out = upsertRecord(broken, 'f.tsv', 'new', { Path: '\u00fcber \u2603.tif' });
    expect(out).toEqual(Buffer.concat([broken, Buffer.from('new\t\u00fcber \u2603.tif\n', 'utf8')]));
  });

  it('refuses text an ISO-8859-1 file cannot hold, and bad or duplicate field names', () => {
    expect(() => upsertRecord(original, 'f.tsv', 'b', { Path: 'snow\u2603.tif' })).toThrow(RecordEditError);
    expect(() => upsertRecord(original, 'f.tsv', 'b', { 'Bad Name': 'x' })).toThrow(RecordEditError);
    expect(() => upsertRecord(original, 'f.tsv', 'b', { Id: 'x' })).toThrow(RecordEditError);
    expect(() => upsertRecord(original, 'f.tsv', 'b', { Path: 'x', path: 'y' })).toThrow(RecordEditError);
    expect(() => upsertRecord(original, 'f.tsv', '', { Path: 'x' })).toThrow(RecordEditError);
  });

  it('adds a line break before a record appended to a file that has none at its end', () => {
    expect(upsertRecord(latin1('Id\tPath\na\ta.tif'), 'f.tsv', 'b', { Path: 'b.tif' }).toString('latin1')).toBe('Id\tPath\na\ta.tif\nb\tb.tif');
  });

  it('updates the last of duplicate rows (the one served) and removes every one', () => {
    const dup = latin1('Id\tPath\nx\t1.tif\ny\ty.tif\nx\t2.tif\n');
    expect(upsertRecord(dup, 'f.tsv', 'x', { Path: '3.tif' }).toString('latin1')).toBe('Id\tPath\nx\t1.tif\ny\ty.tif\nx\t3.tif\n');
    expect(removeRecord(dup, 'f.tsv', 'x')?.toString('latin1')).toBe('Id\tPath\ny\ty.tif\n');
    expect(removeRecord(dup, 'f.tsv', 'nope')).toBeUndefined();
    expect(removeRecord(original, 'f.tsv', 'a')).toEqual(latin1('Id\tPath\t.note\tUserData\r\n\r\nb\tb.tif\t\tx\r\nc\tc.tif\r\n'));
  });
});

describe('RecordFileWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'record-writer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes through a temporary file and leaves neither it nor the lock behind', async () => {
    const file = join(dir, 'records.tsv');
    writeFileSync(file, 'Id\tPath\n');
    const writer = new RecordFileWriter();
    await writer.upsert(file, 'a', { Path: 'a.tif' });
    expect(await writer.remove(file, 'missing')).toBe(false);
    expect(readFileSync(file, 'latin1')).toBe('Id\tPath\na\ta.tif\n');
    expect(readdirSync(dir)).toEqual(['records.tsv']);
  });

  it('breaks a lock left by a dead writer once it is stale, and waits for a live one until its timeout', async () => {
    const file = join(dir, 'records.tsv');
    writeFileSync(file, 'Id\tPath\n');
    writeFileSync(lockPathOf(file), JSON.stringify({ token: 'dead' }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathOf(file), old, old);
    await new RecordFileWriter({ timeoutMs: 5000, staleMs: 1000 }).upsert(file, 'a', { Path: 'a.tif' });
    expect(readFileSync(file, 'latin1')).toBe('Id\tPath\na\ta.tif\n');

    writeFileSync(lockPathOf(file), JSON.stringify({ token: 'alive' }));
    await expect(new RecordFileWriter({ timeoutMs: 200, staleMs: 60_000 }).upsert(file, 'b', { Path: 'b.tif' })).rejects.toThrow(RecordLockTimeoutError);
    expect(readFileSync(file, 'latin1')).toBe('Id\tPath\na\ta.tif\n');
  });

  it('serializes writers in one process: 40 concurrent upserts into one file keep all 40 records', async () => {
    const file = join(dir, 'records.tsv');
    const writer = new RecordFileWriter();
    await Promise.all(Array.from({ length: 40 }, (_, i) => writer.upsert(file, `id${i}`, { Path: `${i}.tif` })));
    expect((await load(readFileSync(file))).size).toBe(40);
  });
});

import { CatalogLoadError } from './catalog-load-error';
import { decodeCatalogText } from './text-decoding';
import { parseTsv, parseTsvCooperatively } from './tsv-table';

const cells = (text: string): string[][] => parseTsv(text, 'f.txt').rows.map((r) => r.cells.map((c) => c.value));

describe('parseTsv (§4.1 data files)', () => {
  it('splits rows at CR, LF and CRLF and fields at TAB; two adjacent TABs make an empty field', () => {
    expect(cells('Id\tPath\tModifier\ra\t\tx\nb\tb.jpg\tw\r\nc\tc.jpg\t')).toEqual([
      ['a', '', 'x'],
      ['b', 'b.jpg', 'w'],
      ['c', 'c.jpg', ''],
    ]);
  });

  it('keeps leading and trailing spaces as data and does not HTTP-decode', () => {
    expect(cells('Id\tPath\n a \tmy%20file.jpg\n')).toEqual([[' a ', 'my%20file.jpg']]);
  });

  it('reads double-quoted fields with TAB, CR, LF and doubled quotes, and marks them quoted', () => {
    const table = parseTsv('Id\tUserData\tNext\nq\t"a\tb\r\nc ""d"""\tafter\nz\t\t\n', 'f.txt');
    expect(table.rows[0]?.cells).toEqual([
      { value: 'q', quoted: false },
      { value: 'a\tb\r\nc "d"', quoted: true },
      { value: 'after', quoted: false },
    ]);
    expect(table.rows[1]?.line).toBe(4);
  });

  it('skips blank lines', () => {
    expect(cells('Id\n\na\n\r\n\nb\n')).toEqual([['a'], ['b']]);
  });

  it('refuses an unterminated quote, naming the line where it opened', () => {
    expect(() => parseTsv('Id\tX\na\t"open\nmore', 'f.txt')).toThrow(new CatalogLoadError('unterminated quoted field', { file: 'f.txt', line: 2 }));
  });

  it('refuses empty, spaced and duplicate header names but allows repeated . columns', () => {
    expect(() => parseTsv('Id\t\tPath\n', 'f.txt')).toThrow(/invalid header field name ""/);
    expect(() => parseTsv('Id\tmy path\n', 'f.txt')).toThrow(/invalid header field name "my path"/);
    expect(() => parseTsv('Id\tPATH\tpath\n', 'f.txt')).toThrow(/duplicate header field "path"/);
    expect(parseTsv('Id\t.c\t.c\n', 'f.txt').header).toEqual(['Id', '.c', '.c']);
    expect(() => parseTsv('', 'f.txt')).toThrow(/empty data file/);
  });
});

describe('decodeCatalogText', () => {
  it('reads UTF-8 after a BOM and drops the BOM', () => {
    expect(decodeCatalogText(Buffer.from([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3, 0xa9]))).toBe('café');
  });

  it('reads ISO-8859-1 without a BOM, even when the bytes would be valid UTF-8', () => {
    expect(decodeCatalogText(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe('café');
    expect(decodeCatalogText(Buffer.from([0xc3, 0xa9]))).toBe('Ã©');
  });
});

describe('parseTsvCooperatively', () => {
  it('gives the same table as parseTsv while letting the event loop run between chunks', async () => {
    const text = `Id\tPath\n${Array.from({ length: 1000 }, (_, i) => `r${i}\t"p\t${i}"`).join('\r\n')}\n`;
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns++;
      if (ticking) {
        setImmediate(tick);
      }
    };
    setImmediate(tick);
    const table = await parseTsvCooperatively(text, 'f.txt', 100);
    ticking = false;
    expect(table).toEqual(parseTsv(text, 'f.txt'));
    expect(table.rows).toHaveLength(1000);
    expect(turns).toBeGreaterThanOrEqual(9);
  });
});

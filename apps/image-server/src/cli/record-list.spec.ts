import { decodeRecordList, parseRecordList, splitDelimited } from './record-list';
import { ImportProgress } from './progress';

describe('record lists (bulk import)', () => {
  it('splits tab- and comma-separated rows with quoted cells holding delimiters, quotes and line breaks', () => {
    expect(splitDelimited('a\t"b\tc"\t"say ""hi"""\r\n"two\nlines"\tx\n', '\t')).toEqual([
      { line: 1, cells: ['a', 'b\tc', 'say "hi"'] },
      { line: 2, cells: ['two\nlines', 'x'] },
    ]);
    expect(splitDelimited('a,"b,c"\n\n1,2', ',')).toEqual([
      { line: 1, cells: ['a', 'b,c'] },
      { line: 3, cells: ['1', '2'] },
    ]);
  });

  it('reads UTF-8 with a BOM and ISO-8859-1 without one (image-serving.md §4.1)', () => {
    expect(decodeRecordList(Buffer.from([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3, 0xa9]))).toBe('café');
    expect(decodeRecordList(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe('café');
  });

  it('maps the header case-insensitively: Id, Path (default: the id), settable fields; ignores . and unknown columns', () => {
    const list = parseRecordList('ID\tpath\tmodifier\tUSERDATA\t.note\tFolder\nx\t\twid=10\tk=v\tn\tf\n\ty\t\t\t\t\n', '\t');
    expect(list.rows).toEqual([{ line: 2, id: 'x', path: 'x', fields: { Modifier: 'wid=10', UserData: 'k=v' } }]);
    expect(list.ignoredColumns).toEqual(['Folder']);
    expect(list.problems).toEqual(['line 3: no Id']);
    expect(parseRecordList('Path\na.jpg\n', '\t').problems).toEqual(['the header row has no Id column']);
  });

  it('draws a bar on a TTY and plain lines otherwise', () => {
    let tty = '';
    const bar = new ImportProgress({ isTTY: true, write: (s) => ((tty += s), true) }, 2);
    bar.step('a', { jobId: 'AJ1' });
    bar.step('b', { error: 'boom' });
    expect(tty).toBe(`\r[${'#'.repeat(15)}${'.'.repeat(15)}] 1/2  failed 0\r[${'#'.repeat(30)}] 2/2  failed 1\n`);
    let plain = '';
    const lines = new ImportProgress({ write: (s) => ((plain += s), true) }, 2);
    lines.step('a', { jobId: 'AJ1' });
    lines.step('b', { error: 'boom' });
    expect(plain).toBe('ok 1/2 a job AJ1\nfailed 2/2 b: boom\n');
  });
});

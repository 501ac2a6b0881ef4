import { parseAttributeFile } from './attribute-file';

const values = (text: string): Record<string, string> =>
  Object.fromEntries([...parseAttributeFile(text, 'x.ini').entries].map(([k, e]) => [k, e.value]));

describe('parseAttributeFile (§4.1)', () => {
  it('accepts CR, LF and CRLF line ends in one file', () => {
    expect(values('A=1\rB=2\nC=3\r\nD=4')).toEqual({ a: '1', b: '2', c: '3', d: '4' });
  });

  it('treats names case-insensitively and lets the last duplicate win', () => {
    const file = parseAttributeFile('MaxPix=1,1\nmaxpix=2,2\nMAXPIX=3,3\n', 'x.ini');
    expect(file.entries.get('maxpix')).toEqual({ name: 'MAXPIX', value: '3,3', line: 3 });
  });

  it('skips comment lines starting in column 1 and blank lines', () => {
    expect(values('# RootId=nope\n\n  \nRootId=cat\n')).toEqual({ rootid: 'cat' });
  });

  it('allows whitespace around the tokens', () => {
    expect(values('  ErrorDetail =  2  \n')).toEqual({ errordetail: '2' });
  });

  it('joins a value continued with a trailing backslash, dropping the continuation indent', () => {
    const file = parseAttributeFile('CatalogFile=a.txt,\\\r\n    b.txt,\\\n  c.txt\nX=1', 'x.ini');
    expect(file.entries.get('catalogfile')).toEqual({ name: 'CatalogFile', value: 'a.txt,b.txt,c.txt', line: 1 });
    expect(file.entries.get('x')?.line).toBe(4);
  });

  it('does not continue after an escaped backslash', () => {
    expect(values('RootPath=C:\\\\\nX=1')).toEqual({ rootpath: 'C:\\\\', x: '1' });
  });

  it('keeps an empty value (defined but empty) apart from an absent one', () => {
    const file = parseAttributeFile('DefaultImage=\n', 'x.ini');
    expect(file.entries.get('defaultimage')?.value).toBe('');
    expect(file.entries.has('errorimage')).toBe(false);
  });

  it('splits at the first = only', () => {
    expect(values('PublishInfo=a=b=c')).toEqual({ publishinfo: 'a=b=c' });
  });

  it('warns about and skips lines without = or with an invalid name', () => {
    const file = parseAttributeFile('just text\nbad name=1\nok=2', 'x.ini');
    expect([...file.entries.keys()]).toEqual(['ok']);
    expect(file.warnings).toEqual([
      'x.ini:1: no \'=\' in "just text"; line ignored',
      'x.ini:2: invalid attribute name "bad name"; line ignored',
    ]);
  });
});

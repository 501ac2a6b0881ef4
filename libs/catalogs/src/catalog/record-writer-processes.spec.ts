import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CatalogRecord } from './catalog-record';
import { readRecords } from './data-files';
import { decodeCatalogText } from './text-decoding';
import { parseTsv } from './tsv-table';

const CHILD = resolve(__dirname, '../test/record-writer-child.ts');

function runChild(file: string, prefix: string, count: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, prefix, String(count)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`child ${prefix} exited with ${code}: ${stderr}`))));
  });
}

describe('RecordFileWriter across processes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'record-writer-procs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('three processes publishing 50 records each into one Latin-1 catalog file lose none, and keep the existing bytes', async () => {
    const file = join(dir, 'records.tsv');
    const head = Buffer.from('Id\tPath\t.note\r\nold\tcaf\u00e9.tif\tkept as is\r\n', 'latin1');
    writeFileSync(file, head);
    await Promise.all(['p1', 'p2', 'p3'].map((prefix) => runChild(file, prefix, 50)));

    const data = readFileSync(file);
    const records = new Map<string, CatalogRecord>();
    await readRecords(parseTsv(decodeCatalogText(data), file), records, []);
    expect(records.size).toBe(151);
    for (const prefix of ['p1', 'p2', 'p3']) {
      for (let i = 0; i < 50; i++) {
        expect([prefix, i, records.get(`${prefix}-${i}`)?.path]).toEqual([prefix, i, `${prefix}/${i}.tif`]);
      }
    }
    expect(data.subarray(0, 'Id\tPath\t.note'.length).toString('latin1')).toBe('Id\tPath\t.note');
    expect(data.includes(head.subarray(head.indexOf('\r\n') + 2))).toBe(true);
    expect(readdirSync(dir)).toEqual(['records.tsv']);
  }, 120_000);
});

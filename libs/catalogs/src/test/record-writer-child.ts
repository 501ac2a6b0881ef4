/**
 * Child process of record-writer-processes.spec.ts: publishes `count` records named
 * `${prefix}-${i}` into one record file, one transaction each, as a worker would.
 * Run: node --import tsx record-writer-child.ts <file> <prefix> <count>
 */
import { RecordFileWriter } from '../catalog/record-writer';

async function main(): Promise<void> {
  const [file, prefix, count] = process.argv.slice(2);
  if (file === undefined || prefix === undefined || count === undefined) {
    throw new Error('usage: record-writer-child.ts <file> <prefix> <count>');
  }
  const writer = new RecordFileWriter({ timeoutMs: 60_000, staleMs: 20_000 });
  for (let i = 0; i < Number(count); i++) {
    await writer.upsert(file, `${prefix}-${i}`, { Path: `${prefix}/${i}.tif`, Size: `${i + 1},${i + 1}` });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

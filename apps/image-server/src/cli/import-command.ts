import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { ImportClient } from './import-client';
import { ImportProgress, type ProgressStream } from './progress';
import { decodeRecordList, parseRecordList, type ImportRow } from './record-list';

/** Options of `import`. */
export interface ImportOptions {
  catalog?: string | undefined;
  dir?: string | undefined;
  records?: string | undefined;
  api?: string | undefined;
  token?: string | undefined;
  concurrency?: string | undefined;
  wait?: boolean | undefined;
}

interface Failure {
  id: string;
  line: number;
  error: string;
}

/**
 * Bulk import: every row of the record list is uploaded through the management API (a few at a
 * time), with a progress bar on a TTY (plain lines otherwise) and a summary of failures at the end.
 * With `--wait`, each job is followed until the worker finished it. Exit code 1 when any row failed.
 */
export async function importCommand(options: ImportOptions, out: ProgressStream, err: ProgressStream): Promise<number> {
  const { catalog, dir, records, api, token } = options;
  const concurrency = Number(options.concurrency ?? '4');
  if (catalog === undefined || dir === undefined || records === undefined || api === undefined || token === undefined || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    err.write('import needs --catalog, --dir, --records, the API (--api or IS_API_URL) and a token (--token or IS_API_TOKEN); --concurrency is 1-64\n');
    return 2;
  }
  const list = parseRecordList(decodeRecordList(await readFile(records)), extname(records).toLowerCase() === '.csv' ? ',' : '\t');
  list.problems.forEach((p) => err.write(`skipped: ${p}\n`));
  if (list.ignoredColumns.length > 0) {
    err.write(`ignored columns (not settable record fields): ${list.ignoredColumns.join(', ')}\n`);
  }
  const client = new ImportClient(api.replace(/\/+$/, ''), token);
  const progress = new ImportProgress(out, list.rows.length);
  const failures: Failure[] = [];
  const queue = [...list.rows];
  const next = async (): Promise<void> => {
    for (let row = queue.shift(); row !== undefined; row = queue.shift()) {
      const error = await importRow(client, catalog, resolve(dir), row, options.wait === true);
      if (error !== undefined) {
        failures.push({ id: row.id, line: row.line, error: error.message });
      }
      progress.step(row.id, { jobId: error?.jobId, error: error?.message });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, list.rows.length)) }, next));
  out.write(`imported ${list.rows.length - failures.length} of ${list.rows.length} into ${catalog}; ${failures.length} failed\n`);
  failures.forEach((f) => out.write(`  line ${f.line} ${f.id}: ${f.error}\n`));
  return failures.length > 0 || list.problems.length > 0 ? 1 : 0;
}

/** Uploads one row; the failure (with its job id when there is one), or `undefined`. */
async function importRow(client: ImportClient, catalog: string, dir: string, row: ImportRow, wait: boolean): Promise<{ message: string; jobId?: string } | undefined> {
  const file = resolve(dir, row.path);
  if (!file.startsWith(`${dir}${sep}`)) {
    return { message: `Path ${row.path} is outside the import folder` };
  }
  const facts = await stat(file).catch(() => undefined);
  if (facts === undefined || !facts.isFile()) {
    return { message: `no file ${row.path} in the import folder` };
  }
  const key = createHash('sha256').update(JSON.stringify([catalog, row.id, facts.size, facts.mtimeMs, row.fields])).digest('hex');
  let jobId: string;
  try {
    jobId = await client.upload(catalog, row.id, file, row.fields, `import-${key.slice(0, 48)}`);
  } catch (error) {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  const failed = wait ? await client.outcome(jobId) : undefined;
  return failed === undefined ? undefined : { message: failed, jobId };
}

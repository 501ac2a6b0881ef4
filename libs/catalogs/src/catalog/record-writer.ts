import { randomUUID } from 'node:crypto';
import { chmod, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { acquireRecordLock, DEFAULT_RECORD_LOCK_OPTIONS, type HeldLock, type RecordLockOptions } from './record-writer-lock';
import { removeRecord, upsertRecord, type RecordFieldValues } from './record-writer-edit';

/** What an edit decided: the new content of the files it changed, and a value for the caller. */
export interface RecordFilesChange<T> {
  readonly writes: ReadonlyMap<string, Buffer>;
  readonly value: T;
}

/** The current content of each file of a transaction (`undefined`: the file does not exist). */
export type RecordFilesContent = ReadonlyMap<string, Buffer | undefined>;

/**
 * Writes record files (§4.1) of catalogs that several processes, possibly on several machines,
 * publish into at once (issue 17).
 *
 * - Serialized: each file has a lock file `.<name>.lock` beside it (see record-writer-lock.ts);
 *   a transaction takes the locks of all its files in sorted order, so two never wait on each
 *   other in a cycle, reads the files, and lets the edit decide from what it read.
 * - Atomic: a changed file is written to `.<name>.<random>.tmp` in the same folder, flushed to
 *   disk, and renamed over the file (its mode kept); a reader sees the old or the new file, never a
 *   mix, and a crash leaves at most a stray hidden temporary file. Files of one transaction are
 *   renamed one after the other: a reader may see one renamed before the next.
 * - Hidden names: image-server's catalog watcher ignores files whose names start with `.`.
 */
export class RecordFileWriter {
  constructor(private readonly lockOptions: RecordLockOptions = DEFAULT_RECORD_LOCK_OPTIONS) {}

  /** Runs `edit` on the files' current content while holding their locks, and commits what it returns. */
  async transact<T>(files: readonly string[], edit: (content: RecordFilesContent) => RecordFilesChange<T> | Promise<RecordFilesChange<T>>): Promise<T> {
    const sorted = [...new Set(files)].sort();
    const locks: HeldLock[] = [];
    try {
      for (const file of sorted) {
        locks.push(await acquireRecordLock(lockPathOf(file), this.lockOptions));
      }
      const content = new Map<string, Buffer | undefined>();
      for (const file of sorted) {
        content.set(file, await readOrUndefined(file));
      }
      const change = await edit(content);
      for (const [file, data] of change.writes) {
        if (!content.has(file)) {
          throw new Error(`${file} was not locked by this transaction`);
        }
        await Promise.all(locks.map((lock) => lock.assertHeld()));
        await replaceFile(file, data);
      }
      return change.value;
    } finally {
      await Promise.all(locks.map((lock) => lock.release()));
    }
  }

  /** Sets fields of one record in one file (see `upsertRecord`), creating the file when needed. */
  upsert(file: string, id: string, fields: RecordFieldValues): Promise<void> {
    return this.transact([file], (content) => ({
      writes: new Map([[file, upsertRecord(content.get(file), file, id, fields)]]),
      value: undefined,
    }));
  }

  /** Removes record `id` from one file; false when the file did not hold it. */
  remove(file: string, id: string): Promise<boolean> {
    return this.transact([file], (content) => {
      const data = content.get(file);
      const next = data === undefined ? undefined : removeRecord(data, file, id);
      return { writes: next === undefined ? new Map() : new Map([[file, next]]), value: next !== undefined };
    });
  }
}

/** The lock file of a record file. */
export function lockPathOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.lock`);
}

async function readOrUndefined(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
}

/** Writes `data` to a hidden temporary file beside `file`, flushes it and renames it over `file`. */
export async function replaceFile(file: string, data: Buffer): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  const mode = await stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) {
      await chmod(temp, mode);
    }
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FileStamp } from './catalog';

/**
 * Every file-system access of catalog loading and watching. Tests use it on real temp folders;
 * it is a class so a caller can substitute another source of catalog files.
 */
export class CatalogFilesRepository {
  /** Whole file content. */
  readFile(path: string): Promise<Buffer> {
    return readFile(path);
  }

  /** mtime and size; `undefined` when the file does not exist. */
  async stamp(path: string): Promise<FileStamp | undefined> {
    try {
      const s = await stat(path);
      return { path, mtimeMs: s.mtimeMs, size: s.size };
    } catch (err) {
      if (isNotFound(err)) {
        return undefined;
      }
      throw err;
    }
  }

  /** Absolute paths of the `*.ini` files directly in `dir` (case-insensitive suffix), sorted. */
  async listIniFiles(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.ini'))
      .map((e) => join(dir, e.name))
      .sort();
  }

  /** Absolute paths of the regular files directly in `dir`, sorted. */
  async listFiles(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map((e) => join(dir, e.name))
      .sort();
  }

  /** The real path of `path`, or `path` itself when it does not exist (yet). */
  async realPathOrSelf(path: string): Promise<string> {
    try {
      return await realpath(path);
    } catch {
      return resolve(path);
    }
  }

  /**
   * Watches folders (not recursively) and calls `onChange` with the changed file name's folder
   * and name. Folders that cannot be watched are reported through `onError` and skipped.
   */
  watchFolders(dirs: readonly string[], onChange: (dir: string, file: string | null) => void, onError: (err: unknown) => void): { close(): void } {
    const watchers: FSWatcher[] = [];
    for (const dir of new Set(dirs)) {
      try {
        const w = watch(dir, { persistent: false }, (_event, file) => onChange(dir, file === null ? null : String(file)));
        w.on('error', onError);
        watchers.push(w);
      } catch (err) {
        onError(err);
      }
    }
    return {
      close: () => {
        for (const w of watchers) {
          w.close();
        }
      },
    };
  }
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 'ENOENT';
}

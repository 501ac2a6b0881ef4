import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ReactorError } from '@openexp/errors';

/** Where one job's pyramid goes: its record path (relative to the catalog's root path) and files. */
export interface ImageLocation {
  /** As written in the record's `Path` (forward slashes). */
  readonly recordPath: string;
  readonly finalPath: string;
  /** Hidden (image-server's watcher and listings skip dot files), in the same folder: the rename is atomic. */
  readonly tempPath: string;
}

/**
 * The files of the asset ingest on shared storage: staged uploads (read, then deleted) and the
 * published pyramids under each catalog's root path, `<root>/<imageFolder>/<asset id>/<job id>.tif`.
 * A job always writes the same names, so a job run again (crash, retry) overwrites its own
 * temporary file instead of leaving another behind; every job writes a new final name, so a
 * publish never changes a file a replica may be reading.
 */
export class AssetStorage {
  constructor(
    private readonly stagingDir: string,
    private readonly imageFolder: string,
  ) {}

  /**
   * The staged upload of `key`.
   * @throws ReactorError asset-staging-missing when the key is not a plain file name or the file is gone
   */
  async stagedFile(key: string): Promise<string> {
    if (key === '' || key === '.' || key === '..' || /[/\\\0]/.test(key)) {
      throw new ReactorError('asset-staging-missing', `The staging key ${JSON.stringify(key)} is not a file name in the staging store.`);
    }
    const path = join(this.stagingDir, key);
    const found = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!found) {
      throw new ReactorError('asset-staging-missing', `The uploaded file ${key} is not in the staging store (removed, or the store is not shared with this worker).`, {
        meta: { staging_key: key },
      });
    }
    return path;
  }

  /** Deletes a staged upload (after the job's final outcome); a missing one is fine. */
  async discardStaged(key: string): Promise<void> {
    if (key !== '' && !/[/\\\0]/.test(key) && key !== '.' && key !== '..') {
      await rm(join(this.stagingDir, key), { force: true });
    }
  }

  location(rootPath: string, assetId: string, jobId: string): ImageLocation {
    const recordPath = [this.imageFolder, ...assetId.split('/').map(safeSegment), `${safeSegment(jobId)}.tif`].join('/');
    const finalPath = join(rootPath, ...recordPath.split('/'));
    return { recordPath, finalPath, tempPath: join(dirname(finalPath), `.${basename(finalPath)}.tmp`) };
  }

  /** Creates the location's folder. */
  async prepare(location: ImageLocation): Promise<void> {
    await storageStep('create the image folder', () => mkdir(dirname(location.finalPath), { recursive: true }));
  }

  /** Renames the written temporary file to its final name (atomic within the folder). */
  async commit(location: ImageLocation): Promise<void> {
    await storageStep('publish the image file', () => rename(location.tempPath, location.finalPath));
  }

  /** Deletes a published version no record serves any more, if it is one of ours (under the image folder). */
  async retire(rootPath: string, recordPath: string): Promise<void> {
    const segments = recordPath.split('/');
    if (recordPath.startsWith(`${this.imageFolder}/`) && !segments.includes('..') && !segments.includes('.')) {
      await this.discard(join(rootPath, ...segments));
    }
  }

  async discard(path: string): Promise<void> {
    await rm(path, { force: true }).catch(() => undefined);
  }

  async size(path: string): Promise<number | undefined> {
    return stat(path).then(
      (s) => s.size,
      () => undefined,
    );
  }
}

/** A file-name-safe version of one path segment of an id: odd characters replaced, never empty, hidden, `.` or `..`. */
function safeSegment(segment: string): string {
  const safe = segment.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || safe.startsWith('.') ? `_${safe}` : safe;
}

/** Runs a file-system step; its failure becomes the transient `asset-storage-error`. */
export async function storageStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw storageError(what, error);
  }
}

export function storageError(what: string, error: unknown): ReactorError {
  if (error instanceof ReactorError) {
    return error;
  }
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
  return new ReactorError('asset-storage-error', `The worker could not ${what} on the shared storage (${code}).`, { meta: { errno: code }, cause: error });
}

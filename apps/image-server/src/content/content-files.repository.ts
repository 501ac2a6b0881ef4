import { Injectable } from '@nestjs/common';
import { ImageServingError } from '@openexp/errors';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** One static content file, open for reading: what was checked is what is read. */
export interface OpenContentFile {
  /** Real path (symlinks resolved), checked against the roots before opening. */
  readonly realPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** `realPath|mtimeMs|size|ino`: names this version of the file. */
  readonly version: string;
  /** Streams bytes `start`..`end` (inclusive) and closes the file when done or destroyed. */
  stream(start: number, end: number): Readable;
  /** Streams bytes `start`..`end` (inclusive) and leaves the file open. */
  peek(start: number, end: number): Readable;
  /** Closes the file without reading it (HEAD, 304, 416). */
  close(): Promise<void>;
}

const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG']);

/**
 * Files hashed for their ETag at most (bytes); a larger one gets a validator made from its
 * version instead, so the first request for a large video does not wait for it to be read whole.
 */
export const CONTENT_MD5_MAX_BYTES = 64 * 1024 * 1024;

/** Hashes remembered at most; beyond that the memo starts over. */
const MAX_REMEMBERED = 10_000;

/**
 * The file system side of static content (`/is/content`): resolves symlinks, opens files so that
 * a FIFO or device cannot block a request and a symlink swapped in after the check is not
 * followed, and streams byte ranges. Contents are never read whole into memory.
 */
@Injectable()
export class ContentFilesRepository {
  private readonly md5s = new Map<string, Promise<string>>();

  /**
   * Opens a file for reading. `assertInside` receives the real path first and throws to refuse
   * it (the catalogs' root guard). `IMG_NOT_FOUND` (naming `displayPath`) when the file does not
   * exist or is not a regular file.
   */
  async open(absPath: string, displayPath: string, assertInside: (realPath: string) => void): Promise<OpenContentFile> {
    let realPath: string;
    try {
      realPath = await realpath(absPath);
    } catch (cause) {
      throw notFound(cause, displayPath);
    }
    assertInside(realPath);
    let handle: FileHandle;
    try {
      // O_NOFOLLOW: the real path has no symlink now; if one is swapped in, opening fails.
      // O_NONBLOCK: opening a FIFO does not wait for a writer (it is refused below as not a file).
      handle = await open(realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (cause) {
      throw notFound(cause, displayPath);
    }
    try {
      const s = await handle.stat();
      if (!s.isFile()) {
        throw new ImageServingError('IMG_NOT_FOUND', `content file ${displayPath} is not a file`, { path: displayPath });
      }
      return {
        realPath,
        size: s.size,
        mtimeMs: s.mtimeMs,
        version: `${realPath}|${s.mtimeMs}|${s.size}|${s.ino}`,
        stream: (start, end) => handle.createReadStream({ start, end, autoClose: true }),
        peek: (start, end) => handle.createReadStream({ start, end, autoClose: false }),
        close: () => handle.close(),
      };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * The MD5 (hex) of a file's bytes, computed once per version by streaming it (never read whole),
   * or `null` when the file is larger than {@link CONTENT_MD5_MAX_BYTES}. Concurrent requests for
   * the same version share one computation; a failed one is not remembered.
   */
  md5(file: OpenContentFile): Promise<string> | null {
    if (file.size > CONTENT_MD5_MAX_BYTES) {
      return null;
    }
    const known = this.md5s.get(file.version);
    if (known !== undefined) {
      return known;
    }
    if (this.md5s.size >= MAX_REMEMBERED) {
      this.md5s.clear();
    }
    const computed = hashFile(file);
    this.md5s.set(file.version, computed);
    computed.catch(() => this.md5s.delete(file.version));
    return computed;
  }
}

/** MD5 of an open file's bytes, read in stream chunks through its handle (which stays open). */
async function hashFile(file: OpenContentFile): Promise<string> {
  const hash = createHash('md5');
  if (file.size > 0) {
    for await (const chunk of file.peek(0, file.size - 1)) {
      hash.update(chunk as Buffer);
    }
  }
  return hash.digest('hex');
}

function notFound(cause: unknown, displayPath: string): ImageServingError {
  const code = (cause as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' && NOT_FOUND_CODES.has(code) ? 'does not exist' : 'cannot be opened';
  return new ImageServingError('IMG_NOT_FOUND', `content file ${displayPath} ${why}`, { path: displayPath, cause });
}

import { Inject, Injectable } from '@nestjs/common';
import { ImageServingError } from '@openexp/errors';
import { realpath, stat } from 'node:fs/promises';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';

/** Identity of one version of a source file. */
export interface SourceStamp {
  /** Real path (symlinks resolved): what is checked against the roots and read. */
  realPath: string;
  mtimeMs: number;
  size: number;
  /** `realPath|mtimeMs|size`: names this version in cache keys. */
  version: string;
}

const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG']);

/** Sources whose stats are remembered at most; beyond that the memo starts over. */
const MAX_REMEMBERED = 10_000;

interface Memo {
  stamp: Promise<SourceStamp>;
  /** When the stat was taken. */
  at: number;
  /** A newer stat is being taken (started when the memo passed half its lifetime). */
  refreshing: boolean;
}

/**
 * File system checks for source images (async; libvips reads the files itself). A stat is reused
 * for `IS_SOURCE_STAT_TTL_MS`, so a replaced file shows up within that time and cache hits cost no
 * system call. A busy source never waits for its stat: once a stat is half its lifetime old, the
 * request using it starts the next one in the background, and requests switch to the new stat
 * when it has arrived (a failed one, e.g. the file was deleted, replaces the memo at once).
 */
@Injectable()
export class SourceFilesRepository {
  private readonly stamps = new Map<string, Memo>();
  private readonly ttlMs: number;

  constructor(@Inject(IMAGE_SERVER_CONFIG) config: ImageServerConfig) {
    this.ttlMs = config.sourceStatTtlMs;
  }

  /**
   * The real path, mtime and size of a source; `IMG_NOT_FOUND` (naming `displayPath`) when it
   * does not exist or is not a file.
   */
  stamp(absPath: string, displayPath: string): Promise<SourceStamp> {
    if (this.ttlMs <= 0) {
      return this.statNow(absPath, displayPath);
    }
    const now = this.now();
    const memo = this.stamps.get(absPath);
    if (memo !== undefined && now - memo.at < this.ttlMs) {
      if (!memo.refreshing && now - memo.at >= this.ttlMs / 2) {
        memo.refreshing = true;
        this.refresh(absPath, displayPath, now);
      }
      return memo.stamp;
    }
    return this.remember(absPath, this.statNow(absPath, displayPath), now);
  }

  /** Forgets a source's stat (its file was just replaced): the next request stats it again. */
  forget(absPath: string): void {
    this.stamps.delete(absPath);
  }

  /** Clock of the memo (ms). */
  protected now(): number {
    return Date.now();
  }

  private refresh(absPath: string, displayPath: string, at: number): void {
    const next = this.statNow(absPath, displayPath);
    // Settled, it replaces the memo; a failure too, so a deleted file is noticed at once.
    const replace = (): void => {
      void this.remember(absPath, next, at);
    };
    void next.then(replace, replace);
  }

  private remember(absPath: string, stamp: Promise<SourceStamp>, at: number): Promise<SourceStamp> {
    if (this.stamps.size >= MAX_REMEMBERED && !this.stamps.has(absPath)) {
      this.stamps.clear();
    }
    this.stamps.set(absPath, { stamp, at, refreshing: false });
    // A failed stat is not remembered: the file may appear any moment.
    stamp.catch(() => {
      if (this.stamps.get(absPath)?.stamp === stamp) {
        this.stamps.delete(absPath);
      }
    });
    return stamp;
  }

  /** One stat of a source, now (both seams of this class are for tests: clock and stat calls). */
  protected async statNow(absPath: string, displayPath: string): Promise<SourceStamp> {
    try {
      // One round trip through the thread pool: stat follows symlinks to the file realpath names.
      const [realPath, s] = await Promise.all([realpath(absPath), stat(absPath)]);
      if (!s.isFile()) {
        throw Object.assign(new Error(`${displayPath} is not a file`), { code: 'EISDIR' });
      }
      return { realPath, mtimeMs: s.mtimeMs, size: s.size, version: `${realPath}|${s.mtimeMs}|${s.size}` };
    } catch (cause) {
      throw this.notFound(cause, displayPath);
    }
  }

  private notFound(cause: unknown, displayPath: string): ImageServingError {
    const code = (cause as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && NOT_FOUND_CODES.has(code)) {
      return new ImageServingError('IMG_NOT_FOUND', `image file ${displayPath} does not exist`, { path: displayPath, cause });
    }
    return new ImageServingError('IMG_NOT_FOUND', `image file ${displayPath} cannot be opened`, { path: displayPath, cause });
  }
}

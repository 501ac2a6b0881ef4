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
}

const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG']);

/**
 * File system checks for source images (async; libvips reads the files itself). Stats are reused for `IS_SOURCE_STAT_TTL_MS`
 * so cache hits cost no system call; a replaced file shows up within that time.
 */
@Injectable()
export class SourceFilesRepository {
  private readonly stamps = new Map<string, { stamp: Promise<SourceStamp>; until: number }>();
  private readonly ttlMs: number;

  constructor(@Inject(IMAGE_SERVER_CONFIG) config: ImageServerConfig) {
    this.ttlMs = config.sourceStatTtlMs;
  }

  /**
   * The real path, mtime and size of a source; `IMG_NOT_FOUND` (naming `displayPath`) when it
   * does not exist or is not a file.
   */
  stamp(absPath: string, displayPath: string): Promise<SourceStamp> {
    const now = Date.now();
    const memo = this.stamps.get(absPath);
    if (memo !== undefined && memo.until > now) {
      return memo.stamp;
    }
    const stamp = this.statNow(absPath, displayPath);
    if (this.ttlMs > 0) {
      if (this.stamps.size > 10_000) {
        this.stamps.clear();
      }
      this.stamps.set(absPath, { stamp, until: now + this.ttlMs });
      // A failed stat is not remembered: the file may appear any moment.
      stamp.catch(() => this.stamps.delete(absPath));
    }
    return stamp;
  }

  private async statNow(absPath: string, displayPath: string): Promise<SourceStamp> {
    try {
      const realPath = await realpath(absPath);
      const s = await stat(realPath);
      if (!s.isFile()) {
        throw Object.assign(new Error(`${displayPath} is not a file`), { code: 'EISDIR' });
      }
      return { realPath, mtimeMs: s.mtimeMs, size: s.size };
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

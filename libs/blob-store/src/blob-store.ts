import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/** Metadata of a stored blob. */
export interface BlobInfo {
  key: string;
  size: number;
  modifiedAt: Date;
}

/**
 * Where the product keeps files: uploaded extension package zips, their extracted files, and the
 * libraries deployed to managed (`akamai`) hosts. Keys are `/`-separated relative paths.
 * A folder today (shared by reactor-api and build-worker); the interface is small enough for an
 * S3-compatible store later.
 */
export interface BlobStore {
  /** Writes atomically: readers see the old content or the new, never a partial file. */
  put(key: string, data: Buffer | string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Undefined when absent. */
  stat(key: string): Promise<BlobInfo | undefined>;
  stream(key: string): ReadStream;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
  /** Keys under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Absolute path of a key on disk (for serving with sendfile); file stores only. */
  pathOf(key: string): string;
}

export class InvalidBlobKeyError extends Error {
  constructor(key: string) {
    super(`invalid blob key ${JSON.stringify(key)}`);
    this.name = 'InvalidBlobKeyError';
  }
}

const SEGMENT = /^[A-Za-z0-9@~+_.,=-][A-Za-z0-9@~+_.,= -]*$/;

/** Refuses keys that could leave the root: absolute, `..`, empty segments, NUL, backslashes. */
export function assertBlobKey(key: string): void {
  if (key.length === 0 || key.length > 1024 || key.startsWith('/') || key.includes('\\') || key.includes('\0')) {
    throw new InvalidBlobKeyError(key);
  }
  for (const segment of key.split('/')) {
    if (segment === '.' || segment === '..' || !SEGMENT.test(segment)) {
      throw new InvalidBlobKeyError(key);
    }
  }
}

export class FsBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  pathOf(key: string): string {
    assertBlobKey(key);
    const full = resolve(this.root, key);
    if (!full.startsWith(this.root + sep)) {
      throw new InvalidBlobKeyError(key);
    }
    return full;
  }

  async put(key: string, data: Buffer | string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, data);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { key, size: s.size, modifiedAt: s.mtime } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        return undefined;
      }
      throw error;
    }
  }

  stream(key: string): ReadStream {
    return createReadStream(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix.replace(/\/+$/, '')), { recursive: true, force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.pathOf(prefix.replace(/\/+$/, ''));
    const out: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return;
        }
        throw error;
      }
      for (const entry of entries) {
        const childRel = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          await walk(join(dir, entry.name), childRel);
        } else if (entry.isFile() && !entry.name.endsWith('.tmp')) {
          out.push(`${prefix.replace(/\/+$/, '')}/${childRel}`);
        }
      }
    };
    await walk(base, '');
    return out.sort();
  }
}

/** Content hash used for upload keys and ETags. */
export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ReactorError } from '@openexp/errors';
import yauzl from 'yauzl';

export interface ZipLimits {
  /** Total uncompressed bytes. */
  maxBytes: number;
  /** Number of entries (files and folders). */
  maxFiles: number;
  /** Largest uncompressed/compressed ratio of an entry over 1 MiB (zip bombs). */
  maxRatio: number;
}

const RATIO_FLOOR_BYTES = 1024 * 1024;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

const zipError = (detail: string): ReactorError => new ReactorError('extension-package-zip-error', detail);

/**
 * Checks an entry name is a plain relative path inside the package: no absolute paths, drive
 * letters, backslashes, NUL, or `..` segments. Returns the normalised path.
 */
export function safeEntryPath(name: string): string {
  if (name.includes('\\') || name.includes('\0') || name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    throw zipError(`The zip entry "${name}" has an unsafe path.`);
  }
  const normalised = posix.normalize(name);
  if (normalised === '..' || normalised.startsWith('../') || normalised.split('/').includes('..')) {
    throw zipError(`The zip entry "${name}" points outside the package.`);
  }
  return normalised;
}

/** yauzl refuses unsafe names itself; keep its finding specific. */
function fromYauzl(err: unknown): ReactorError {
  const message = err instanceof Error ? err.message : '';
  const relative = /invalid relative path: (.*)$/.exec(message);
  if (relative) {
    return zipError(`The zip entry "${relative[1] ?? ''}" points outside the package.`);
  }
  const absolute = /absolute path: (.*)$/.exec(message);
  if (absolute) {
    return zipError(`The zip entry "${absolute[1] ?? ''}" has an unsafe path.`);
  }
  return zipError('The zip archive is corrupted.');
}

/**
 * Extracts a zip into `targetDir` safely: every entry path is checked, symlinks and other special
 * files are refused, and the number of entries, the total size (counted while inflating, not taken
 * from headers) and each large entry's compression ratio are bounded.
 * Returns the extracted file paths (relative, `/`-separated).
 * @throws ReactorError `extension-package-zip-error`.
 */
export async function extractZip(zip: Buffer, targetDir: string, limits: ZipLimits): Promise<string[]> {
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, z) => (err || !z ? reject(err) : resolve(z))),
    );
  } catch {
    throw zipError('The upload is not a readable zip archive.');
  }
  if (zipfile.entryCount > limits.maxFiles) {
    zipfile.close();
    throw zipError(`The package has ${zipfile.entryCount} entries; at most ${limits.maxFiles} are allowed.`);
  }

  const files: string[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown): void => {
        zipfile.close();
        reject(error);
      };
      zipfile.on('error', (err: unknown) => fail(err instanceof ReactorError ? err : fromYauzl(err)));
      zipfile.on('end', () => resolve());
      zipfile.on('entry', (entry: yauzl.Entry) => {
        handleEntry(entry).then(
          () => zipfile.readEntry(),
          (error: unknown) => fail(error),
        );
      });
      zipfile.readEntry();
    });
  } catch (error) {
    if (error instanceof ReactorError) {
      throw error;
    }
    throw zipError('The zip archive is corrupted.');
  }
  return files;

  async function handleEntry(entry: yauzl.Entry): Promise<void> {
    const isDir = entry.fileName.endsWith('/');
    const path = safeEntryPath(isDir ? entry.fileName.slice(0, -1) : entry.fileName);
    const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (mode === S_IFLNK) {
      throw zipError(`The zip entry "${entry.fileName}" is a symbolic link; links are not allowed.`);
    }
    if (mode !== 0 && mode !== 0o100000 && mode !== 0o040000) {
      throw zipError(`The zip entry "${entry.fileName}" is not a regular file.`);
    }
    if (isDir || path === '.') {
      return;
    }
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.maxRatio) {
      throw zipError(`The zip entry "${entry.fileName}" is compressed more than ${limits.maxRatio}:1.`);
    }
    if (total + entry.uncompressedSize > limits.maxBytes) {
      throw zipError(`The package is larger than ${limits.maxBytes} bytes uncompressed.`);
    }
    const target = join(targetDir, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zipfile.openReadStream(entry, (err, s) => (err || !s ? reject(zipError(`The zip entry "${entry.fileName}" cannot be read.`)) : resolve(s))),
    );
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        total += chunk.length;
        if (total > limits.maxBytes) {
          done(zipError(`The package is larger than ${limits.maxBytes} bytes uncompressed.`));
          return;
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, counter, createWriteStream(target, { flags: 'wx' }));
    } catch (error) {
      if (error instanceof ReactorError) {
        throw error;
      }
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw zipError(`The zip has the entry "${entry.fileName}" twice.`);
      }
      throw zipError(`The zip entry "${entry.fileName}" is corrupted.`);
    }
    files.push(path);
  }
}

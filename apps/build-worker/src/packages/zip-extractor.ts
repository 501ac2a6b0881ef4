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
  const zipfile = await openZip(zip);
  if (zipfile.entryCount > limits.maxFiles) {
    zipfile.close();
    throw zipError(`The package has ${zipfile.entryCount} entries; at most ${limits.maxFiles} are allowed.`);
  }
  try {
    return await new ZipExtraction(zipfile, targetDir, limits).run();
  } catch (error) {
    if (error instanceof ReactorError) {
      throw error;
    }
    throw zipError('The zip archive is corrupted.');
  }
}

async function openZip(zip: Buffer): Promise<yauzl.ZipFile> {
  try {
    return await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, z) => (err || !z ? reject(err) : resolve(z))),
    );
  } catch {
    throw zipError('The upload is not a readable zip archive.');
  }
}

/** One extraction: entries read one at a time, checked, and written while counting the bytes inflated. */
class ZipExtraction {
  private readonly files: string[] = [];
  /** Uncompressed bytes written so far. */
  private total = 0;

  constructor(
    private readonly zipfile: yauzl.ZipFile,
    private readonly targetDir: string,
    private readonly limits: ZipLimits,
  ) {}

  /** The extracted file paths; rejects with the first problem (the zip is closed). */
  async run(): Promise<string[]> {
    const zipfile = this.zipfile;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown): void => {
        zipfile.close();
        reject(error);
      };
      zipfile.on('error', (err: unknown) => fail(err instanceof ReactorError ? err : fromYauzl(err)));
      zipfile.on('end', () => resolve());
      zipfile.on('entry', (entry: yauzl.Entry) => {
        this.handleEntry(entry).then(
          () => zipfile.readEntry(),
          (error: unknown) => fail(error),
        );
      });
      zipfile.readEntry();
    });
    return this.files;
  }

  private async handleEntry(entry: yauzl.Entry): Promise<void> {
    const path = this.checkedFilePath(entry);
    if (path === null) {
      return;
    }
    const target = join(this.targetDir, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      this.zipfile.openReadStream(entry, (err, s) => (err || !s ? reject(zipError(`The zip entry "${entry.fileName}" cannot be read.`)) : resolve(s))),
    );
    try {
      await pipeline(stream, this.byteCounter(), createWriteStream(target, { flags: 'wx' }));
    } catch (error) {
      if (error instanceof ReactorError) {
        throw error;
      }
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw zipError(`The zip has the entry "${entry.fileName}" twice.`);
      }
      throw zipError(`The zip entry "${entry.fileName}" is corrupted.`);
    }
    this.files.push(path);
  }

  /**
   * The entry's safe relative path, or `null` for a folder; refuses links, special files, an
   * entry compressed beyond the ratio and one that the headers say would exceed the total.
   */
  private checkedFilePath(entry: yauzl.Entry): string | null {
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
      return null;
    }
    const { maxRatio, maxBytes } = this.limits;
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize / Math.max(entry.compressedSize, 1) > maxRatio) {
      throw zipError(`The zip entry "${entry.fileName}" is compressed more than ${maxRatio}:1.`);
    }
    if (this.total + entry.uncompressedSize > maxBytes) {
      throw zipError(`The package is larger than ${maxBytes} bytes uncompressed.`);
    }
    return path;
  }

  /** Passes chunks through, failing once the bytes actually inflated exceed `maxBytes`. */
  private byteCounter(): Transform {
    const maxBytes = this.limits.maxBytes;
    return new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        this.total += chunk.length;
        if (this.total > maxBytes) {
          done(zipError(`The package is larger than ${maxBytes} bytes uncompressed.`));
          return;
        }
        done(null, chunk);
      },
    });
  }
}

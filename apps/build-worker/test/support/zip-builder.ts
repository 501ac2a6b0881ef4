import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  content: string | Buffer;
  /** Unix mode, e.g. 0o120777 for a symbolic link. */
  mode?: number;
  /** Store without compression. */
  store?: boolean;
}

/** Builds a zip in memory. */
export async function zipOf(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    zip.addBuffer(Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content), e.name, { ...(e.mode !== undefined ? { mode: e.mode } : {}), ...(e.store ? { compress: false } : {}) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Entries of every file under a folder (for packaging `extensions/core`). */
export async function folderEntries(dir: string): Promise<ZipEntry[]> {
  const out: ZipEntry[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else {
        out.push({ name: relative(dir, full).split('\\').join('/'), content: await readFile(full) });
      }
    }
  };
  await walk(dir);
  return out;
}

/** Rewrites an entry name in place (same length), e.g. to forge `../x` names yazl refuses to write. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) {
    throw new Error('names must have the same length');
  }
  return Buffer.from(zip.toString('latin1').split(from).join(to), 'latin1');
}

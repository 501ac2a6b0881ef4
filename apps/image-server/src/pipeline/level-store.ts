import { hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PyramidLevel } from './pyramid';

/** An evicted file is deleted this long after it left the index, so renders already reading it finish. */
const EVICTED_FILE_GRACE_MS = 60_000;
/** File names in the folder: 40 hex digits of SHA-256 of the source version, `.tif`. */
const NAME = /^[0-9a-f]{40}\.tif$/;

interface Entry {
  bytes: number;
  /** Read on first use for files found at start-up. */
  levels: Promise<readonly PyramidLevel[]> | undefined;
}

/** A derived-levels file being written: read its levels and publish it, or drop it. */
export interface PendingLevelFile {
  /** The file's name in the folder. */
  readonly name: string;
  /** The temporary path to write the levels to. */
  readonly tmp: string;
  /** The path the file will have once published. */
  readonly file: string;
}

/**
 * The level cache's store (issue 18: the store half of {@link LevelCacheService}, which keeps the
 * policy): the folder of derived-levels files, named by a hash of the source version, its index
 * (least recently used first) and eviction down to `maxBytes`. It decides nothing about which
 * sources get levels. Files are written under a temporary name and renamed, so a crash leaves no
 * half-written file; an evicted file leaves the index at once and the disk after a grace period,
 * so renders already reading it finish.
 */
export class LevelStore {
  /** Files in the folder, least recently used first (Map order). */
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;
  /** Evicted files waiting for their grace period, by timer. */
  private readonly doomed = new Map<NodeJS.Timeout, string>();
  private seq = 0;
  /** Source real path of each file written by this process (files found at start-up are not listed). */
  private readonly sources = new Map<string, string>();

  /**
   * @param dir the folder.
   * @param maxBytes the most the indexed files may hold together.
   * @param evicted called once per file evicted for room.
   */
  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly evicted: () => void,
  ) {}

  /** Files and bytes indexed. */
  get size(): { files: number; bytes: number } {
    return { files: this.entries.size, bytes: this.totalBytes };
  }

  /**
   * Checks that the folder can be written, removes unfinished files and indexes the others (oldest
   * first), then evicts down to `maxBytes`.
   * @throws Error (the file system's) when the folder cannot be created, read or written.
   */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // A folder that exists but cannot be written would fail every derivation, one warning each: found out now.
    const probe = join(this.dir, `.write-check.${process.pid}.tmp`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
    const found: { name: string; bytes: number; mtimeMs: number }[] = [];
    for (const name of await readdir(this.dir)) {
      if (name.endsWith('.tmp')) {
        await rm(join(this.dir, name), { force: true });
      } else if (NAME.test(name)) {
        const s = await stat(join(this.dir, name));
        found.push({ name, bytes: s.size, mtimeMs: s.mtimeMs });
      }
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const f of found) {
      this.add(f.name, f.bytes, undefined);
    }
    this.evict();
  }

  /** Deletes the evicted files still in their grace period (at shutdown). */
  async close(): Promise<void> {
    const names = [...this.doomed.values()];
    this.doomed.forEach((_, timer) => clearTimeout(timer));
    this.doomed.clear();
    await Promise.all(names.map((name) => this.deleteUnlessIndexed(name)));
  }

  /** The name of a version's file in the folder (whether or not it exists). */
  nameOf(version: string): string {
    return fileName(version);
  }

  /** True when the version has a file in the index. */
  has(version: string): boolean {
    return this.entries.has(fileName(version));
  }

  /**
   * The levels of a version's file, marking it most recently used; `undefined` when it has none.
   * A file found at start-up is read (by `read`) on first use.
   */
  levels(version: string, read: (file: string) => Promise<readonly PyramidLevel[]>): Promise<readonly PyramidLevel[]> | undefined {
    const name = fileName(version);
    const entry = this.entries.get(name);
    if (entry === undefined) {
      return undefined;
    }
    this.entries.delete(name);
    this.entries.set(name, entry);
    entry.levels ??= read(join(this.dir, name));
    return entry.levels;
  }

  /** True when a version is indexed but its file is no longer on disk (asked only on error paths). */
  gone(version: string): boolean {
    return !existsSync(join(this.dir, fileName(version)));
  }

  /** Drops a version's file from the index (and the disk after the grace period). */
  remove(version: string): void {
    this.removeName(fileName(version));
  }

  /**
   * Drops the files of every version of one source (its real path) this process derived: a
   * published asset changed. Versions are named by mtime and size, so a changed file is never
   * served from old levels anyway; this frees their room at once.
   */
  dropSource(realPath: string): number {
    let dropped = 0;
    for (const [name, source] of this.sources) {
      if (source === realPath) {
        this.sources.delete(name);
        dropped += this.entries.has(name) ? 1 : 0;
        this.removeName(name);
      }
    }
    return dropped;
  }

  /** A temporary path to write a version's levels to, and the path it will be published under. */
  pending(version: string): PendingLevelFile {
    const name = fileName(version);
    this.sources.set(name, version.slice(0, version.lastIndexOf('|', version.lastIndexOf('|') - 1)));
    const file = join(this.dir, name);
    return { name, tmp: `${file}.${process.pid}.${this.seq++}.tmp`, file };
  }

  /** Renames a written file into place, indexes it with its levels and evicts for room. */
  async publish(pending: PendingLevelFile, levels: readonly PyramidLevel[]): Promise<void> {
    const { size: bytes } = await stat(pending.tmp);
    await rename(pending.tmp, pending.file);
    // Indexed (and the folder trimmed) as soon as the file has its name.
    this.add(pending.name, bytes, Promise.resolve(levels.map((level) => ({ ...level, file: pending.file }))));
    this.evict();
  }

  /** Deletes a written file that will not be published. */
  async discard(pending: PendingLevelFile): Promise<void> {
    await rm(pending.tmp, { force: true });
  }

  private add(name: string, bytes: number, levels: Promise<readonly PyramidLevel[]> | undefined): void {
    this.removeName(name);
    this.entries.set(name, { bytes, levels });
    this.totalBytes += bytes;
  }

  /** Least recently used files out until the folder fits `maxBytes`. */
  private evict(): void {
    for (const name of this.entries.keys()) {
      if (this.totalBytes <= this.maxBytes) {
        return;
      }
      this.evicted();
      this.removeName(name);
      this.sources.delete(name);
    }
  }

  /** Out of the index now; the file itself after a grace period, for renders already reading it. */
  private removeName(name: string): void {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      return;
    }
    this.entries.delete(name);
    this.totalBytes -= entry.bytes;
    const timer = setTimeout(() => {
      this.doomed.delete(timer);
      void this.deleteUnlessIndexed(name);
    }, EVICTED_FILE_GRACE_MS);
    timer.unref();
    this.doomed.set(timer, name);
  }

  /** Deletes a file unless it was written again since it was evicted. */
  private async deleteUnlessIndexed(name: string): Promise<void> {
    if (!this.entries.has(name)) {
      await rm(join(this.dir, name), { force: true }).catch(() => undefined);
    }
  }
}

/** A version's file name: 40 hex digits of SHA-256 of the version, `.tif`. */
function fileName(version: string): string {
  return `${hash('sha256', version, 'hex').slice(0, 40)}.tif`;
}

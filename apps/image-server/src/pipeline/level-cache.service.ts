import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Metrics, ROOT_LOGGER } from '@openexp/service-runtime';
import { hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import { ImagePipelineRepository } from './image-pipeline.repository';
import type { PyramidLevel } from './pyramid';
import type { SourceInfo } from './render-types';
import type { SourceStamp } from './source-files.repository';

/** Source formats whose levels are derived (not GIF: palette and animation; not pyramids: they have levels). */
const DERIVABLE = new Set(['jpeg', 'png', 'webp', 'tiff']);
/** Sources with a side shorter than this gain too little from reduced levels to be worth a file. */
const MIN_DERIVED_SIDE = 256;
/** Sources waiting for their levels at most; more are not queued (a later render asks again). */
const MAX_QUEUED = 64;
/** Source versions whose render counts (or failures) are kept at most; beyond that they start over. */
const MAX_COUNTED = 20_000;
/** An evicted file is deleted this long after it left the index, so renders already reading it finish. */
const EVICTED_FILE_GRACE_MS = 60_000;
/** File names in the folder: 40 hex digits of SHA-256 of the source version, `.tif`. */
const NAME = /^[0-9a-f]{40}\.tif$/;

interface Entry {
  bytes: number;
  /** Read on first use for files found at start-up. */
  levels: Promise<readonly PyramidLevel[]> | undefined;
}

interface Job {
  stamp: SourceStamp;
  info: SourceInfo;
}

/**
 * Derived pyramid levels (on by default; `IS_LEVEL_CACHE=0` switches them off), the way Image Serving makes its sources
 * fast (image-serving.md §7, "Performance claims: pyramid TIFF sources") for catalogs whose
 * images are JPEGs or PNGs.
 *
 * A source version (real path, mtime, size) rendered `IS_LEVEL_CACHE_AFTER` times gets its reduced
 * levels (1/2, 1/4 … of its size) written once, in the background, as a tiled pyramid TIFF named
 * by a hash of the version. Later replies that need less than full resolution read the smallest
 * level with the detail they need (see `chooseLevel`); full-resolution replies and layer commands
 * still read the source itself, so level 0 is never a re-encoded copy, unless
 * `IS_LEVEL_CACHE_FULL` asks for the full level too (full-size zoom tiles then read only the tiles
 * they need). A changed source is a new version: its old file is never read again and ages out.
 *
 * Files are written under a temporary name and renamed, so a crash leaves no half-written level
 * file; a derivation is discarded when the source changed while it ran. The folder holds at most
 * `IS_LEVEL_CACHE_BYTES`, least recently used files evicted first. One derivation runs at a time.
 * A render that fails reading a derived file falls back to the source (see `ImageRenderService`).
 */
@Injectable()
export class LevelCacheService implements OnModuleInit, OnModuleDestroy {
  private readonly settings: ImageServerConfig['levelCache'];
  /** From the settings; false also when the default folder turned out unusable at start-up. */
  private enabled: boolean;
  /** Files in the folder, least recently used first (Map order). */
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;
  private readonly renders = new Map<string, number>();
  private readonly queue: Job[] = [];
  private readonly queued = new Set<string>();
  /** Versions whose derivation failed: not tried again while the server runs. */
  private readonly failed = new Set<string>();
  private working: Promise<void> | undefined;
  /** Evicted files waiting for their grace period, by timer. */
  private readonly doomed = new Map<NodeJS.Timeout, string>();
  private seq = 0;
  private readonly events;
  private readonly log: Logger;

  constructor(
    @Inject(IMAGE_SERVER_CONFIG) config: ImageServerConfig,
    private readonly pipeline: ImagePipelineRepository,
    metrics: Metrics,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.settings = config.levelCache;
    this.enabled = config.levelCache.enabled;
    this.events = metrics.counter(
      'is_level_cache_events_total',
      'Level cache: renders reading derived levels (used), files written (derived), sources changed during a derivation (stale), failures (failed), renders that fell back to the source (fallback), files evicted (evicted)',
      ['event'],
    );
    this.log = rootLogger.child({ component: 'level-cache' });
  }

  /**
   * Checks that the folder can be written, indexes the files a previous run left (oldest first) and removes unfinished ones.
   * A default folder (`${DATA_DIR}/image-levels`) that cannot be used switches the level cache off
   * with a warning: a server on a read-only file system still starts, as it did before the level
   * cache was on by default.
   * @throws Error naming IS_LEVEL_CACHE_DIR when the folder it names cannot be created, read or written: the server does not start.
   */
  async onModuleInit(): Promise<void> {
    if (!this.enabled) {
      return;
    }
    let found: { name: string; bytes: number; mtimeMs: number }[];
    try {
      found = await this.scan();
    } catch (cause) {
      if (this.settings.dirGiven) {
        throw new Error(`IS_LEVEL_CACHE_DIR=${this.settings.dir} cannot be used as the level cache folder: ${(cause as Error).message}`, { cause });
      }
      this.enabled = false;
      this.log.warn(
        { dir: this.settings.dir, err: cause },
        'the default level cache folder cannot be used: running without the level cache (set IS_LEVEL_CACHE_DIR to a writable folder, or IS_LEVEL_CACHE=0)',
      );
      return;
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const f of found) {
      this.add(f.name, f.bytes, undefined);
    }
    this.evict();
    this.log.info({ dir: this.settings.dir, files: this.entries.size, bytes: this.totalBytes }, 'level cache ready');
  }

  private async scan(): Promise<{ name: string; bytes: number; mtimeMs: number }[]> {
    await mkdir(this.settings.dir, { recursive: true });
    // A folder that exists but cannot be written would fail every derivation, one warning each: found out now.
    const probe = join(this.settings.dir, `.write-check.${process.pid}.tmp`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
    const found: { name: string; bytes: number; mtimeMs: number }[] = [];
    for (const name of await readdir(this.settings.dir)) {
      if (name.endsWith('.tmp')) {
        await rm(join(this.settings.dir, name), { force: true });
      } else if (NAME.test(name)) {
        const s = await stat(join(this.settings.dir, name));
        found.push({ name, bytes: s.size, mtimeMs: s.mtimeMs });
      }
    }
    return found;
  }

  /** Waits for the derivation in progress (queued ones are dropped), then deletes the evicted files. */
  async onModuleDestroy(): Promise<void> {
    this.queue.length = 0;
    this.queued.clear();
    await this.working;
    const names = [...this.doomed.values()];
    this.doomed.forEach((_, timer) => clearTimeout(timer));
    this.doomed.clear();
    await Promise.all(names.map((name) => this.deleteUnlessIndexed(name)));
  }

  /**
   * The levels to read for a source version, the source itself as level 0, or `undefined` when
   * it has none derived (yet): then this render is counted, and the `IS_LEVEL_CACHE_AFTER`-th
   * queues the derivation.
   */
  async levels(stamp: SourceStamp, info: SourceInfo): Promise<readonly PyramidLevel[] | undefined> {
    if (!this.enabled || !derivable(info)) {
      return undefined;
    }
    const name = fileName(stamp.version);
    const entry = this.entries.get(name);
    if (entry === undefined) {
      this.count(stamp, info);
      return undefined;
    }
    this.entries.delete(name);
    this.entries.set(name, entry);
    entry.levels ??= this.pipeline.levelsOf(join(this.settings.dir, name));
    try {
      const derived = await entry.levels;
      this.events.inc({ event: 'used' });
      // A file of an earlier run may hold the full level or not, whatever IS_LEVEL_CACHE_FULL says now.
      const first = derived[0];
      return first !== undefined && first.width === info.width && first.height === info.height
        ? derived
        : [{ page: 0, width: info.width, height: info.height }, ...derived];
    } catch (cause) {
      this.forget(stamp.version, cause);
      return undefined;
    }
  }

  /**
   * Drops a version's file (a render could not read it): the next renders read the source. A file
   * that is there but unreadable is not derived again while the server runs; a file that is gone
   * (another process sharing the folder evicted it, or somebody emptied the folder) is derived
   * again like a new one.
   */
  forget(version: string, cause?: unknown): void {
    const name = fileName(version);
    if (!this.entries.has(name)) {
      return; // renders that were reading it together: forgotten once
    }
    // Only on this rare error path: the index says the file exists, the disk is asked whether it still does.
    const gone = !existsSync(join(this.settings.dir, name));
    if (!gone) {
      this.fail(version);
    }
    this.events.inc({ event: 'fallback' });
    this.log.warn({ err: cause, file: name }, gone ? 'derived levels gone from the folder; reading the source, and deriving them again' : 'derived levels unreadable; reading the source');
    this.remove(name);
  }

  private count(stamp: SourceStamp, info: SourceInfo): void {
    const { version } = stamp;
    if (this.queued.has(version) || this.failed.has(version)) {
      return;
    }
    if (this.renders.size >= MAX_COUNTED && !this.renders.has(version)) {
      this.renders.clear();
    }
    const n = (this.renders.get(version) ?? 0) + 1;
    if (n < this.settings.after || this.queue.length >= MAX_QUEUED) {
      this.renders.set(version, n);
      return;
    }
    this.renders.delete(version);
    this.queued.add(version);
    this.queue.push({ stamp, info });
    this.working ??= this.work();
  }

  private async work(): Promise<void> {
    for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
      await this.derive(job);
      this.queued.delete(job.stamp.version);
    }
    this.working = undefined;
  }

  private async derive({ stamp, info }: Job): Promise<void> {
    const name = fileName(stamp.version);
    const file = join(this.settings.dir, name);
    const tmp = `${file}.${process.pid}.${this.seq++}.tmp`;
    try {
      await this.pipeline.writeLevels(stamp.realPath, info, tmp, this.settings.fullResolution);
      const now = await stat(stamp.realPath);
      if (now.mtimeMs !== stamp.mtimeMs || now.size !== stamp.size) {
        this.events.inc({ event: 'stale' });
        await rm(tmp, { force: true });
        return;
      }
      const levels = await this.pipeline.levelsOf(tmp);
      const { size: bytes } = await stat(tmp);
      await rename(tmp, file);
      // Indexed (and the folder trimmed) as soon as the file has its name.
      this.add(name, bytes, Promise.resolve(levels.map((level) => ({ ...level, file }))));
      this.events.inc({ event: 'derived' });
      this.evict();
    } catch (cause) {
      this.fail(stamp.version);
      this.events.inc({ event: 'failed' });
      this.log.warn({ err: cause, source: stamp.realPath }, 'could not derive levels; the source is read as it is');
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  private fail(version: string): void {
    if (this.failed.size >= MAX_COUNTED) {
      this.failed.clear();
    }
    this.failed.add(version);
  }

  private add(name: string, bytes: number, levels: Promise<readonly PyramidLevel[]> | undefined): void {
    this.remove(name);
    this.entries.set(name, { bytes, levels });
    this.totalBytes += bytes;
  }

  /** Least recently used files out until the folder fits `IS_LEVEL_CACHE_BYTES`. */
  private evict(): void {
    for (const name of this.entries.keys()) {
      if (this.totalBytes <= this.settings.maxBytes) {
        return;
      }
      this.events.inc({ event: 'evicted' });
      this.remove(name);
    }
  }

  /** Out of the index now; the file itself after a grace period, for renders already reading it. */
  private remove(name: string): void {
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
      await rm(join(this.settings.dir, name), { force: true }).catch(() => undefined);
    }
  }
}

function derivable(info: SourceInfo): boolean {
  return info.levels === undefined && DERIVABLE.has(info.format) && Math.min(info.width, info.height) >= MIN_DERIVED_SIDE;
}

function fileName(version: string): string {
  return `${hash('sha256', version, 'hex').slice(0, 40)}.tif`;
}

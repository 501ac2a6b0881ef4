import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Metrics, ROOT_LOGGER } from '@openexp/service-runtime';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { Counter, Gauge } from 'prom-client';
import type { RenderSpec } from '../commands/render-spec';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import { RenderAdmissionService } from '../limits/render-admission.service';
import { ImagePipelineRepository } from './image-pipeline.repository';
import { levelCacheMetrics } from './level-cache.metrics';
import { derivable, detailUsed, firstReduction } from './level-policy';
import { LevelStore } from './level-store';
import type { PyramidLevel } from './pyramid';
import type { SourceInfo } from './render-types';
import type { SourceStamp } from './source-files.repository';

/** Sources waiting for their levels at most; more are not queued (a later render asks again). */
const MAX_QUEUED = 64;
/** Source versions whose render counts are kept at most, the least recently rendered forgotten first; failures likewise (all at once). */
const MAX_COUNTED = 20_000;
/** How often a derivation waiting for the CPU looks again when no render ended in between (an idle server). */
const ROOM_RECHECK_MS = 25;
interface Job {
  stamp: SourceStamp;
  info: SourceInfo;
  /** The first level is 1/`reduce` of the source (1 with IS_LEVEL_CACHE_FULL). */
  reduce: number;
}

interface Count {
  renders: number;
  /** The most detail a counted render read: reply pixels per source pixel, 1 for renders that may need any level. */
  detail: number;
}

/**
 * Derived pyramid levels (on by default; `IS_LEVEL_CACHE=0` switches them off), the way Image Serving makes its sources
 * fast (image-serving.md §7, "Performance claims: pyramid TIFF sources") for catalogs whose
 * images are JPEGs or PNGs.
 *
 * A source version (real path, mtime, size) read as it is by `IS_LEVEL_CACHE_AFTER` renders gets its reduced
 * levels (1/2, 1/4 … of its size) written once, in the background, as a tiled pyramid TIFF named
 * by a hash of the version. Later replies that need less than full resolution read the smallest
 * level with the detail they need (see `chooseLevel`); full-resolution replies and layer commands
 * still read the source itself, so level 0 is never a re-encoded copy, unless
 * `IS_LEVEL_CACHE_FULL` asks for the full level too (full-size zoom tiles then read only the tiles
 * they need). A changed source is a new version: its old file is never read again and ages out.
 *
 * Deriving pays for itself or stays out of the way (issue 14):
 * - **Only for sources that are reused.** On the benchmark photos a derivation costs 1–2.4 plain
 *   renders of CPU (see {@link firstReduction}) and saves about 0.6 of one on every later reply
 *   read from the levels, so it pays back after 2–4 such replies. Taking a source rendered k times
 *   to be rendered about k times more (popularity is heavy-tailed), the levels pay once k reaches
 *   that; the default `IS_LEVEL_CACHE_AFTER` of 8 leaves a margin so that traffic in which each
 *   source is asked about twice (an origin behind a CDN, Poisson with mean 2) derives for about 1
 *   source in 900, while a hot source pays 6 plain renders more than at 2, once. Renders are
 *   counted after they end, and only those that read the source as it is.
 * - **From the cheapest decode that gives the levels the counted replies used** ({@link detailUsed}).
 * - **Only when the CPU has room.** A source that reaches the count waits in a queue (at most
 *   {@link MAX_QUEUED}) that yields to renders: a derivation starts only when no render waits for
 *   admission and fewer renders are in flight than there are cores (or `IS_MAX_RENDERS`, when it is
 *   lower), looked at each time a render ends and every {@link ROOM_RECHECK_MS} ms while one waits.
 *   The admission limit alone is not the test: it defaults to 4 on 2 cores, because a render also
 *   waits for files, while a derivation keeps a core busy for its whole run. One runs at a time.
 * - Pyramid sources (published assets arrive as pyramid TIFFs) already have levels and are never derived.
 *
 * Files are written under a temporary name and renamed, so a crash leaves no half-written level
 * file; a derivation is discarded when the source changed while it ran. The folder holds at most
 * `IS_LEVEL_CACHE_BYTES`, least recently used files evicted first.
 * A render that fails reading a derived file falls back to the source (see `ImageRenderService`).
 * Gauge `is_level_cache_derivations{state="waiting"|"running"}` shows the queue.
 *
 * This class is the policy (which sources get levels, when, from which reduction: with
 * `level-policy.ts`); the folder, its index and eviction are the {@link LevelStore}.
 */
@Injectable()
export class LevelCacheService implements OnModuleInit, OnModuleDestroy {
  private readonly settings: ImageServerConfig['levelCache'];
  /** From the settings; false also when the default folder turned out unusable at start-up. */
  private enabled: boolean;
  /** The folder of derived files, its index and eviction. */
  private readonly store: LevelStore;
  /** Renders that read each version as it is, least recently rendered first (Map order). */
  private readonly renders = new Map<string, Count>();
  /** Versions waiting for the CPU to have room, oldest first. */
  private readonly queue: Job[] = [];
  private readonly queued = new Set<string>();
  /** Versions whose derivation failed: not tried again while the server runs. */
  private readonly failed = new Set<string>();
  /** The derivation in progress (one at a time). */
  private running: Promise<void> | undefined;
  /** Set while a derivation waits for room and no render has ended to look again. */
  private recheck: NodeJS.Timeout | undefined;
  /** Renders in flight below which the CPU has a core for a derivation. */
  private readonly cpuSlots: number;
  private readonly events: Counter<'event'>;
  private readonly derivations: Gauge<'state'>;
  private readonly log: Logger;

  constructor(
    @Inject(IMAGE_SERVER_CONFIG) config: ImageServerConfig,
    private readonly pipeline: ImagePipelineRepository,
    private readonly admission: RenderAdmissionService,
    metrics: Metrics,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.settings = config.levelCache;
    this.enabled = config.levelCache.enabled;
    this.cpuSlots = Math.max(1, Math.min(config.renders.maxInFlight, availableParallelism()));
    ({ events: this.events, derivations: this.derivations } = levelCacheMetrics(metrics));
    this.log = rootLogger.child({ component: 'level-cache' });
    this.store = new LevelStore(config.levelCache.dir, config.levelCache.maxBytes, () => this.events.inc({ event: 'evicted' }));
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
    try {
      await this.store.open();
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
    const { files, bytes } = this.store.size;
    this.log.info({ dir: this.settings.dir, files, bytes }, 'level cache ready');
  }

  /** Waits for the derivation in progress (queued ones are dropped), then deletes the evicted files. */
  async onModuleDestroy(): Promise<void> {
    this.queue.length = 0;
    this.queued.clear();
    clearTimeout(this.recheck);
    this.recheck = undefined;
    await this.running;
    await this.store.close();
  }

  /**
   * The levels to read for a source version, the source itself as level 0, or `undefined` when
   * it has none derived (yet): then the render reads the source, and tells {@link rendered}.
   */
  async levels(stamp: SourceStamp, info: SourceInfo): Promise<readonly PyramidLevel[] | undefined> {
    if (!this.enabled || !derivable(info)) {
      return undefined;
    }
    const read = this.store.levels(stamp.version, (file) => this.pipeline.levelsOf(file));
    if (read === undefined) {
      return undefined;
    }
    try {
      const derived = await read;
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
    if (!this.store.has(version)) {
      return; // renders that were reading it together: forgotten once
    }
    // Only on this rare error path: the index says the file exists, the disk is asked whether it still does.
    const gone = this.store.gone(version);
    if (!gone) {
      this.fail(version);
    }
    this.events.inc({ event: 'fallback' });
    this.log.warn({ err: cause, file: this.store.nameOf(version) }, gone ? 'derived levels gone from the folder; reading the source, and deriving them again' : 'derived levels unreadable; reading the source');
    this.store.remove(version);
  }

  /** Drops the derived levels of one source (a published asset changed); see {@link LevelStore.dropSource}. */
  dropSource(realPath: string): number {
    return this.store.dropSource(realPath);
  }

  /**
   * Counts a render that read a source version as it is, after it ended (so the CPU it used is
   * free again), with the detail its reply used; the `IS_LEVEL_CACHE_AFTER`-th queues the
   * derivation, which starts when the CPU has room. Every call also gives a waiting derivation its
   * chance: a render just ended.
   * @param spec the render's commands; `reply` its size.
   */
  rendered(stamp: SourceStamp, info: SourceInfo, spec: RenderSpec, reply: { width: number; height: number }): void {
    if (this.enabled && derivable(info)) {
      this.count(stamp, info, detailUsed(spec, info, reply));
    }
    this.pump();
  }

  private count(stamp: SourceStamp, info: SourceInfo, detail: number): void {
    const { version } = stamp;
    if (this.queued.has(version) || this.failed.has(version) || this.store.has(version)) {
      return;
    }
    const before = this.renders.get(version);
    const n = { renders: (before?.renders ?? 0) + 1, detail: Math.max(before?.detail ?? 0, detail) };
    this.renders.delete(version);
    if (n.renders < this.settings.after || this.queue.length >= MAX_QUEUED) {
      this.renders.set(version, n);
      if (this.renders.size > MAX_COUNTED) {
        this.renders.delete(this.renders.keys().next().value as string);
      }
      return;
    }
    this.queued.add(version);
    this.queue.push({ stamp, info, reduce: this.settings.fullResolution ? 1 : firstReduction(n.detail) });
    this.report();
  }

  /** True when a derivation would take no core a render needs: nobody waits, and a core is free. */
  private hasRoom(): boolean {
    const { inFlight, queued } = this.admission.load;
    return queued === 0 && inFlight < this.cpuSlots;
  }

  /** Starts the next derivation if none runs and the CPU has room; otherwise looks again soon. */
  private pump(): void {
    if (this.running !== undefined || this.queue.length === 0) {
      return;
    }
    if (!this.hasRoom()) {
      this.recheck ??= setTimeout(() => {
        this.recheck = undefined;
        this.pump();
      }, ROOM_RECHECK_MS).unref();
      return;
    }
    clearTimeout(this.recheck);
    this.recheck = undefined;
    const job = this.queue.shift() as Job;
    this.running = this.derive(job).finally(() => {
      this.queued.delete(job.stamp.version);
      this.running = undefined;
      this.report();
      this.pump();
    });
    this.report();
  }

  private report(): void {
    this.derivations.set({ state: 'waiting' }, this.queue.length);
    this.derivations.set({ state: 'running' }, this.running === undefined ? 0 : 1);
  }

  private async derive({ stamp, info, reduce }: Job): Promise<void> {
    const pending = this.store.pending(stamp.version);
    try {
      await this.pipeline.writeLevels(stamp.realPath, info, pending.tmp, reduce);
      const now = await stat(stamp.realPath);
      if (now.mtimeMs !== stamp.mtimeMs || now.size !== stamp.size) {
        this.events.inc({ event: 'stale' });
        await this.store.discard(pending);
        return;
      }
      await this.store.publish(pending, await this.pipeline.levelsOf(pending.tmp));
      this.events.inc({ event: 'derived' });
    } catch (cause) {
      this.fail(stamp.version);
      this.events.inc({ event: 'failed' });
      this.log.warn({ err: cause, source: stamp.realPath }, 'could not derive levels; the source is read as it is');
      await this.store.discard(pending).catch(() => undefined);
    }
  }

  private fail(version: string): void {
    if (this.failed.size >= MAX_COUNTED) {
      this.failed.clear();
    }
    this.failed.add(version);
  }
}

import { EventEmitter } from 'node:events';
import { basename, dirname, resolve } from 'node:path';
import type { Catalog } from './catalog';
import { CatalogFilesRepository } from './catalog-files.repository';
import { CatalogLoadError } from './catalog-load-error';
import { DEFAULT_CATALOG_FILE, loadCatalogFolder, type CatalogLoadContext } from './catalog-loader';
import { stderrCatalogLogger, type CatalogLogger } from './catalog-logger';
import { CatalogReload, logCatalogWarnings, type FailedFile, type ReloadedCatalog, type ReloadForce } from './catalog-reload';
import type { CatalogSet } from './catalog-set';

/** Options of {@link CatalogStore.open}. */
export interface CatalogStoreOptions {
  /** Catalog folder with `default.ini` and other `.ini` files (`IS_CATALOG_ROOT`). */
  readonly catalogRoot: string;
  /** Folder that catalog `RootPath`s are relative to (`IS_ROOT_PATH`). */
  readonly rootPath: string;
  /** Watch the catalog folder and data file folders, and reload on change. */
  readonly watch: boolean;
  readonly logger?: CatalogLogger;
  /** Quiet time after the last file event before reloading (default 250 ms). */
  readonly debounceMs?: number;
  /**
   * Also check the files' mtimes every this many ms (0 = never, the default). For shared storage
   * such as NFS, where file-change notifications from other hosts do not arrive.
   */
  readonly pollIntervalMs?: number;
  /** File access; defaults to the real file system. */
  readonly files?: CatalogFilesRepository;
}

/** What caused a reload. */
export type ReloadTrigger = 'watch' | 'poll' | 'manual';

/** Emitted after every reload attempt, successful or not. */
export interface CatalogReloadEvent {
  readonly trigger: ReloadTrigger;
  /** False when at least one file failed (its previous version, if any, stays in service). */
  readonly ok: boolean;
  /** Catalogs swapped in, with their load time. */
  readonly reloaded: readonly ReloadedCatalog[];
  /** `.ini` files whose catalog was removed because the file is gone. */
  readonly removed: readonly string[];
  /** Files that failed to load. */
  readonly failed: readonly { readonly file: string; readonly error: CatalogLoadError }[];
  readonly startedAt: Date;
  /** Whole reload, from the first stat to the swap. */
  readonly durationMs: number;
}

interface StoreEvents {
  reload: [CatalogReloadEvent];
}

/**
 * The catalogs of one image server: loads the catalog folder at start (refusing to start when it is
 * unusable), serves immutable {@link CatalogSet} snapshots, and reloads changed catalogs when their
 * `.ini` or data files change (watch, poll or {@link reload}). A reload builds the new catalogs
 * completely before swapping the set in one assignment; a broken file keeps the previous version
 * and is logged, so a bad edit never takes a catalog out of service.
 */
export class CatalogStore {
  private current: CatalogSet;
  private readonly ctx: CatalogLoadContext;
  private readonly logger: CatalogLogger;
  private readonly events = new EventEmitter<StoreEvents>();
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: { close(): void } | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;
  /** Files whose last load failed: the error, and the file-system fingerprint it failed at. */
  private readonly failedFiles = new Map<string, FailedFile>();

  private constructor(
    set: CatalogSet,
    ctx: CatalogLoadContext,
    private readonly options: CatalogStoreOptions,
  ) {
    this.current = set;
    this.ctx = ctx;
    this.logger = options.logger ?? stderrCatalogLogger;
  }

  /**
   * Loads every catalog of `catalogRoot` and, with `watch`, starts watching.
   * @throws CatalogLoadError when default.ini is missing or any catalog cannot be loaded.
   */
  static async open(options: CatalogStoreOptions): Promise<CatalogStore> {
    const ctx: CatalogLoadContext = {
      catalogRoot: resolve(options.catalogRoot),
      isRootPath: resolve(options.rootPath),
      files: options.files ?? new CatalogFilesRepository(),
    };
    const set = await loadCatalogFolder(ctx);
    const store = new CatalogStore(set, ctx, options);
    if ((await ctx.files.stamp(ctx.isRootPath)) === undefined) {
      store.logger.warn({ rootPath: ctx.isRootPath }, 'IS_ROOT_PATH does not exist: every image request will be "not found"');
    }
    for (const c of set.catalogs()) {
      logCatalogWarnings(store.logger, c);
    }
    if (options.watch) {
      store.startWatching();
    }
    if ((options.pollIntervalMs ?? 0) > 0) {
      store.poll = setInterval(() => {
        store.schedule('poll', null).catch((err: unknown) => store.logger.error({ err: String(err) }, 'catalog poll failed'));
      }, options.pollIntervalMs);
      store.poll.unref();
    }
    return store;
  }

  /** The current set. Take it once per request and use it throughout. */
  snapshot(): CatalogSet {
    return this.current;
  }

  /** The catalog of default.ini in the current set. */
  get defaultCatalog(): Catalog {
    return this.current.defaultCatalog;
  }

  /** The catalog with this RootId (case-sensitive) in the current set; `''` gives the default catalog. */
  catalog(rootId: string): Catalog | undefined {
    return this.current.catalog(rootId);
  }

  /** Throws `IMG_REQUEST_REFUSED` unless `realPath` is inside the roots of the current set. */
  assertInsideRoot(realPath: string): void {
    this.current.assertInsideRoot(realPath);
  }

  /** Every catalog of the current set, default first. */
  catalogs(): readonly Catalog[] {
    return this.current.catalogs();
  }

  /**
   * Reloads now, whether or not files changed: one catalog by RootId (`''` = default.ini, which
   * reloads every catalog since all inherit from it), or all when omitted. For the
   * `catalogs.reload` broadcast. Resolves with the reload event (also emitted).
   */
  reload(rootId?: string): Promise<CatalogReloadEvent> {
    if (rootId === undefined || rootId === '') {
      return this.schedule('manual', 'all');
    }
    const c = this.current.catalog(rootId);
    return this.schedule('manual', c === undefined ? new Set() : new Set([c.file]));
  }

  /** Re-reads only the catalogs whose files changed (what the watcher does). */
  refresh(): Promise<CatalogReloadEvent> {
    return this.schedule('manual', null);
  }

  /**
   * Files whose latest load failed and that are not serving their new content (the previous
   * version, if any, still is). Empty when every catalog file is in service. For status pages.
   */
  failures(): readonly { readonly file: string; readonly error: CatalogLoadError }[] {
    return [...this.failedFiles].map(([file, f]) => ({ file, error: f.error }));
  }

  /** Subscribes to reload events. */
  on(event: 'reload', listener: (e: CatalogReloadEvent) => void): this {
    this.events.on(event, listener);
    return this;
  }

  /** Unsubscribes. */
  off(event: 'reload', listener: (e: CatalogReloadEvent) => void): this {
    this.events.off(event, listener);
    return this;
  }

  /** Stops watching and polling; waits for a reload in progress. */
  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.debounce);
    clearInterval(this.poll);
    await this.queue.catch(() => undefined);
  }

  /** Runs reloads one after another so two never interleave. */
  private schedule(trigger: ReloadTrigger, force: ReloadForce): Promise<CatalogReloadEvent> {
    const run = this.queue.then(() => this.reloadNow(trigger, force));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One reload (see {@link CatalogReload}), its set swapped in, then reported. */
  private async reloadNow(trigger: ReloadTrigger, force: ReloadForce): Promise<CatalogReloadEvent> {
    const startedAt = new Date();
    const t0 = performance.now();
    const old = this.current;
    const { set, reloaded, removed, failed } = await CatalogReload.run(this.ctx, old, force, this.failedFiles, this.logger);
    this.current = set;
    if (set !== old && this.watcher !== undefined && !this.closed) {
      this.restartWatching();
    }
    const event: CatalogReloadEvent = {
      trigger,
      ok: failed.length === 0,
      reloaded: set === old ? [] : reloaded.filter((r) => set.catalog(r.rootId)?.file === r.file),
      removed: set === old ? [] : removed,
      failed,
      startedAt,
      durationMs: performance.now() - t0,
    };
    this.report(event);
    return event;
  }

  private report(event: CatalogReloadEvent): void {
    const nothing = event.reloaded.length === 0 && event.removed.length === 0 && event.failed.length === 0;
    if (nothing && event.trigger !== 'manual') {
      return; // a watch/poll round that found nothing to do is not a reload
    }
    for (const f of event.failed) {
      this.logger.error({ file: f.file, trigger: event.trigger }, `catalog reload failed, previous version kept: ${f.error.message}`);
    }
    if (event.reloaded.length > 0 || event.removed.length > 0) {
      this.logger.info(
        { trigger: event.trigger, reloaded: event.reloaded.map((r) => r.rootId || '(default)'), removed: event.removed, durationMs: event.durationMs },
        'catalogs reloaded',
      );
    }
    this.events.emit('reload', event);
  }

  private startWatching(): void {
    this.restartWatching();
  }

  /** Watches the catalog folder and every folder holding a data file of the current set. */
  private restartWatching(): void {
    this.watcher?.close();
    const dirs = [this.ctx.catalogRoot, ...this.current.catalogs().flatMap((c) => c.stamps.map((s) => dirname(s.path)))];
    this.watcher = this.ctx.files.watchFolders(
      dirs,
      (_dir, file) => {
        if (file !== null && basename(file).startsWith('.')) {
          return; // editor swap files and hidden temp files
        }
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => {
          if (!this.closed) {
            this.schedule('watch', null).catch((err: unknown) => this.logger.error({ err: String(err) }, 'catalog reload failed'));
          }
        }, this.options.debounceMs ?? 250);
        this.debounce.unref();
      },
      (err) => this.logger.warn({ err: String(err) }, 'catalog watcher error'),
    );
  }
}

export { DEFAULT_CATALOG_FILE };

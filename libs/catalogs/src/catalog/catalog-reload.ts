import type { Catalog } from './catalog';
import type { CatalogFilesRepository } from './catalog-files.repository';
import { CatalogLoadError } from './catalog-load-error';
import { asLoadError, buildCatalogSet, loadCatalog, otherIniFiles, type CatalogLoadContext } from './catalog-loader';
import type { CatalogLogger } from './catalog-logger';
import type { CatalogSet } from './catalog-set';

/** Catalogs to load whatever their files say: every one, these `.ini` files, or none (only changed ones). */
export type ReloadForce = 'all' | ReadonlySet<string> | null;

/** A file whose last load failed: the error, and the file-system fingerprint it failed at. */
export interface FailedFile {
  readonly error: CatalogLoadError;
  readonly fingerprint: string;
}

/** A catalog swapped in by a reload, with its load time. */
export interface ReloadedCatalog {
  readonly rootId: string;
  readonly file: string;
  readonly records: number;
  readonly macros: number;
  readonly durationMs: number;
}

/** What one reload did; `set` is the previous set when nothing could be swapped in. */
export interface ReloadResult {
  readonly set: CatalogSet;
  readonly reloaded: ReloadedCatalog[];
  readonly removed: string[];
  readonly failed: { file: string; error: CatalogLoadError }[];
}

/** Logs a catalog's load warnings. */
export function logCatalogWarnings(logger: CatalogLogger, c: Catalog): void {
  for (const w of c.warnings) {
    logger.warn({ catalog: c.rootId || '(default)', file: c.file }, w);
  }
}

/**
 * One reload of the catalog folder against the set `old`: reloads default.ini and the other `.ini`
 * files whose files changed (or that `force` names), drops catalogs whose file is gone, and builds
 * the new set. It records failures in the store's `failedFiles`; swapping the set in is the
 * store's part. A file that failed is retried only when something in the folder changed since (or
 * on a forced reload), so a broken file is reported once, not on every poll.
 */
export class CatalogReload {
  private readonly reloaded: ReloadedCatalog[] = [];
  private readonly failed: { file: string; error: CatalogLoadError }[] = [];

  private constructor(
    private readonly ctx: CatalogLoadContext,
    private readonly old: CatalogSet,
    private readonly force: ReloadForce,
    private readonly failedFiles: Map<string, FailedFile>,
    private readonly logger: CatalogLogger,
    private readonly fingerprint: string,
  ) {}

  static async run(ctx: CatalogLoadContext, old: CatalogSet, force: ReloadForce, failedFiles: Map<string, FailedFile>, logger: CatalogLogger): Promise<ReloadResult> {
    const fingerprint = await folderFingerprint(ctx.files, ctx.catalogRoot, old);
    return new CatalogReload(ctx, old, force, failedFiles, logger, fingerprint).run();
  }

  private async run(): Promise<ReloadResult> {
    const defaultCatalog = await this.reloadDefault();
    const { next, removed } = await this.reloadOthers(defaultCatalog);
    const accepted = this.withoutDuplicateRootIds(next);
    let set = this.old;
    try {
      set = await buildCatalogSet(defaultCatalog, accepted, this.ctx);
      if (!this.failed.some((f) => f.file === this.ctx.catalogRoot)) {
        this.failedFiles.delete(this.ctx.catalogRoot);
      }
    } catch (err) {
      this.fail(this.ctx.catalogRoot, asLoadError(err, this.ctx.catalogRoot));
    }
    return { set, reloaded: this.reloaded, removed, failed: this.failed };
  }

  /** default.ini, reloaded when forced or changed; the previous one when it is unchanged or fails. */
  private async reloadDefault(): Promise<Catalog> {
    const previous = this.old.defaultCatalog;
    const forced = this.force === 'all' || (this.force !== null && this.force.has(previous.file));
    const changed = forced || ((await filesChanged(this.ctx.files, previous)) && this.retry(previous.file));
    return changed ? ((await this.load(previous.file, null, previous)) ?? previous) : previous;
  }

  /**
   * The other `.ini` files of the folder (those of the old set when the folder cannot be listed):
   * each reloaded when forced, new, changed or when default.ini was swapped, else kept.
   */
  private async reloadOthers(defaultCatalog: Catalog): Promise<{ next: Catalog[]; removed: string[] }> {
    const defaultSwapped = defaultCatalog !== this.old.defaultCatalog;
    const oldByFile = new Map(this.old.catalogs().filter((c) => !c.isDefault).map((c) => [c.file, c]));
    let files: string[];
    try {
      files = await otherIniFiles(this.ctx);
    } catch (err) {
      this.fail(this.ctx.catalogRoot, asLoadError(err, this.ctx.catalogRoot));
      files = [...oldByFile.keys()];
    }
    const next: Catalog[] = [];
    for (const file of files) {
      const prior = oldByFile.get(file);
      oldByFile.delete(file);
      const forced = defaultSwapped || this.force === 'all' || (this.force !== null && this.force.has(file));
      const mustLoad = forced || ((prior === undefined || (await filesChanged(this.ctx.files, prior))) && this.retry(file));
      const c = mustLoad ? ((await this.load(file, defaultCatalog, prior)) ?? prior) : prior;
      if (c !== undefined) {
        next.push(c);
      }
    }
    for (const gone of oldByFile.keys()) {
      this.failedFiles.delete(gone);
    }
    return { next, removed: [...oldByFile.keys()] };
  }

  /** Loads one catalog, logging its warnings; `undefined` (and recorded as failed) when it cannot be loaded. */
  private async load(file: string, defaults: Catalog | null, prior: Catalog | undefined): Promise<Catalog | undefined> {
    const t = performance.now();
    try {
      const c = await loadCatalog(file, defaults === null ? null : defaults.attributeFile, this.ctx, prior);
      this.reloaded.push({ rootId: c.rootId, file, records: c.records.size, macros: c.macros.size, durationMs: performance.now() - t });
      this.failedFiles.delete(file);
      logCatalogWarnings(this.logger, c);
      if (c.ruleSetError !== null) {
        this.logger.error({ catalog: c.rootId || '(default)', file: c.file }, `${c.ruleSetError}; the previous rule set (${c.ruleSet.size} rules) stays in use`);
      }
      return c;
    } catch (err) {
      this.fail(file, asLoadError(err, file));
      return undefined;
    }
  }

  private retry(file: string): boolean {
    return this.force !== null || this.failedFiles.get(file)?.fingerprint !== this.fingerprint;
  }

  private fail(file: string, error: CatalogLoadError): void {
    this.failed.push({ file, error });
    this.failedFiles.set(file, { error, fingerprint: this.fingerprint });
  }

  /**
   * Keeps the first catalog per RootId; a newly loaded catalog that takes a RootId already used by
   * another file is refused (its previous version, if any, stays), and the error names both files.
   */
  private withoutDuplicateRootIds(candidates: readonly Catalog[]): Catalog[] {
    const old = this.old;
    const byRootId = new Map<string, Catalog>();
    // Catalogs that kept their RootId claim it first, so a new file cannot steal a served id.
    const sorted = [...candidates].sort((a, b) => Number(old.catalog(b.rootId)?.file === b.file) - Number(old.catalog(a.rootId)?.file === a.file));
    const oldByFile = new Map(old.catalogs().map((c) => [c.file, c]));
    for (const c of sorted) {
      const holder = byRootId.get(c.rootId);
      if (holder === undefined) {
        byRootId.set(c.rootId, c);
        continue;
      }
      this.fail(c.file, new CatalogLoadError(`RootId ${JSON.stringify(c.rootId)} is used by both ${holder.file} and ${c.file}`, { file: c.file }));
      const previous = oldByFile.get(c.file);
      if (previous !== undefined && previous !== c && !byRootId.has(previous.rootId)) {
        byRootId.set(previous.rootId, previous);
      }
    }
    return [...byRootId.values()];
  }
}

/**
 * mtime/size of every file in the catalog folder and every data file of the set: what a broken
 * file's retry waits for to change.
 */
async function folderFingerprint(files: CatalogFilesRepository, catalogRoot: string, set: CatalogSet): Promise<string> {
  let inFolder: string[] = [];
  try {
    inFolder = await files.listFiles(catalogRoot);
  } catch {
    // An unreadable folder is reported by the reload itself.
  }
  const paths = [...new Set([...inFolder, ...set.catalogs().flatMap((c) => c.stamps.map((s) => s.path))])].sort();
  const stamps = await Promise.all(paths.map((p) => files.stamp(p)));
  return stamps.map((s, i) => (s === undefined ? `${paths[i]}:-` : `${s.path}:${s.mtimeMs}:${s.size}`)).join('|');
}

/** True when any file of the catalog changed or disappeared since it was loaded. */
async function filesChanged(files: CatalogFilesRepository, c: Catalog): Promise<boolean> {
  for (const s of c.stamps) {
    const now = await files.stamp(s.path);
    if (now === undefined || now.mtimeMs !== s.mtimeMs || now.size !== s.size) {
      return true;
    }
  }
  return false;
}

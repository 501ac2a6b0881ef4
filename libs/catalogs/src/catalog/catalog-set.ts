import type { Catalog } from './catalog';
import { CatalogLoadError } from './catalog-load-error';
import { RootGuard } from './root-guard';

/**
 * An immutable, consistent set of catalogs: default.ini plus every other catalog by RootId,
 * and the roots requests may read from. {@link CatalogStore} swaps whole sets, so code that took
 * a set sees one version of every catalog until it is done.
 */
export class CatalogSet {
  /** The catalog of default.ini (empty RootId). */
  readonly defaultCatalog: Catalog;
  /** Absolute `IS_ROOT_PATH`. */
  readonly isRootPath: string;
  /** Where request files may be read from. */
  readonly rootGuard: RootGuard;
  private readonly byRootId: ReadonlyMap<string, Catalog>;

  /**
   * @param others catalogs other than default.ini; their RootIds must be unique and non-empty.
   * @param roots every allowed root, including real paths of symlinked roots.
   * @throws CatalogLoadError naming both files when two catalogs share a RootId.
   */
  constructor(defaultCatalog: Catalog, others: readonly Catalog[], isRootPath: string, roots: readonly string[]) {
    if (!defaultCatalog.isDefault) {
      throw new CatalogLoadError('default.ini must have an empty RootId', { file: defaultCatalog.file });
    }
    const byRootId = new Map<string, Catalog>();
    for (const c of others) {
      if (c.isDefault) {
        throw new CatalogLoadError('RootId is missing or empty (only default.ini may have an empty RootId)', { file: c.file });
      }
      const prior = byRootId.get(c.rootId);
      if (prior !== undefined) {
        throw new CatalogLoadError(`RootId ${JSON.stringify(c.rootId)} is used by both ${prior.file} and ${c.file}`, { file: c.file });
      }
      byRootId.set(c.rootId, c);
    }
    this.defaultCatalog = defaultCatalog;
    this.byRootId = byRootId;
    this.isRootPath = isRootPath;
    this.rootGuard = new RootGuard(roots);
    Object.freeze(this);
  }

  /** The catalog with this RootId (exact, case-sensitive); `''` gives the default catalog. */
  catalog(rootId: string): Catalog | undefined {
    return rootId === '' ? this.defaultCatalog : this.byRootId.get(rootId);
  }

  /** All catalogs, default first, then by file name. */
  catalogs(): readonly Catalog[] {
    return [this.defaultCatalog, ...[...this.byRootId.values()].sort((a, b) => a.file.localeCompare(b.file))];
  }

  /** Throws `IMG_REQUEST_REFUSED` unless `absPath` is inside one of the roots (see {@link RootGuard}). */
  assertInsideRoot(absPath: string): void {
    this.rootGuard.assertInsideRoot(absPath);
  }
}

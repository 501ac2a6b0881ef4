import type { CatalogSet } from '@openexp/catalogs';

/**
 * The image server's current catalogs, as the management API reads them (records of a catalog,
 * which catalogs exist). Bound to the serving app's `CatalogsService`, whose lifecycle stays there.
 */
export abstract class CatalogSnapshots {
  abstract snapshot(): CatalogSet;
}

/**
 * The view of a catalog the errors module needs: the typed attributes after `default.ini`
 * inheritance. It is the structural subset of `Catalog` from `@openexp/catalogs`, so the request
 * flow passes its `Catalog` as is. It lives in `catalogs/`, below both `errors` (which reads the
 * attributes) and `pipeline` (whose `ObjectRenderPort` takes it), so neither imports the other
 * for it.
 */
export interface ErrorCatalog {
  /** `attribute::RootId`; `''` for `default.ini`. */
  readonly rootId: string;
  readonly attributes: ErrorCatalogAttributes;
}

/** The error-handling attributes (image-serving.md §4.2, §5), after inheritance; `null` = disabled. */
export interface ErrorCatalogAttributes {
  /** `ErrorDetail` (§5.3). */
  readonly errorDetail: 0 | 1 | 2 | 3;
  /** `ErrorImage`: catalog id or path; `null` when unset or defined-but-empty (§5.4). */
  readonly errorImage: string | null;
  /** `DefaultImage`: catalog id or path; `null` when unset or defined-but-empty (§5.5). */
  readonly defaultImage: string | null;
  /** `DefaultImageMode`. */
  readonly defaultImageMode: 0 | 1;
  /** `DefaultExpiration` hours (0 now, -1 never). */
  readonly defaultExpiration: number;
}

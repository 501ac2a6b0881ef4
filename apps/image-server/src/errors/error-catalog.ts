/**
 * The view of a catalog the errors module needs: effective attribute values after `default.ini`
 * inheritance. Kept structural so the errors module does not depend on the loader's internals.
 */
export interface ErrorCatalog {
  /** `attribute::RootId`; `''` for `default.ini`. */
  readonly id: string;
  /**
   * The effective value of an attribute (`ErrorDetail`, `ErrorImage`, `DefaultImage`,
   * `DefaultImageMode`, `DefaultExpiration`): `''` when the catalog defines it empty (which
   * disables `ErrorImage`/`DefaultImage` even if `default.ini` sets them), `undefined` when neither
   * the catalog nor `default.ini` defines it.
   */
  attribute(name: string): string | undefined;
}

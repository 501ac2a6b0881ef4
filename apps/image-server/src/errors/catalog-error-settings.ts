import type { ErrorDetailLevel } from '@openexp/errors';
import type { ErrorCatalog } from '../catalogs/error-catalog';

/** The error-handling attributes of a catalog (image-serving.md §4.2, §5). */
export interface CatalogErrorSettings {
  /** `attribute::ErrorDetail`; 0 without a catalog (the safe public default). */
  errorDetail: ErrorDetailLevel;
  /** `attribute::ErrorImage`; `undefined` when unset or defined-but-empty (disabled). */
  errorImage: string | undefined;
  /** `attribute::DefaultImage`; `undefined` when unset or defined-but-empty (disabled). */
  defaultImage: string | undefined;
  /** `attribute::DefaultImageMode`: 0 replaces the whole request; 1 (per layer) behaves as 0 until layers exist. */
  defaultImageMode: 0 | 1;
  /** `attribute::DefaultExpiration` in hours (Adobe default 1; 0 expire now; -1 never). */
  defaultExpirationHours: number;
}

const SAFE_DEFAULTS: CatalogErrorSettings = Object.freeze({
  errorDetail: 0,
  errorImage: undefined,
  defaultImage: undefined,
  defaultImageMode: 0,
  defaultExpirationHours: 1,
});

function enabled(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** Reads the error attributes of a catalog; without a catalog, the safe defaults (level 0, no images). */
export function catalogErrorSettings(catalog: ErrorCatalog | undefined): CatalogErrorSettings {
  if (catalog === undefined) {
    return SAFE_DEFAULTS;
  }
  const a = catalog.attributes;
  return {
    errorDetail: a.errorDetail,
    errorImage: enabled(a.errorImage),
    defaultImage: enabled(a.defaultImage),
    defaultImageMode: a.defaultImageMode,
    defaultExpirationHours: a.defaultExpiration,
  };
}

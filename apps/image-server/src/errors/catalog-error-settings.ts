import type { ErrorDetailLevel } from '@openexp/errors';
import type { ErrorCatalog } from './error-catalog';

/** The error-handling attributes of a catalog, parsed once per failure (image-serving.md §4.2, §5). */
export interface CatalogErrorSettings {
  /** `attribute::ErrorDetail`; 0 when missing or unparseable (the safe public default). */
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

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function detailLevel(value: string | undefined): ErrorDetailLevel {
  switch (value?.trim()) {
    case '1':
      return 1;
    case '2':
      return 2;
    case '3':
      return 3;
    default:
      return 0;
  }
}

function hours(value: string | undefined, fallback: number): number {
  const n = Number(value?.trim());
  return value === undefined || value.trim() === '' || !Number.isFinite(n) ? fallback : n;
}

/** Reads the error attributes of a catalog; without a catalog, the safe defaults (level 0, no images). */
export function catalogErrorSettings(catalog: ErrorCatalog | undefined): CatalogErrorSettings {
  if (catalog === undefined) {
    return SAFE_DEFAULTS;
  }
  return {
    errorDetail: detailLevel(catalog.attribute('ErrorDetail')),
    errorImage: nonEmpty(catalog.attribute('ErrorImage')),
    defaultImage: nonEmpty(catalog.attribute('DefaultImage')),
    defaultImageMode: catalog.attribute('DefaultImageMode')?.trim() === '1' ? 1 : 0,
    defaultExpirationHours: hours(catalog.attribute('DefaultExpiration'), SAFE_DEFAULTS.defaultExpirationHours),
  };
}

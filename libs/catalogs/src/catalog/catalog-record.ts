import type { PixelPair } from './catalog-values';
import type { ThumbType } from './catalog-attributes';

/** Where a record or macro came from, for logs and `ErrorDetail` 2 messages. */
export interface SourceLocation {
  /** Absolute path of the data file. */
  readonly file: string;
  /** 1-based line of the row. */
  readonly line: number;
}

/**
 * One image record of a catalog (`catalog::*` fields, §4.3). Typed fields are `null` when the
 * cell is empty (the attribute default applies) or absent; a cell that does not parse is logged
 * as a warning at load time and treated as empty.
 */
export interface CatalogRecord {
  /** `Id`: case-sensitive key; may look like a path. */
  readonly id: string;
  /** `Path` as written (relative to the catalog's RootPath, or absolute); `null` when empty (templates). */
  readonly path: string | null;
  /** `MaskPath` as written, or `null`. */
  readonly maskPath: string | null;
  /** `Modifier`: prefix commands, `&`-separated, as written; `''` when none. */
  readonly modifier: string;
  /** `PostModifier`: postfix commands; `''` when none. */
  readonly postModifier: string;
  /** `Expiration` hours (0 immediate, -1 never); `null` for empty or -2 (use `attribute::Expiration`). */
  readonly expiration: number | null;
  /** `TimeStamp` in ms since the epoch, or `null`. */
  readonly timeStamp: number | null;
  /** `Anchor` `[x,y]` in pixels, or `null` (image center). */
  readonly anchor: PixelPair | null;
  /** `Resolution`, or `null` (attribute default). */
  readonly resolution: number | null;
  /** `PrintResolution` dpi, or `null`. */
  readonly printResolution: number | null;
  /** `Size` hint `[w,h]`, or `null`. */
  readonly size: PixelPair | null;
  /** `ThumbRes`, or `null`. */
  readonly thumbRes: number | null;
  /** `ThumbType`, or `null`. */
  readonly thumbType: ThumbType | null;
  /** `UserData` raw text, or `null`. See {@link propertyDataLines}. */
  readonly userData: string | null;
  /** `Targets` raw text, or `null`. */
  readonly targets: string | null;
  /** `Map`, or `null`. */
  readonly map: string | null;
  /** `ImageSet`, or `null`. */
  readonly imageSet: string | null;
  /** `AssetType`, or `null`. */
  readonly assetType: string | null;
  /** `DigimarcInfo`, or `null`. */
  readonly digimarcInfo: string | null;
  /** `UserType`, or `null`. */
  readonly userType: string | null;
  /** Every non-`.` cell of the row keyed by lower-case header name, known and unknown columns alike. */
  readonly fields: ReadonlyMap<string, string>;
  /** Lower-case names of the fields that were double-quoted in the file. */
  readonly quotedFields: ReadonlySet<string>;
  readonly source: SourceLocation;
}

/** A macro (`macro::Name`, `macro::Definition`). */
export interface CatalogMacro {
  /** Name as written; lookups are case-insensitive. */
  readonly name: string;
  /** `&`-separated commands, as written. */
  readonly definition: string;
  /** 0-based position in the macro file: a macro may only use macros defined before it (§1.4). */
  readonly index: number;
  readonly source: SourceLocation;
}

/**
 * Splits property data (`catalog::UserData`, `catalog::Targets`, §2.3) into `name=value` lines:
 * pairs are separated by CR/LF, or by `??` unless the field was quoted in the data file.
 */
export function propertyDataLines(record: CatalogRecord, field: 'userData' | 'targets'): string[] {
  const value = record[field];
  if (value === null) {
    return [];
  }
  const quoted = record.quotedFields.has(field.toLowerCase());
  const parts = quoted ? value.split(/\r\n|\r|\n/) : value.split(/\?\?|\r\n|\r|\n/);
  return parts.filter((p) => p !== '');
}

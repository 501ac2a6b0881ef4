import type { CatalogColor, PixelPair } from './catalog-values';

/** `ResMode` (§4.2): 1 (deprecated, treated like 2), 2 bilinear, 3 bicubic, 4 sharp2. */
export type ResMode = 1 | 2 | 3 | 4;
/** `ThumbType` (§3.1): 1 crop, 2 fit, 3 texture. */
export type ThumbType = 1 | 2 | 3;
/** `ThumbHorizAlign`/`ThumbVertAlign`: 1 left/top, 2 center, 3 right/bottom. */
export type ThumbAlign = 1 | 2 | 3;
/** `ErrorDetail` (§5.3). */
export type ErrorDetail = 0 | 1 | 2 | 3;

/**
 * The attributes in effect for one catalog, after inheritance from `default.ini` (§4.2) and the
 * recommended shipping defaults for anything `default.ini` leaves out. All values are typed and
 * validated at load time; `raw(name)` gives the inherited text of any attribute, known or not.
 *
 * Expirations are in hours: 0 = expire immediately, -1 = never expire.
 */
export interface CatalogAttributes {
  /** `RootId`: the first path element that selects this catalog; `''` for default.ini. */
  readonly rootId: string;
  /**
   * Absolute source root: `IS_ROOT_PATH` joined with `RootPath` (an absolute `RootPath` is used as
   * is). Equals `IS_ROOT_PATH` when `RootPath` is absent or defined-but-empty.
   */
  readonly rootPath: string;
  /** `RootPath` as written after inheritance; `null` when empty (contributes nothing). */
  readonly rootPathSetting: string | null;
  /** `CatalogFile`: absolute paths of the record files, in load order. */
  readonly catalogFiles: readonly string[];
  /** `MacroFile`: absolute path, or `null`. */
  readonly macroFile: string | null;
  /** `RuleSetFile` (XML rule set, §1.6 step 2): absolute path, or `null`. Inherited from default.ini. */
  readonly ruleSetFile: string | null;
  /** `FullMatch` (§1.5). */
  readonly fullMatch: boolean;
  /** `DefaultExt` with its leading dot (`.tif`), or `null` when disabled. */
  readonly defaultExt: string | null;
  /** `DefaultImage`: catalog id or path, `null` when disabled (§5.5). */
  readonly defaultImage: string | null;
  /** `DefaultImageMode`: 0 replaces the whole request, 1 only the missing layer. */
  readonly defaultImageMode: 0 | 1;
  /** `ErrorImage`: catalog id or path, `null` when disabled (§5.4). */
  readonly errorImage: string | null;
  /** `ErrorDetail` (§5.3). */
  readonly errorDetail: ErrorDetail;
  /** `Expiration` in hours (Adobe default 10). */
  readonly expiration: number;
  /** `DefaultExpiration` in hours, for default-image replies (Adobe default 1). */
  readonly defaultExpiration: number;
  /** `NonImgExpiration` in hours, for property replies (Adobe default 0.1 = 6 min). */
  readonly nonImgExpiration: number;
  /** `MaxPix` `[w,h]`; `0` = unlimited on that axis. */
  readonly maxPix: PixelPair;
  /** `DefaultPix` `[w,h]`; `0` = unconstrained axis. */
  readonly defaultPix: PixelPair;
  /** `DefaultThumbPix` `[w,h]`. */
  readonly defaultThumbPix: PixelPair;
  /** `JpegQuality`: default `qlt=`; `chroma` true disables chroma subsampling. */
  readonly jpegQuality: { readonly quality: number; readonly chroma: boolean };
  /** `BkgColor`: default `bgc=`. */
  readonly bkgColor: CatalogColor;
  /** `ResMode`: default `resMode=`. */
  readonly resMode: ResMode;
  /** `Resolution` (pixels per inch of full-resolution sources), default for `catalog::Resolution`. */
  readonly resolution: number;
  /** `PrintResolution` dpi, default for `catalog::PrintResolution`. */
  readonly printResolution: number;
  /** `ThumbType`. */
  readonly thumbType: ThumbType;
  /** `ThumbRes`, or `null` when not set. */
  readonly thumbRes: number | null;
  /** `ThumbBkgColor`. */
  readonly thumbBkgColor: CatalogColor;
  /** `ThumbHorizAlign`. */
  readonly thumbHorizAlign: ThumbAlign;
  /** `ThumbVertAlign`. */
  readonly thumbVertAlign: ThumbAlign;
  /** `TimeStamp` in ms since the epoch; the `.ini` file's mtime when not set. */
  readonly timeStamp: number;
  /** `UseLastModified`: emit `Last-Modified` (§6). */
  readonly useLastModified: boolean;
  /** `CacheValidationPolicy`: 0 expiration-based, 1 catalog-based. */
  readonly cacheValidationPolicy: 0 | 1;
  /** `RequestLock` (§7). */
  readonly requestLock: boolean;
  /** `RequestObfuscation` (§7). */
  readonly requestObfuscation: boolean;
  /** `Watermark` record id, or `null`. */
  readonly watermark: string | null;
  /** `RootUrl`, or `null`. */
  readonly rootUrl: string | null;
  /** `AllowDirectUrls`. */
  readonly allowDirectUrls: boolean;
  /** `SavePath`, or `null` (disables `req=saveToFile`). */
  readonly savePath: string | null;
  /** `PublishInfo`, or `null`. */
  readonly publishInfo: string | null;
  /**
   * `Bfc` (smart imaging, §3.5 `bfc=`): 1 lets the image server pick AVIF/WebP/JPEG from the
   * browser's `Accept` when a request names no `fmt=`, 0 turns it off; `null` when neither this
   * catalog nor default.ini sets it (the server default, `IS_BFC`, applies).
   */
  readonly bfc: boolean | null;
  /**
   * The inherited raw text of any attribute (case-insensitive name), after the empty-disables
   * rule: `undefined` when neither this catalog nor default.ini defines it (shipping defaults are
   * not raw values), `''` when it is defined-but-empty.
   */
  raw(name: string): string | undefined;
}

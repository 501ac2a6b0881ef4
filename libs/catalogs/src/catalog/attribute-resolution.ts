import { isAbsolute, resolve } from 'node:path';
import type { AttributeFile } from './attribute-file';
import type { CatalogAttributes } from './catalog-attributes';
import { CatalogLoadError } from './catalog-load-error';
import {
  CatalogValueError,
  parseCatalogColor,
  parseChoice,
  parseFlag,
  parseHours,
  parseJpegQuality,
  parseList,
  parsePixelPair,
  parseReal,
  parseTimeStamp,
} from './catalog-values';

/**
 * Attributes for which defined-but-empty disables the feature instead of falling back to
 * default.ini (§4.2).
 */
export const EMPTY_DISABLES: ReadonlySet<string> = new Set([
  'defaultimage',
  'errorimage',
  'defaultext',
  'watermark',
  'rootpath',
  'rooturl',
  'savepath',
]);

/**
 * Attributes that belong to one file and are never inherited: the catalog's own id and data files.
 * (The default catalog's records and macros already back every catalog at lookup time, §1.5, so
 * inheriting `CatalogFile` would only load them twice.)
 */
const NOT_INHERITED: ReadonlySet<string> = new Set(['rootid', 'catalogfile', 'macrofile']);

/**
 * The recommended shipping defaults (§4.2) and Adobe's stated defaults, used when default.ini does
 * not define an attribute. Text, so they go through the same parsers as file values.
 */
const SHIPPING_DEFAULTS: Readonly<Record<string, string>> = {
  errordetail: '0',
  defaultimagemode: '0',
  expiration: '10',
  defaultexpiration: '1',
  nonimgexpiration: '0.1',
  maxpix: '2000,2000',
  defaultpix: '400,400',
  defaultthumbpix: '100,100',
  jpegquality: '80,0',
  bkgcolor: 'FFFFFF',
  resmode: '3',
  resolution: '72',
  printresolution: '72',
  fullmatch: '0',
  thumbtype: '2',
  thumbbkgcolor: 'FFFFFF',
  thumbhorizalign: '2',
  thumbvertalign: '2',
  uselastmodified: '0',
  cachevalidationpolicy: '0',
  requestlock: '0',
  requestobfuscation: '0',
  allowdirecturls: '0',
};

/** Where the files of a catalog live. */
export interface AttributeContext {
  /** Absolute catalog folder: data file paths are relative to it. */
  readonly catalogRoot: string;
  /** Absolute `IS_ROOT_PATH`: `RootPath` values are relative to it. */
  readonly isRootPath: string;
  /** mtime of the `.ini` file, the `TimeStamp` when none is set. */
  readonly iniMtimeMs: number;
}

interface RawValue {
  readonly value: string;
  readonly file: string;
  readonly line: number | undefined;
}

/**
 * Resolves the typed attributes of a catalog: its own file, then default.ini (`defaults`, `null`
 * when resolving default.ini itself), then {@link SHIPPING_DEFAULTS}. Throws {@link CatalogLoadError}
 * naming the file, line and attribute when a value does not parse.
 */
export function resolveAttributes(own: AttributeFile, defaults: AttributeFile | null, ctx: AttributeContext): CatalogAttributes {
  const rawValue = (key: string): RawValue | undefined => {
    const o = own.entries.get(key);
    if (NOT_INHERITED.has(key) || defaults === null) {
      return o === undefined ? undefined : { value: o.value, file: own.file, line: o.line };
    }
    const d = defaults.entries.get(key);
    if (o !== undefined && (o.value !== '' || EMPTY_DISABLES.has(key) || d === undefined)) {
      return { value: o.value, file: own.file, line: o.line };
    }
    return d === undefined ? undefined : { value: d.value, file: defaults.file, line: d.line };
  };

  const typed = <T>(key: string, parse: (v: string) => T): T => {
    const raw = rawValue(key);
    if (raw !== undefined && raw.value !== '') {
      return parseAt(raw, key, parse);
    }
    const fallback = Object.hasOwn(SHIPPING_DEFAULTS, key) ? SHIPPING_DEFAULTS[key] : undefined;
    if (fallback === undefined) {
      throw new Error(`no shipping default for ${key}`);
    }
    return parse(fallback);
  };
  const optional = <T>(key: string, parse: (v: string) => T): T | null => {
    const raw = rawValue(key);
    return raw === undefined || raw.value === '' ? null : parseAt(raw, key, parse);
  };
  const text = (key: string): string | null => optional(key, (v) => v);

  const rootId = own.entries.get('rootid')?.value ?? '';
  const rootPathSetting = text('rootpath');
  const rootPath = rootPathSetting === null ? ctx.isRootPath : resolve(ctx.isRootPath, rootPathSetting);
  const dataFile = (p: string): string => (isAbsolute(p) ? p : resolve(ctx.catalogRoot, p));
  const defaultExt = text('defaultext');

  const attributes: CatalogAttributes = {
    rootId,
    rootPath,
    rootPathSetting,
    catalogFiles: parseList(rawValue('catalogfile')?.value ?? '').map(dataFile),
    macroFile: optional('macrofile', (v) => dataFile(v.trim())),
    ruleSetFile: optional('rulesetfile', (v) => dataFile(v.trim())),
    fullMatch: typed('fullmatch', parseFlag),
    defaultExt: defaultExt === null ? null : defaultExt.startsWith('.') ? defaultExt : `.${defaultExt}`,
    defaultImage: text('defaultimage'),
    defaultImageMode: typed('defaultimagemode', (v) => parseChoice(v, [0, 1] as const)),
    errorImage: text('errorimage'),
    errorDetail: typed('errordetail', (v) => parseChoice(v, [0, 1, 2, 3] as const)),
    expiration: typed('expiration', parseHours),
    defaultExpiration: typed('defaultexpiration', parseHours),
    nonImgExpiration: typed('nonimgexpiration', parseHours),
    maxPix: typed('maxpix', (v) => parsePixelPair(v)),
    defaultPix: typed('defaultpix', (v) => parsePixelPair(v)),
    defaultThumbPix: typed('defaultthumbpix', (v) => parsePixelPair(v)),
    jpegQuality: typed('jpegquality', parseJpegQuality),
    bkgColor: typed('bkgcolor', parseCatalogColor),
    resMode: typed('resmode', (v) => parseChoice(v, [1, 2, 3, 4] as const)),
    resolution: typed('resolution', (v) => positive(parseReal(v))),
    printResolution: typed('printresolution', (v) => positive(parseReal(v))),
    thumbType: typed('thumbtype', (v) => parseChoice(v, [1, 2, 3] as const)),
    thumbRes: optional('thumbres', (v) => positive(parseReal(v))),
    thumbBkgColor: typed('thumbbkgcolor', parseCatalogColor),
    thumbHorizAlign: typed('thumbhorizalign', (v) => parseChoice(v, [1, 2, 3] as const)),
    thumbVertAlign: typed('thumbvertalign', (v) => parseChoice(v, [1, 2, 3] as const)),
    timeStamp: optional('timestamp', parseTimeStamp) ?? ctx.iniMtimeMs,
    useLastModified: typed('uselastmodified', parseFlag),
    cacheValidationPolicy: typed('cachevalidationpolicy', (v) => parseChoice(v, [0, 1] as const)),
    requestLock: typed('requestlock', parseFlag),
    requestObfuscation: typed('requestobfuscation', parseFlag),
    watermark: text('watermark'),
    rootUrl: text('rooturl'),
    allowDirectUrls: typed('allowdirecturls', parseFlag),
    savePath: text('savepath'),
    publishInfo: text('publishinfo'),
    bfc: optional('bfc', parseFlag),
    raw: (name: string) => rawValue(name.toLowerCase())?.value,
  };
  return Object.freeze(attributes);
}

function positive(n: number): number {
  if (n <= 0) {
    throw new CatalogValueError(`${n} must be > 0`);
  }
  return n;
}

function parseAt<T>(raw: RawValue, key: string, parse: (v: string) => T): T {
  try {
    return parse(raw.value);
  } catch (err) {
    if (err instanceof CatalogValueError) {
      throw new CatalogLoadError(`attribute ${key}: ${err.message}`, { file: raw.file, line: raw.line });
    }
    throw err;
  }
}

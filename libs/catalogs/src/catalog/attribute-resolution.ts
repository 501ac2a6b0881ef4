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
  const source = new AttributeSource(own, defaults);
  const attributes: CatalogAttributes = {
    ...locationAttributes(source, ctx),
    ...imageAttributes(source),
    ...thumbnailAttributes(source),
    ...servingAttributes(source, ctx),
    raw: (name: string) => source.raw(name.toLowerCase())?.value,
  };
  return Object.freeze(attributes);
}

/** Where the catalog's images and data files are, and what to serve when an image is missing. */
function locationAttributes(source: AttributeSource, ctx: AttributeContext) {
  const rootPathSetting = source.text('rootpath');
  const dataFile = (p: string): string => (isAbsolute(p) ? p : resolve(ctx.catalogRoot, p));
  const defaultExt = source.text('defaultext');
  return {
    rootId: source.ownRootId,
    rootPath: rootPathSetting === null ? ctx.isRootPath : resolve(ctx.isRootPath, rootPathSetting),
    rootPathSetting,
    catalogFiles: parseList(source.raw('catalogfile')?.value ?? '').map(dataFile),
    macroFile: source.optional('macrofile', (v) => dataFile(v.trim())),
    ruleSetFile: source.optional('rulesetfile', (v) => dataFile(v.trim())),
    fullMatch: source.typed('fullmatch', parseFlag),
    defaultExt: defaultExt === null ? null : defaultExt.startsWith('.') ? defaultExt : `.${defaultExt}`,
    defaultImage: source.text('defaultimage'),
    defaultImageMode: source.typed('defaultimagemode', (v) => parseChoice(v, [0, 1] as const)),
    errorImage: source.text('errorimage'),
    errorDetail: source.typed('errordetail', (v) => parseChoice(v, [0, 1, 2, 3] as const)),
  };
}

/** Expirations, sizes, quality, colour and resolution of rendered images. */
function imageAttributes(source: AttributeSource) {
  return {
    expiration: source.typed('expiration', parseHours),
    defaultExpiration: source.typed('defaultexpiration', parseHours),
    nonImgExpiration: source.typed('nonimgexpiration', parseHours),
    maxPix: source.typed('maxpix', (v) => parsePixelPair(v)),
    defaultPix: source.typed('defaultpix', (v) => parsePixelPair(v)),
    defaultThumbPix: source.typed('defaultthumbpix', (v) => parsePixelPair(v)),
    jpegQuality: source.typed('jpegquality', parseJpegQuality),
    bkgColor: source.typed('bkgcolor', parseCatalogColor),
    resMode: source.typed('resmode', (v) => parseChoice(v, [1, 2, 3, 4] as const)),
    resolution: source.typed('resolution', (v) => positive(parseReal(v))),
    printResolution: source.typed('printresolution', (v) => positive(parseReal(v))),
  };
}

/** How thumbnails are sized, filled and aligned. */
function thumbnailAttributes(source: AttributeSource) {
  return {
    thumbType: source.typed('thumbtype', (v) => parseChoice(v, [1, 2, 3] as const)),
    thumbRes: source.optional('thumbres', (v) => positive(parseReal(v))),
    thumbBkgColor: source.typed('thumbbkgcolor', parseCatalogColor),
    thumbHorizAlign: source.typed('thumbhorizalign', (v) => parseChoice(v, [1, 2, 3] as const)),
    thumbVertAlign: source.typed('thumbvertalign', (v) => parseChoice(v, [1, 2, 3] as const)),
  };
}

/** Validation, request locking, watermark, URLs and publishing. */
function servingAttributes(source: AttributeSource, ctx: AttributeContext) {
  return {
    timeStamp: source.optional('timestamp', parseTimeStamp) ?? ctx.iniMtimeMs,
    useLastModified: source.typed('uselastmodified', parseFlag),
    cacheValidationPolicy: source.typed('cachevalidationpolicy', (v) => parseChoice(v, [0, 1] as const)),
    requestLock: source.typed('requestlock', parseFlag),
    requestObfuscation: source.typed('requestobfuscation', parseFlag),
    watermark: source.text('watermark'),
    rootUrl: source.text('rooturl'),
    allowDirectUrls: source.typed('allowdirecturls', parseFlag),
    savePath: source.text('savepath'),
    publishInfo: source.text('publishinfo'),
    bfc: source.optional('bfc', parseFlag),
  };
}

/** An attribute's value from the catalog's own file, else default.ini, parsed with the file and line of the value used. */
class AttributeSource {
  constructor(
    private readonly own: AttributeFile,
    private readonly defaults: AttributeFile | null,
  ) {}

  get ownRootId(): string {
    return this.own.entries.get('rootid')?.value ?? '';
  }

  /** The value in force and where it comes from, or `undefined` when neither file sets it. */
  raw(key: string): RawValue | undefined {
    const own = this.own;
    const o = own.entries.get(key);
    if (NOT_INHERITED.has(key) || this.defaults === null) {
      return o === undefined ? undefined : { value: o.value, file: own.file, line: o.line };
    }
    const d = this.defaults.entries.get(key);
    if (o !== undefined && (o.value !== '' || EMPTY_DISABLES.has(key) || d === undefined)) {
      return { value: o.value, file: own.file, line: o.line };
    }
    return d === undefined ? undefined : { value: d.value, file: this.defaults.file, line: d.line };
  }

  /** The parsed value, or the parsed shipping default when unset or empty. */
  typed<T>(key: string, parse: (v: string) => T): T {
    const raw = this.raw(key);
    if (raw !== undefined && raw.value !== '') {
      return parseAt(raw, key, parse);
    }
    const fallback = Object.hasOwn(SHIPPING_DEFAULTS, key) ? SHIPPING_DEFAULTS[key] : undefined;
    if (fallback === undefined) {
      throw new Error(`no shipping default for ${key}`);
    }
    return parse(fallback);
  }

  /** The parsed value, or `null` when unset or empty. */
  optional<T>(key: string, parse: (v: string) => T): T | null {
    const raw = this.raw(key);
    return raw === undefined || raw.value === '' ? null : parseAt(raw, key, parse);
  }

  text(key: string): string | null {
    return this.optional(key, (v) => v);
  }
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

/**
 * Parsers for the value syntaxes of catalog attributes and record fields (§4.2, §4.3).
 * Each returns the typed value or throws {@link CatalogValueError} with a short reason; callers add
 * the file, line and name.
 */

/** A value in a catalog file that does not match its syntax. */
export class CatalogValueError extends Error {
  override readonly name = 'CatalogValueError';
}

/** A catalog colour (§3.4: hex only in catalogs, `0x80ff00` or `80ff00`, optional alpha byte). */
export interface CatalogColor {
  /** Upper-case hex digits without `0x`: `RRGGBB` or `RRGGBBAA`, as written. */
  readonly hex: string;
  readonly r: number;
  readonly g: number;
  readonly b: number;
  /** 0-255; 255 (opaque) when the value has no alpha byte. */
  readonly alpha: number;
}

/** A `w,h` pair of non-negative integers (`MaxPix`, `DefaultPix`, `Size` ...). */
export type PixelPair = readonly [width: number, height: number];

const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function parseInteger(value: string, min: number, max: number): number {
  const v = value.trim();
  if (!INTEGER.test(v)) {
    throw new CatalogValueError(`${JSON.stringify(value)} is not an integer`);
  }
  const n = Number(v);
  if (n < min || n > max) {
    throw new CatalogValueError(`${n} is outside ${min}..${max}`);
  }
  return n;
}

export function parseReal(value: string, min = -Infinity, max = Infinity): number {
  const v = value.trim();
  if (!REAL.test(v)) {
    throw new CatalogValueError(`${JSON.stringify(value)} is not a number`);
  }
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new CatalogValueError(`${n} is outside ${min}..${max}`);
  }
  return n;
}

/** One of a fixed set of integers (`ErrorDetail` 0-3, `ThumbType` 1-3 ...). */
export function parseChoice<T extends number>(value: string, choices: readonly T[]): T {
  const n = parseInteger(value, -Infinity, Infinity);
  const hit = choices.find((c) => c === n);
  if (hit === undefined) {
    throw new CatalogValueError(`${n} is not one of ${choices.join(', ')}`);
  }
  return hit;
}

/** Flags are `0`/`1`; `true`/`false` are accepted too, in any case. */
export function parseFlag(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true') {
    return true;
  }
  if (v === '0' || v === 'false') {
    return false;
  }
  throw new CatalogValueError(`${JSON.stringify(value)} is not a flag (0 or 1)`);
}

/** `w,h` with both non-negative integers. */
export function parsePixelPair(value: string, max = 1_000_000): PixelPair {
  const parts = value.split(',');
  if (parts.length !== 2) {
    throw new CatalogValueError(`${JSON.stringify(value)} is not "w,h"`);
  }
  return [parseInteger(parts[0] ?? '', 0, max), parseInteger(parts[1] ?? '', 0, max)];
}

/** `x,y` integers (may be negative): `catalog::Anchor`. */
export function parsePoint(value: string): PixelPair {
  const parts = value.split(',');
  if (parts.length !== 2) {
    throw new CatalogValueError(`${JSON.stringify(value)} is not "x,y"`);
  }
  return [parseInteger(parts[0] ?? '', -1_000_000, 1_000_000), parseInteger(parts[1] ?? '', -1_000_000, 1_000_000)];
}

/**
 * Expiration in hours (§4.2, §6): a real >= 0, or -1 (never expires).
 * Other negative values are refused so a typo cannot silently disable expiry.
 */
export function parseHours(value: string): number {
  const n = parseReal(value);
  if (n < 0 && n !== -1) {
    throw new CatalogValueError(`${n} hours: use a value >= 0, or -1 for "never expires"`);
  }
  return n;
}

/** Catalog colour: `[0x]RRGGBB[AA]`, case-insensitive. */
export function parseCatalogColor(value: string): CatalogColor {
  const v = value.trim().replace(/^0x/i, '');
  if (!/^([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(v)) {
    throw new CatalogValueError(`${JSON.stringify(value)} is not a hex colour ([0x]RRGGBB[AA])`);
  }
  const hex = v.toUpperCase();
  const byte = (i: number): number => parseInt(hex.slice(i, i + 2), 16);
  return { hex, r: byte(0), g: byte(2), b: byte(4), alpha: hex.length === 8 ? byte(6) : 255 };
}

/** `JpegQuality` (§4.2): `quality[,chroma]`, quality 1-100, chroma flag 0/1 (1 disables chroma subsampling). */
export function parseJpegQuality(value: string): { readonly quality: number; readonly chroma: boolean } {
  const parts = value.split(',');
  if (parts.length > 2) {
    throw new CatalogValueError(`${JSON.stringify(value)} is not "quality[,chroma]"`);
  }
  const quality = parseInteger(parts[0] ?? '', 1, 100);
  const chroma = parts[1] === undefined || parts[1].trim() === '' ? false : parseFlag(parts[1]);
  return { quality, chroma };
}

const TIME_ZONES: Readonly<Record<string, number>> = {
  GMT: 0, UTC: 0, UT: 0, Z: 0, WET: 0, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600, JST: 540, IST: 330, AEST: 600, AEDT: 660,
};

const DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(?:GMT([+-])(\d{1,2})(?::?(\d{2}))?|([A-Za-z]{1,5}))$/;

/**
 * `TimeStamp` (§4.2): milliseconds since the epoch, or `mm/dd/yyyy hh:mm:ss zzz` where `zzz` is a
 * zone abbreviation (GMT, UTC, PST ...) or `GMT±h[:mm]`. Returns milliseconds since the epoch.
 */
export function parseTimeStamp(value: string): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    return Number(v);
  }
  const m = DATE_TIME.exec(v);
  if (m === null) {
    throw new CatalogValueError(`${JSON.stringify(value)} is not a time stamp (ms since epoch or "mm/dd/yyyy hh:mm:ss zzz")`);
  }
  const [, mo, d, y, h, mi, s, sign, oh, om, abbr] = m;
  let offsetMinutes: number;
  if (abbr !== undefined) {
    const zone = abbr.toUpperCase();
    const known = Object.hasOwn(TIME_ZONES, zone) ? TIME_ZONES[zone] : undefined;
    if (known === undefined) {
      throw new CatalogValueError(`unknown time zone ${JSON.stringify(abbr)}`);
    }
    offsetMinutes = known;
  } else {
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0));
  }
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new CatalogValueError(`${JSON.stringify(value)} is not a valid date`);
  }
  return Date.UTC(Number(y), month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
}

/** Comma-separated list, items trimmed, empty items dropped (`CatalogFile=a.txt, b.txt`). */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

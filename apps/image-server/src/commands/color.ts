import { ImageServingError } from '@openexp/errors';

/** An 8-bit RGBA colour; `alpha` 0 (transparent) … 255 (opaque). */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  alpha: number;
}

const clampByte = (n: number): number => Math.max(0, Math.min(255, Math.round(n)));

function invalid(command: string, value: string, why: string): ImageServingError {
  return new ImageServingError('IMG_INVALID_COMMAND_VALUE', `${command}=${value}: ${why}`, { command, value });
}

function hexBytes(hex: string): number[] | undefined {
  if (!/^[0-9a-f]*$/i.test(hex) || hex.length % 2 !== 0) {
    return undefined;
  }
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) {
    out.push(parseInt(hex.slice(i, i + 2), 16));
  }
  return out;
}

function cmykToRgb(c: number, m: number, y: number, k: number): [number, number, number] {
  // Naive device conversion: no ICC profiles in v1 (image-serving.md §9, out of scope).
  return [255 * (1 - c) * (1 - k), 255 * (1 - m) * (1 - k), 255 * (1 - y) * (1 - k)];
}

function decimalList(body: string): number[] | undefined {
  const parts = body.split(',');
  const nums = parts.map((p) => (/^\d+(\.\d+)?$/.test(p) ? Number(p) : NaN));
  return nums.some((n) => Number.isNaN(n)) ? undefined : nums;
}

/** Builds the usage error for the value being parsed, from why it is not a colour. */
type Refusal = (why: string) => ImageServingError;

/**
 * Parses an Image Serving colour value (image-serving.md §3.4), case-insensitively:
 * `r,g,b[,a][r]` decimal, `[0x]RRGGBB[AA]`, gray `gray[,alpha]g` (percent) or `0xGG[AA]g`,
 * CMYK `c,m,y,k[,a]k` (percent) or `[0x]CCMMYYKK[AA]k`; a trailing `s` (source space) is ignored.
 * Throws a usage error naming the command and value when the value is not a colour.
 */
export function parseColor(command: string, raw: string): Rgba {
  let v = raw.trim().toLowerCase();
  if (v.endsWith('s') && v.length > 1) {
    v = v.slice(0, -1);
  }
  const bad: Refusal = (why) => invalid(command, raw, why);
  if (v.endsWith('g')) {
    return grayColor(v.slice(0, -1), bad);
  }
  if (v.endsWith('k')) {
    return cmykColor(v.slice(0, -1), bad);
  }
  if (v.includes(',')) {
    return decimalRgbColor(v.endsWith('r') ? v.slice(0, -1) : v, bad);
  }
  return hexRgbColor(v.startsWith('0x') ? v.slice(2) : v, bad);
}

/** Gray without its `g`: `0xGG[AA]` bytes, or `gray[,alpha]` in percent. */
function grayColor(body: string, bad: Refusal): Rgba {
  if (body.startsWith('0x')) {
    const bytes = hexBytes(body.slice(2));
    if (!bytes || bytes.length < 1 || bytes.length > 2) {
      throw bad('gray colour must be 0xGG[AA]g');
    }
    const [g = 0, a = 255] = bytes;
    return { r: g, g, b: g, alpha: a };
  }
  const nums = decimalList(body);
  if (!nums || nums.length < 1 || nums.length > 2 || nums.some((n) => n > 100)) {
    throw bad('gray colour must be gray[,alpha]g in percent');
  }
  const gray = clampByte(((nums[0] ?? 0) * 255) / 100);
  return { r: gray, g: gray, b: gray, alpha: clampByte(((nums[1] ?? 100) * 255) / 100) };
}

/** CMYK without its `k`: `[0x]CCMMYYKK[AA]` bytes, or `c,m,y,k[,a]` in percent. */
function cmykColor(body: string, bad: Refusal): Rgba {
  const hex = body.startsWith('0x') ? body.slice(2) : body;
  const bytes = !body.includes(',') ? hexBytes(hex) : undefined;
  if (bytes && (bytes.length === 4 || bytes.length === 5)) {
    const [c = 0, m = 0, y = 0, k = 0, a = 255] = bytes;
    const [r, g, b] = cmykToRgb(c / 255, m / 255, y / 255, k / 255);
    return { r: clampByte(r), g: clampByte(g), b: clampByte(b), alpha: a };
  }
  const nums = decimalList(body);
  if (!nums || nums.length < 4 || nums.length > 5 || nums.some((n) => n > 100)) {
    throw bad('CMYK colour must be c,m,y,k[,a]k in percent or [0x]CCMMYYKK[AA]k');
  }
  const [c = 0, m = 0, y = 0, k = 0, a = 100] = nums;
  const [r, g, b] = cmykToRgb(c / 100, m / 100, y / 100, k / 100);
  return { r: clampByte(r), g: clampByte(g), b: clampByte(b), alpha: clampByte((a * 255) / 100) };
}

/** `r,g,b[,a]` (without a trailing `r`): integers 0-255. */
function decimalRgbColor(body: string, bad: Refusal): Rgba {
  const nums = decimalList(body);
  if (!nums || nums.length < 3 || nums.length > 4 || nums.some((n) => n > 255 || !Number.isInteger(n))) {
    throw bad('RGB colour must be r,g,b[,a] with integers 0-255');
  }
  const [r = 0, g = 0, b = 0, a = 255] = nums;
  return { r, g, b, alpha: a };
}

/** `RRGGBB[AA]` (without `0x`). */
function hexRgbColor(hex: string, bad: Refusal): Rgba {
  const bytes = hexBytes(hex);
  if (!bytes || (bytes.length !== 3 && bytes.length !== 4)) {
    throw bad('colour must be [0x]RRGGBB[AA], r,g,b[,a], a gray or a CMYK value');
  }
  const [r = 0, g = 0, b = 0, a = 255] = bytes;
  return { r, g, b, alpha: a };
}

/** `RRGGBB` upper-case hex, the way catalog attributes and `req=props` show colours. */
export function colorToHex(c: Rgba): string {
  return [c.r, c.g, c.b].map((n) => n.toString(16).padStart(2, '0')).join('').toUpperCase();
}

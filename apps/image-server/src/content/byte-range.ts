/** What a `Range` header asks of a representation of `size` bytes (RFC 9110 §14). */
export type RangeDecision =
  /** Send the whole representation (no header, a header that does not parse, several ranges). */
  | { readonly kind: 'full' }
  /** Send bytes `start`..`end` (inclusive) with 206. */
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  /** No byte of the range exists: 416 with `Content-Range: bytes *\/size`. */
  | { readonly kind: 'unsatisfiable' };

const FULL: RangeDecision = Object.freeze({ kind: 'full' });
const UNSATISFIABLE: RangeDecision = Object.freeze({ kind: 'unsatisfiable' });

/** Longest `Range` header looked at; longer ones are ignored (the whole file is sent). */
const MAX_HEADER_LENGTH = 200;

/**
 * Decides a `Range: bytes=…` request for a file of `size` bytes.
 *
 * - One range (`a-b`, `a-`, `-n`): 206 for the bytes that exist (`b` is clamped to the last
 *   byte), 416 when the first byte is past the end or the suffix is `-0`.
 * - Several ranges: the whole file with 200. RFC 9110 lets a server ignore `Range`; answering
 *   with `multipart/byteranges` would let one request ask for the same bytes many times over
 *   (an amplification the RFC warns about), and the clients of static content (video players,
 *   PDF viewers, download managers) ask for one range at a time.
 * - A header that does not parse (other unit, `b < a`, signs, spaces inside numbers, longer than
 *   200 characters): ignored, the whole file with 200, as RFC 9110 says for an invalid `Range`.
 */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined || header.length > MAX_HEADER_LENGTH) {
    return FULL;
  }
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  const set = m?.[1];
  if (set === undefined) {
    return FULL;
  }
  const specs = set.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length !== 1) {
    return FULL;
  }
  const spec = /^(\d*)-(\d*)$/.exec(specs[0] ?? '');
  if (spec === null) {
    return FULL;
  }
  const [, first = '', last = ''] = spec;
  if (first === '' && last === '') {
    return FULL;
  }
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) {
      return UNSATISFIABLE;
    }
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  // Digits only: Number() is finite (or Infinity for absurd lengths); comparisons stay right.
  const start = Number(first);
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last);
  if (end < start) {
    return FULL;
  }
  if (start >= size) {
    return UNSATISFIABLE;
  }
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

/**
 * `If-Range` (RFC 9110 §13.1.5): the range applies only when the validator still names this
 * version: a strong ETag equal to `etag` (a weak one never matches), or an HTTP date equal to
 * `lastModified` (to the second). Absent → the range applies.
 */
export function ifRangeHolds(ifRange: string | undefined, etag: string, lastModified: Date): boolean {
  if (ifRange === undefined) {
    return true;
  }
  const v = ifRange.trim();
  if (v.startsWith('"') || v.startsWith('W/')) {
    return v === etag;
  }
  const date = Date.parse(v);
  return Number.isFinite(date) && date === Math.floor(lastModified.getTime() / 1000) * 1000;
}

/** Character sets of rule-set expressions as sorted code-unit ranges (`regex-syntax.ts` parses classes into them). */

/** Sorted, merged inclusive code-unit ranges `[lo0, hi0, lo1, hi1, …]`. */
export type Ranges = readonly number[];

export const DIGIT: Ranges = [0x30, 0x39];
export const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
export const SPACE: Ranges = [0x09, 0x0d, 0x20, 0x20];

/** Sorts and merges overlapping or adjacent ranges. */
export function normalize(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    pairs.push([ranges[i] ?? 0, ranges[i + 1] ?? 0]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] ?? 0) + 1) {
      out[last] = Math.max(out[last] ?? 0, hi);
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** Every code unit (up to U+FFFF) outside `ranges`. */
export function complement(ranges: Ranges): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] ?? 0;
    if (lo > next) {
      out.push(next, lo - 1);
    }
    next = (ranges[i + 1] ?? 0) + 1;
  }
  if (next <= 0xffff) {
    out.push(next, 0xffff);
  }
  return out;
}

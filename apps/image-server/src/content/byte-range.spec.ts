import { decideRange, ifRangeHolds } from './byte-range';

describe('decideRange (RFC 9110 §14, one range at a time)', () => {
  it.each([
    ['bytes=0-0', { kind: 'partial', start: 0, end: 0 }],
    ['bytes=10-19', { kind: 'partial', start: 10, end: 19 }],
    ['BYTES = 10-19', { kind: 'partial', start: 10, end: 19 }],
    ['bytes=90-', { kind: 'partial', start: 90, end: 99 }],
    ['bytes=90-1000', { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-10', { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-1000', { kind: 'partial', start: 0, end: 99 }],
    ['bytes=0-1,4-5', { kind: 'full' }],
    ['bytes=0-1,', { kind: 'partial', start: 0, end: 1 }],
    ['bytes=5-1', { kind: 'full' }],
    ['bytes=-', { kind: 'full' }],
    ['bytes=+1-2', { kind: 'full' }],
    ['bytes=1.5-2', { kind: 'full' }],
    ['items=0-1', { kind: 'full' }],
    ['0-1', { kind: 'full' }],
    ['bytes=100-', { kind: 'unsatisfiable' }],
    ['bytes=100-200', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=99999999999999999999999999-', { kind: 'unsatisfiable' }],
    [`bytes=0-${'9'.repeat(300)}`, { kind: 'full' }],
  ])('%s of 100 bytes → %j', (header, expected) => {
    expect(decideRange(header, 100)).toEqual(expected);
  });

  it('sends the whole representation without a Range header, and nothing is satisfiable in an empty file', () => {
    expect(decideRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('ifRangeHolds (RFC 9110 §13.1.5)', () => {
  const lm = new Date('2026-01-02T03:04:05.678Z');
  it('holds without If-Range, for the same strong ETag, or the same date to the second', () => {
    expect(ifRangeHolds(undefined, '"a"', lm)).toBe(true);
    expect(ifRangeHolds('"a"', '"a"', lm)).toBe(true);
    expect(ifRangeHolds('Fri, 02 Jan 2026 03:04:05 GMT', '"a"', lm)).toBe(true);
  });
  it('fails for another ETag, a weak one, another date or garbage', () => {
    expect(ifRangeHolds('"b"', '"a"', lm)).toBe(false);
    expect(ifRangeHolds('W/"a"', '"a"', lm)).toBe(false);
    expect(ifRangeHolds('Fri, 02 Jan 2026 03:04:04 GMT', '"a"', lm)).toBe(false);
    expect(ifRangeHolds('soon', '"a"', lm)).toBe(false);
  });
});

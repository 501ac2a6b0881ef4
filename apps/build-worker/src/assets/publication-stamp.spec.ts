import { formatStamp, isOlderThan, stampOf, STAMP_COLUMN } from './publication-stamp';

describe('publication stamp', () => {
  const stamp = { version: 3, jobId: 'job;=1 é', requestedAt: '2026-12-07T05:00:00.000Z', sourceFormat: 'jpeg' };

  it('round-trips through the ignored record column, whatever the job id holds', () => {
    const text = formatStamp(stamp);
    expect(text).not.toMatch(/[\t\r\n"]/);
    expect(stampOf(new Map([['.published', text]]))).toEqual(stamp);
    expect(stampOf(new Map([[STAMP_COLUMN, text]]))).toEqual(stamp);
  });

  it('carries the path of the version it replaced', () => {
    const withPrevious = { ...stamp, previousPath: 'assets/a b/job1.tif' };
    expect(stampOf(new Map([[STAMP_COLUMN, formatStamp(withPrevious)]]))).toEqual(withPrevious);
    expect(stampOf(new Map([[STAMP_COLUMN, formatStamp(stamp)]]))?.previousPath).toBeUndefined();
  });

  it('reads no stamp from a hand-written record or a damaged value', () => {
    expect(stampOf(undefined)).toBeUndefined();
    expect(stampOf(new Map([['Path', 'x.tif']]))).toBeUndefined();
    expect(stampOf(new Map([[STAMP_COLUMN, 'v=0;job=a;at=b']]))).toBeUndefined();
    expect(stampOf(new Map([[STAMP_COLUMN, 'v=2;job=%E0%A4%A;at=b']]))).toBeUndefined();
    expect(stampOf(new Map([[STAMP_COLUMN, 'v=2;at=b']]))).toBeUndefined();
  });

  it('orders requests by their time; an unstamped record is never newer', () => {
    expect(isOlderThan('2026-12-07T04:59:59.999Z', stamp)).toBe(true);
    expect(isOlderThan('2026-12-07T05:00:00.000Z', stamp)).toBe(false);
    expect(isOlderThan('2026-12-07T05:00:01Z', stamp)).toBe(false);
    expect(isOlderThan('2020-01-01T00:00:00Z', undefined)).toBe(false);
    expect(isOlderThan('not a date', stamp)).toBe(false);
  });
});

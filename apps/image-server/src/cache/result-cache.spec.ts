import { ResultCache } from './result-cache';
import { SingleFlight } from './single-flight';

const entry = (n: number) => ({ body: Buffer.alloc(n), etag: '"x"', meta: n });

describe('ResultCache', () => {
  it('evicts the least recently used entries beyond its byte budget', () => {
    const cache = new ResultCache<number>(2 * 1512 + 100, 10_000);
    cache.set('a', entry(1000));
    cache.set('b', entry(1000));
    cache.get('a');
    cache.set('c', entry(1000));
    expect(cache.get('a')?.meta).toBe(1000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.bytes).toBeLessThanOrEqual(2 * 1512 + 100);
    expect(cache.size).toBe(2);
  });

  it('keeps nothing when disabled or when an entry is too large', () => {
    const off = new ResultCache<number>(0, 10);
    off.set('a', entry(1));
    expect(off.enabled).toBe(false);
    expect(off.get('a')).toBeUndefined();
    const small = new ResultCache<number>(10_000, 10);
    small.set('a', entry(11));
    expect(small.get('a')).toBeUndefined();
  });
});

describe('SingleFlight', () => {
  it('shares one call among concurrent callers of a key and forgets it once settled', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    const work = () => new Promise<number>((r) => setImmediate(() => r(++calls)));
    const a = flight.run('k', work);
    const b = flight.run('k', work);
    const c = flight.run('other', work);
    expect([a.shared, b.shared, c.shared]).toEqual([false, true, false]);
    expect(await a.promise).toBe(await b.promise);
    await c.promise;
    expect(flight.size).toBe(0);
    expect((await flight.run('k', work).promise)).toBe(3);
  });
});

import { catalogToken, RenderedImageCache } from './rendered-image.cache';

const img = (n: number) => ({ data: Buffer.alloc(n) });

describe('RenderedImageCache', () => {
  it('evicts the least recently used entries beyond the entry and byte limits', () => {
    const cache = new RenderedImageCache({ maxEntries: 2, maxBytes: 100, ttlMs: 1000 });
    cache.set('a', img(10));
    cache.set('b', img(10));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', img(10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    cache.set('d', img(95));
    expect(cache.size).toEqual({ entries: 1, bytes: 95 });
    cache.set('huge', img(101));
    expect(cache.get('huge')).toBeUndefined();
  });

  it('forgets entries older than the TTL', () => {
    let now = 0;
    const cache = new RenderedImageCache({ maxEntries: 10, maxBytes: 1000, ttlMs: 50 }, () => now);
    cache.set('a', img(5));
    now = 49;
    expect(cache.get('a')).toBeDefined();
    now = 50;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('renders concurrent misses of one key once, and does not keep failures', async () => {
    const cache = new RenderedImageCache({ maxEntries: 10, maxBytes: 1000, ttlMs: 1000 });
    let calls = 0;
    const produce = async () => {
      calls++;
      await new Promise((r) => setImmediate(r));
      return img(3);
    };
    const [a, b] = await Promise.all([cache.getOrProduce('k', produce), cache.getOrProduce('k', produce)]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    await expect(cache.getOrProduce('bad', () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    expect(await cache.getOrProduce('bad', () => Promise.resolve(img(1)))).toEqual(img(1));
  });

  it('gives each catalog object its own token', () => {
    const a = {};
    const b = {};
    expect(catalogToken(a)).toBe(catalogToken(a));
    expect(catalogToken(a)).not.toBe(catalogToken(b));
  });
});

import { currentPurgeTags, objectTag, TagIndex, urlTag, withPurgeTags } from './tag-index';

describe('purge tags', () => {
  it('finds the keys of a tag once, and prunes keys the cache no longer holds', () => {
    const index = new TagIndex();
    index.add('k1', [objectTag('cat', 'a'), urlTag('/is/image/cat/a?wid=1')], () => true);
    index.add('k2', [objectTag('cat', 'a')], () => true);
    index.add('k3', [objectTag('cat', 'b')], () => true);
    expect([...index.take([objectTag('cat', 'a')])].sort()).toEqual(['k1', 'k2']);
    expect([...index.take([objectTag('cat', 'a')])]).toEqual([]);
    expect([...index.take([urlTag('/is/image/cat/a?wid=1'), objectTag('cat', 'b')])].sort()).toEqual(['k1', 'k3']);
    const live = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      index.add(`e${i}`, [objectTag('cat', `o${i}`)], (k) => live.has(k));
    }
    live.add('e4999');
    index.add('e5000', [objectTag('cat', 'o5000')], (k) => live.has(k) || k === 'e5000');
    expect(index.take([objectTag('cat', 'o1')]).size).toBe(0);
  });

  it('carries the tags of the request being answered through async work', async () => {
    expect(currentPurgeTags()).toEqual([]);
    const seen = await withPurgeTags(['t'], async () => {
      await new Promise((r) => setImmediate(r));
      return currentPurgeTags();
    });
    expect(seen).toEqual(['t']);
  });
});

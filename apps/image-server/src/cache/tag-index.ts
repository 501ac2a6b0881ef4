import { AsyncLocalStorage } from 'node:async_hooks';

/** Purge tag of every reply of one object: the request's main catalog and the object id. */
export function objectTag(catalog: string, objectId: string): string {
  return `object:${catalog}/${objectId}`;
}

/** Purge tag of the reply to one URL, as the client sent it (`/is/image/cat/id?wid=200`). */
export function urlTag(pathAndQuery: string): string {
  return `url:${pathAndQuery}`;
}

/**
 * Cache keys by tag. Keys the cache has evicted stay listed until the index is pruned: when it
 * holds more than twice the keys that were live at the last pruning (plus a margin), it keeps only
 * the keys still cached, so it stays proportional to the cache.
 */
export class TagIndex {
  private readonly keysByTag = new Map<string, Set<string>>();
  private listed = 0;
  private pruneAt = 1024;

  add(key: string, tags: readonly string[], live: (key: string) => boolean): void {
    for (const tag of tags) {
      let keys = this.keysByTag.get(tag);
      if (keys === undefined) {
        keys = new Set();
        this.keysByTag.set(tag, keys);
      }
      if (!keys.has(key)) {
        keys.add(key);
        this.listed++;
      }
    }
    if (this.listed > this.pruneAt) {
      this.prune(live);
    }
  }

  /** The keys of `tags`, which leave the index. */
  take(tags: readonly string[]): Set<string> {
    const keys = new Set<string>();
    for (const tag of tags) {
      const listed = this.keysByTag.get(tag);
      if (listed !== undefined) {
        this.keysByTag.delete(tag);
        this.listed -= listed.size;
        listed.forEach((k) => keys.add(k));
      }
    }
    return keys;
  }

  private prune(live: (key: string) => boolean): void {
    this.listed = 0;
    for (const [tag, keys] of this.keysByTag) {
      for (const key of keys) {
        if (!live(key)) {
          keys.delete(key);
        }
      }
      if (keys.size === 0) {
        this.keysByTag.delete(tag);
      }
      this.listed += keys.size;
    }
    this.pruneAt = Math.max(1024, this.listed * 2);
  }
}

const purgeTags = new AsyncLocalStorage<readonly string[]>();

/** Runs `work` so that the replies it stores in the result cache carry `tags`. */
export function withPurgeTags<T>(tags: readonly string[], work: () => Promise<T>): Promise<T> {
  return purgeTags.run(tags, work);
}

/** The tags of the request being answered (see {@link withPurgeTags}); none outside one. */
export function currentPurgeTags(): readonly string[] {
  return purgeTags.getStore() ?? [];
}

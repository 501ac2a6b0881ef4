/** One cached reply: the encoded body plus whatever the caller needs to answer without rendering. */
export interface CacheEntry<M> {
  body: Buffer;
  /** Quoted MD5 of the body, computed once when stored. */
  etag: string;
  meta: M;
}

/**
 * Bounded in-memory result cache (image-serving.md §6 "server-side cache"): LRU by the bytes of the
 * bodies. Keys are built by the caller from the resolved request, the sources' modification times
 * and the catalog version, so a changed file or catalog misses naturally and old entries age out.
 */
export class ResultCache<M> {
  /** Insertion order is recency order: a hit moves the entry to the end, eviction takes from the start. */
  private readonly entries = new Map<string, CacheEntry<M>>();
  private held = 0;

  /**
   * @param maxBytes total body bytes kept; 0 disables the cache.
   * @param maxEntryBytes larger bodies are not kept.
   */
  constructor(
    private readonly maxBytes: number,
    private readonly maxEntryBytes: number,
  ) {}

  /** True when the cache keeps anything at all. */
  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  get(key: string): CacheEntry<M> | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CacheEntry<M>): void {
    const size = sizeOf(entry);
    if (!this.enabled || entry.body.length > this.maxEntryBytes || size > this.maxBytes) {
      return;
    }
    this.delete(key);
    this.entries.set(key, entry);
    this.held += size;
    for (const [oldest, old] of this.entries) {
      if (this.held <= this.maxBytes) {
        break;
      }
      this.entries.delete(oldest);
      this.held -= sizeOf(old);
    }
  }

  /** Bytes currently held (bodies plus a fixed per-entry overhead). */
  get bytes(): number {
    return this.held;
  }

  /** Entries currently held. */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }

  /** Drops one entry; true when it was held. */
  delete(key: string): boolean {
    const old = this.entries.get(key);
    if (old === undefined) {
      return false;
    }
    this.entries.delete(key);
    this.held -= sizeOf(old);
    return true;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}

/** Body bytes plus an estimate of the key, metadata and bookkeeping. */
function sizeOf(entry: CacheEntry<unknown>): number {
  return entry.body.length + 512;
}

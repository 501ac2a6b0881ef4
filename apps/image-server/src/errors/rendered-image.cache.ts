/** Bounds of a {@link RenderedImageCache}. */
export interface RenderedImageCacheLimits {
  maxEntries: number;
  maxBytes: number;
  /** Entries older than this are rendered again, so a changed error/default image file shows up. */
  ttlMs: number;
}

interface Entry<T> {
  image: T;
  expiresAt: number;
}

/**
 * A small LRU of rendered error and default images, bounded by entries, bytes and age. Keys
 * include a per-catalog-version token ({@link catalogToken}), so a catalog reload misses.
 */
export class RenderedImageCache<T extends { data: Buffer }> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Map<string, Promise<T>>();
  private bytes = 0;

  constructor(
    private readonly limits: RenderedImageCacheLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.bytes -= entry.image.data.length;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.image;
  }

  set(key: string, image: T): void {
    if (image.data.length > this.limits.maxBytes) {
      return;
    }
    const prior = this.entries.get(key);
    if (prior !== undefined) {
      this.entries.delete(key);
      this.bytes -= prior.image.data.length;
    }
    this.entries.set(key, { image, expiresAt: this.now() + this.limits.ttlMs });
    this.bytes += image.data.length;
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) {
        break;
      }
      this.entries.delete(oldKey);
      this.bytes -= old.image.data.length;
    }
  }

  /**
   * The cached value, or the one `produce` makes; concurrent misses of one key share one
   * `produce` call, so a burst of identical failures renders once.
   */
  async getOrProduce(key: string, produce: () => Promise<T>): Promise<T> {
    const hit = this.get(key);
    if (hit !== undefined) {
      return hit;
    }
    const pending = this.inFlight.get(key);
    if (pending !== undefined) {
      return pending;
    }
    const promise = produce().then(
      (value) => {
        this.inFlight.delete(key);
        this.set(key, value);
        return value;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Entries and bytes held, for tests and metrics. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

const tokens = new WeakMap<object, number>();
let nextToken = 1;

/** A number unique to one catalog object: catalogs are immutable and a reload builds a new one. */
export function catalogToken(catalog: object): number {
  let token = tokens.get(catalog);
  if (token === undefined) {
    token = nextToken++;
    tokens.set(catalog, token);
  }
  return token;
}

/** How long a token lookup is reused: a revoked token, or an org whose Tags access was disabled by another process (the CLI), stops working within this time. */
export const TOKEN_CACHE_TTL_MS = 10_000;
const TOKEN_CACHE_MAX = 1000;

/**
 * A small bounded TTL cache of token hash → what the token resolved to. Only successful lookups go
 * in (failures are never cached); when full, the oldest entry goes.
 */
export class TokenCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs = TOKEN_CACHE_TTL_MS,
    private readonly max = TOKEN_CACHE_MAX,
  ) {}

  get(key: string, now: number): V | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) {
      return undefined;
    }
    if (hit.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, now: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(key, { value, until: now + this.ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }
}

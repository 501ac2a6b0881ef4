/**
 * Runs identical concurrent work once: while a call for a key is in flight, later callers of the
 * same key share its promise (and its failure). The key is forgotten as soon as it settles.
 */
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  /** Returns the running call for `key`, or starts `work`. `shared` tells whether it joined another caller. */
  run(key: string, work: () => Promise<V>): { promise: Promise<V>; shared: boolean } {
    const running = this.inFlight.get(key);
    if (running !== undefined) {
      return { promise: running, shared: true };
    }
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return { promise, shared: false };
  }

  /** Calls in flight. */
  get size(): number {
    return this.inFlight.size;
  }
}

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Serialises what reads and rewrites one environment's deployed state — in managed storage the
 * marker and its build register, the current entries, retention's deletions; on an SFTP host the
 * marker and the current entries — across every worker process deploying there. Two builds of one
 * environment finishing together (or a build and a republish) then take turns: the newer one ends
 * current, and retention never deletes a directory another worker is about to make current or is
 * copying from.
 */
export interface EnvironmentLock {
  /**
   * Runs `work` holding the lock `key`, waiting for it first.
   * @throws Error (retried by the job) when the lock could not be had in time.
   */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Releases what the lock holds open (a connection). */
  close?(): Promise<void>;
}

/** One process only: for unit tests and tools that run a single deployer. */
export class InProcessLock implements EnvironmentLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    }
  }
}

/** Deletes the lock only if this holder still owns it. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/** Extends the lock only if this holder still owns it. */
const EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export interface RedisLockOptions {
  /** Key prefix (the queue prefix), so that two stacks on one Redis do not share locks. */
  prefix: string;
  /** Lifetime of a lock whose holder died; renewed every third of it while held. */
  ttlMs?: number;
  /** How long to wait for the lock before giving up (the job is retried). */
  waitMs?: number;
}

/**
 * The lock on the Redis every worker shares: `SET key owner NX PX ttl`, renewed while held, released
 * by compare-and-delete. A worker that dies holding it delays the others by at most `ttlMs`.
 */
export class RedisEnvironmentLock implements EnvironmentLock {
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLockOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.waitMs = options.waitMs ?? 120_000;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const name = `${this.options.prefix}:deploy-lock:${key}`;
    const owner = randomUUID();
    await this.acquire(name, owner);
    const renew = setInterval(() => {
      this.redis.eval(EXTEND, 1, name, owner, String(this.ttlMs)).catch(() => undefined);
    }, Math.max(100, Math.floor(this.ttlMs / 3)));
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, name, owner).catch(() => undefined);
    }
  }

  /** Closes the connection; a lock asked for afterwards (a job finishing during shutdown) reconnects. */
  async close(): Promise<void> {
    if (this.redis.status !== 'end' && this.redis.status !== 'wait') {
      const ended = new Promise<void>((resolve) => this.redis.once('end', () => resolve()));
      await this.redis.quit().catch(() => this.redis.disconnect());
      // 'end' follows at once; the timer only guards a connection that never says so.
      await Promise.race([ended, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
    }
  }

  private async acquire(name: string, owner: string): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') {
      await this.redis.connect();
    }
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt += 1) {
      if ((await this.redis.set(name, owner, 'PX', this.ttlMs, 'NX')) === 'OK') {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`deploy lock ${name} not acquired within ${this.waitMs} ms`);
      }
      // 20 ms growing to 250 ms, jittered: holders keep it for milliseconds.
      await new Promise((r) => setTimeout(r, Math.min(250, 20 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random() / 2)));
    }
  }
}

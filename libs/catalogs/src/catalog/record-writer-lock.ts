import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';

/**
 * A lock file beside a record file, serializing writers across processes and machines that share
 * the folder (issue 17 item 4).
 *
 * - Taking it: `open(O_CREAT | O_EXCL)`, atomic on local file systems and on NFSv3+ (Linux ≥ 2.6.5).
 *   The file holds a random token (and, for people, the pid, host and time).
 * - Holding it: the holder touches the file every `staleMs / 3`, so a live holder's lock never
 *   looks stale, however long its edit takes.
 * - A crashed holder: a lock not touched for `staleMs` is stale. A waiter breaks it under a second
 *   O_EXCL "breaker" file, and only if the lock still holds the token it saw as stale, so two
 *   waiters never remove a lock just taken by a third. A breaker file left by a crash is itself
 *   removed once stale.
 * - Before committing, the holder checks the lock still holds its token ({@link HeldLock.assertHeld}).
 * Guarantee: mutual exclusion while every holder's process keeps running (a process stopped for
 * longer than `staleMs`, e.g. by SIGSTOP, can lose its lock; it then fails its commit check unless
 * it resumes exactly between check and rename). Clocks of the machines must agree within `staleMs`.
 */

export interface RecordLockOptions {
  /** Give up waiting after this long ({@link RecordLockTimeoutError}). */
  readonly timeoutMs: number;
  /** A lock not touched for this long belongs to a dead holder. */
  readonly staleMs: number;
}

export const DEFAULT_RECORD_LOCK_OPTIONS: RecordLockOptions = { timeoutMs: 30_000, staleMs: 20_000 };

/** The lock was not obtained within `timeoutMs`: another writer holds it (retry later). */
export class RecordLockTimeoutError extends Error {
  override readonly name = 'RecordLockTimeoutError';
}

/** The lock was broken as stale while held: the edit was not committed (retry). */
export class RecordLockLostError extends Error {
  override readonly name = 'RecordLockLostError';
}

export interface HeldLock {
  /** Throws {@link RecordLockLostError} when the lock file no longer holds this holder's token. */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

/** Takes the lock file `path`, waiting (with jittered back-off) while another writer holds it. */
export async function acquireRecordLock(path: string, options: RecordLockOptions = DEFAULT_RECORD_LOCK_OPTIONS): Promise<HeldLock> {
  const token = randomUUID();
  const deadline = Date.now() + options.timeoutMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
    if (await tryCreate(path, token)) {
      return heldLock(path, token, options.staleMs);
    }
    await breakIfStale(path, options.staleMs);
    if (Date.now() > deadline) {
      throw new RecordLockTimeoutError(`${path}: lock not obtained within ${options.timeoutMs} ms`);
    }
    await sleep(wait / 2 + Math.random() * wait);
  }
}

async function tryCreate(path: string, token: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(JSON.stringify({ token, pid: process.pid, host: hostname(), at: new Date().toISOString() }));
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if (codeOf(err) === 'EEXIST') {
      return false;
    }
    throw err;
  }
}

function heldLock(path: string, token: string, staleMs: number): HeldLock {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, Math.max(10, Math.floor(staleMs / 3)));
  timer.unref();
  return {
    assertHeld: async () => {
      if ((await tokenOf(path)) !== token) {
        throw new RecordLockLostError(`${path}: the lock was taken over while held`);
      }
    },
    release: async () => {
      clearInterval(timer);
      if ((await tokenOf(path)) === token) {
        await unlink(path).catch(ignoreNotFound);
      }
    },
  };
}

/** Removes the lock when it is stale, under the breaker file, if it still holds the token seen as stale. */
async function breakIfStale(path: string, staleMs: number): Promise<void> {
  const seen = await staleToken(path, staleMs);
  if (seen === undefined) {
    return;
  }
  const breaker = `${path}.break`;
  if (!(await tryCreate(breaker, seen))) {
    if ((await staleToken(breaker, staleMs)) !== undefined) {
      await unlink(breaker).catch(ignoreNotFound);
    }
    return;
  }
  try {
    if ((await staleToken(path, staleMs)) === seen) {
      await unlink(path).catch(ignoreNotFound);
    }
  } finally {
    await unlink(breaker).catch(ignoreNotFound);
  }
}

/** The token of a lock file not touched for `staleMs`; `undefined` when it is fresh or gone. */
async function staleToken(path: string, staleMs: number): Promise<string | undefined> {
  try {
    const s = await stat(path);
    if (Date.now() - s.mtimeMs <= staleMs) {
      return undefined;
    }
    return (await tokenOf(path)) ?? '';
  } catch (err) {
    return ignoreNotFound(err);
  }
}

async function tokenOf(path: string): Promise<string | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'token' in parsed && typeof parsed.token === 'string' ? parsed.token : '';
  } catch (err) {
    // A lock file caught between creation and its first write reads as empty: no token yet.
    return err instanceof SyntaxError ? '' : ignoreNotFound(err);
  }
}

function ignoreNotFound(err: unknown): undefined {
  if (codeOf(err) === 'ENOENT') {
    return undefined;
  }
  throw err;
}

function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

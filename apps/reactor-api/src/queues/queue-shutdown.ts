import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import { Worker, type Queue } from 'bullmq';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { ALL_QUEUES } from './internal-queues';

/** How long shutdown waits to learn whether Redis answers before treating it as down. */
const PROBE_MS = 1000;

/**
 * SIGTERM while Redis is down: @nestjs/bullmq closes queues with QUIT, which a producer connection
 * without an offline queue rejects ("Stream isn't writeable"), and workers wait for Redis to come
 * back before they close; app.close() then rejects or hangs and the process exits 1. Before those
 * hooks run, this checks Redis once: when it is down, workers are force-closed (no waiting for jobs
 * that cannot finish anyway: their locks expire and another replica picks them up as stalled) and
 * queue connections are dropped, so the later closes find nothing left to wait for.
 * With Redis up nothing changes: workers finish their current jobs as usual.
 */
@Injectable()
export class QueueShutdown implements BeforeApplicationShutdown {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    const queues = this.queues();
    if (queues.length === 0 || (await redisAnswers(queues[0] as Queue))) {
      return;
    }
    this.logger.warn('Redis is unreachable at shutdown: closing workers and queues without waiting for it');
    const closing = [
      ...this.workers().map((worker) => ({ target: worker as object, close: () => worker.close(true) })),
      ...queues.map((queue) => ({ target: queue as object, close: () => forceCloseQueue(queue) })),
    ];
    await Promise.all(
      closing.map(async ({ target, close }) => {
        try {
          await close();
        } catch (error) {
          this.logger.warn({ err: error }, 'queue connection close failed');
        }
        quietAfterClose(target);
      }),
    );
  }

  private queues(): Queue[] {
    return ALL_QUEUES.flatMap((name) => {
      try {
        return [this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })];
      } catch {
        return [];
      }
    });
  }

  /** Workers of reactor-api's consumers: providers with a `worker` getter (results, callbacks, secret exchanges). */
  private workers(): Worker[] {
    return this.discovery.getProviders().flatMap((wrapper) => {
      const instance = wrapper.instance as unknown;
      const worker = typeof instance === 'object' && instance !== null ? workerOf(instance) : undefined;
      return worker instanceof Worker ? [worker] : [];
    });
  }
}

/**
 * `Queue.close()` ends with QUIT, which a producer connection without an offline queue rejects, and
 * `Queue.disconnect()` waits for an 'end' event that ioredis never emits for a client sitting in
 * its reconnect delay. The connection's own forced close drops the socket and marks it ended without
 * waiting; the later `Queue.close()` then finds it closed and resolves.
 *
 * This and {@link quietAfterClose} are the only private BullMQ API reactor-api still uses: BullMQ has
 * `Worker.close(force)` but no forced close of a Queue (nor a way to reach its connection), so the
 * workaround stays here, in one place. test/redis-down.int-spec.ts ("app.close() resolves ... while
 * Redis is down") fails when BullMQ changes it: with a plain `queue.close()` instead, app.close()
 * rejects with "Stream isn't writeable".
 */
async function forceCloseQueue(queue: Queue): Promise<void> {
  const connection = (queue as unknown as { connection?: { close(force: boolean): Promise<void> } }).connection;
  if (connection === undefined) {
    await queue.close();
    return;
  }
  await connection.close(true);
}

/**
 * A connection still connecting when Redis died rejects its start-up promise later, and BullMQ
 * re-emits that as an 'error' event on the connection; close() has removed every listener by then,
 * so the event would crash the process. Closed connections get a listener that drops it.
 */
function quietAfterClose(target: object): void {
  for (const key of ['connection', 'blockingConnection']) {
    const connection = (target as Record<string, unknown>)[key];
    if (connection instanceof EventEmitter) {
      connection.on('error', () => undefined);
    }
  }
}

/** A consumer's getter may throw before its worker exists. */
function workerOf(instance: object): unknown {
  if (!('worker' in instance)) {
    return undefined;
  }
  try {
    return (instance as { worker?: unknown }).worker;
  } catch {
    return undefined;
  }
}

async function redisAnswers(queue: Queue): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_MS);
  });
  const probe = (async () => {
    // BullMQ types its client narrowly; it is an ioredis client.
    const client = (await queue.client) as unknown as { status: string; ping(): Promise<string> };
    if (client.status !== 'ready') {
      return false;
    }
    await client.ping();
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { InternalJobName, InternalQueueName } from '../queues/internal-queues';
import { CallbackDeliveriesRepository } from './callback-deliveries.repository';
import { deliveryJobOptions, type DeliverCallbackJob } from './callback-schedule';

/** How often committed outbox rows are looked for (audit writes also nudge it). */
const POLL_MS = 1000;
/** Delay of a nudge: the transaction that wrote the row commits in the meantime. */
const NUDGE_MS = 100;
const BATCH = 100;

/**
 * Moves committed outbox rows onto the `callbacks` queue, then deletes them. No lock is held while
 * Redis is called: two replicas reading the same rows enqueue the same job ids, which BullMQ
 * ignores. While Redis is down the rows simply wait (the producer fails fast; one warning per outage).
 */
@Injectable()
export class CallbackDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private interval: NodeJS.Timeout | undefined;
  private nudged: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly deliveries: CallbackDeliveriesRepository,
    @InjectQueue(InternalQueueName.Callbacks) private readonly queue: Queue<DeliverCallbackJob>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.interval = setInterval(() => void this.tick(), POLL_MS);
    this.interval.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.nudged);
    await this.running;
  }

  /** Asks for a dispatch soon (after the caller's transaction has committed). */
  nudge(): void {
    if (this.nudged === undefined && !this.stopped) {
      this.nudged = setTimeout(() => {
        this.nudged = undefined;
        void this.tick();
      }, NUDGE_MS);
      this.nudged.unref();
    }
  }

  /** One dispatch pass at a time; a pass drains the outbox batch by batch. */
  tick(): Promise<void> {
    if (this.running === undefined && !this.stopped) {
      this.running = this.drain().finally(() => {
        this.running = undefined;
      });
    }
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.moveBatch()) === BATCH) {
        // another full batch may be waiting
      }
      if (this.failing) {
        this.failing = false;
        this.logger.info('callback deliveries are being queued again');
      }
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn({ err: error }, 'could not queue callback deliveries; they stay in the outbox and are retried');
      }
    }
  }

  private async moveBatch(): Promise<number> {
    const rows = await this.deliveries.oldest(BATCH);
    if (rows.length === 0) {
      return 0;
    }
    await this.queue.addBulk(
      rows.map((row) => ({
        name: InternalJobName.DeliverCallback,
        data: { callbackId: row.callback_id, auditEventId: row.audit_event_id },
        opts: deliveryJobOptions(row.id),
      })),
    );
    await this.deliveries.deleteByIds(rows.map((r) => r.id));
    return rows.length;
  }
}

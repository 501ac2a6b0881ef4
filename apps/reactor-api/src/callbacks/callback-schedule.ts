import type { JobsOptions } from 'bullmq';

/** Payload of a delivery job: ids only; the callback and the event are read when it runs. */
export interface DeliverCallbackJob {
  callbackId: string;
  auditEventId: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** §2.11: after a failed delivery, try again 1m, 5m, 30m, 1h, 12h, 1d and 3d later (each after the previous attempt), then drop. */
export const RETRY_DELAYS_MS: readonly number[] = [MINUTE, 5 * MINUTE, 30 * MINUTE, HOUR, 12 * HOUR, DAY, 3 * DAY];

/** Name of the BullMQ backoff type whose strategy is {@link callbackBackoff}. */
export const CALLBACK_BACKOFF = 'callback-schedule';

/** First attempt plus one per retry delay. */
export const DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/**
 * BullMQ custom backoff strategy: `attemptsMade` counts attempts so far (1 after the first failure).
 * Other backoff types never reach this worker; -1 tells BullMQ not to retry.
 */
export function callbackBackoff(attemptsMade: number, type?: string): number {
  if (type !== CALLBACK_BACKOFF) {
    return -1;
  }
  return RETRY_DELAYS_MS[attemptsMade - 1] ?? -1;
}

/** Options of every delivery job; the job id is the outbox row's (one per callback and event). */
export function deliveryJobOptions(jobId: string): JobsOptions {
  return {
    jobId,
    attempts: DELIVERY_ATTEMPTS,
    backoff: { type: CALLBACK_BACKOFF },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 10000 },
  };
}

import type { JobsOptions } from 'bullmq';

/**
 * Payload of an exchange job: which secret, at which credentials revision. With `refreshAt`, it is
 * the scheduled refresh due at that time (ms since the epoch, the secret's `refresh_at` when the
 * refresh was queued): dropped if the secret has since been refreshed, changed or retried.
 */
export interface ExchangeSecretJob {
  secretId: string;
  revision: number;
  refreshAt?: number;
}

/** First try plus two retries (2 s, 4 s) for transient failures (refused, timeout, 5xx, 429). */
export const EXCHANGE_ATTEMPTS = 3;

/** How long one token request may take. */
export const EXCHANGE_TIMEOUT_MS = 10_000;

/** After a failed refresh, the next one is tried this much later (never after the token expires). */
export const REFRESH_RETRY_MS = 5 * 60_000;

export function exchangeJobId(job: ExchangeSecretJob): string {
  return job.refreshAt === undefined ? `${job.secretId}-r${job.revision}` : `${job.secretId}-r${job.revision}-refresh-${job.refreshAt}`;
}

export function exchangeJobOptions(job: ExchangeSecretJob): JobsOptions {
  return {
    jobId: exchangeJobId(job),
    attempts: EXCHANGE_ATTEMPTS,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

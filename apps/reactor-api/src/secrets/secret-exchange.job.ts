import type { JobsOptions } from 'bullmq';

/** Payload of an exchange job: which secret, at which credentials revision. */
export interface ExchangeSecretJob {
  secretId: string;
  revision: number;
}

/** First try plus two retries (2 s, 4 s) for transient failures (refused, timeout, 5xx, 429). */
export const EXCHANGE_ATTEMPTS = 3;

/** How long one token request may take. */
export const EXCHANGE_TIMEOUT_MS = 10_000;

export function exchangeJobId(job: ExchangeSecretJob): string {
  return `${job.secretId}-r${job.revision}`;
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

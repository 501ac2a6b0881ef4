import { failuresFromUnknown, isTransient, type WorkerFailure } from '@openexp/errors';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';

/** 1-based number of the attempt being processed. */
export function attemptOf(job: Job): number {
  return job.attemptsMade + 1;
}

/** True when a failure of this attempt will not be retried by BullMQ. */
export function isFinalAttempt(job: Job): boolean {
  return attemptOf(job) >= (job.opts.attempts ?? 1);
}

/**
 * Runs a job's work and decides how it ends:
 * - success: `work` posted its result;
 * - transient failure (every code `isTransient`) with attempts left: rethrown, BullMQ retries with
 *   the contract's backoff and the resource stays pending (no result posted);
 * - permanent failure, or the last attempt: `onFailed` posts the failed result, then
 *   `UnrecoverableError` ends the job without further retries.
 */
export async function settleJob(
  job: Job,
  logger: Logger,
  work: () => Promise<void>,
  onFailed: (failures: WorkerFailure[], cause: unknown) => Promise<void>,
  failuresOf: (error: unknown) => WorkerFailure[] = (error) => failuresFromUnknown(error),
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const failures = failuresOf(error);
    const transient = failures.every((f) => isTransient(f.code));
    const codes = failures.map((f) => f.code);
    if (failures.some((f) => f.code === 'internal-error' || f.code === 'unknown-error')) {
      logger.error({ err: error, attempt: attemptOf(job) }, `job ${job.name} failed unexpectedly`);
    }
    if (transient && !isFinalAttempt(job)) {
      logger.warn({ attempt: attemptOf(job), codes }, `job ${job.name} failed, will retry`);
      throw error instanceof Error ? error : new Error(codes.join(', '));
    }
    logger.warn({ attempt: attemptOf(job), codes }, `job ${job.name} failed`);
    await onFailed(failures, error);
    throw new UnrecoverableError(`${job.name} ${job.id ?? ''} failed: ${codes.join(', ')}`);
  }
}

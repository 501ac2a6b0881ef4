import type { WorkerFailure } from '@openexp/errors';
import type { AssetJobResult, PublishedAsset } from '@openexp/queue-contracts';
import type { Job } from 'bullmq';
import { attemptOf } from './job-settlement';

/** The result of an asset job that ended well. */
export function succeeded(job: Job<{ jobId: string }>, asset: PublishedAsset | null): AssetJobResult {
  return { jobId: job.data.jobId, status: 'succeeded', failures: [], asset, attempt: attemptOf(job), finishedAt: new Date().toISOString() };
}

/** The result of an asset job that failed for good. */
export function failed(job: Job<{ jobId: string }>, failures: WorkerFailure[]): AssetJobResult {
  return { jobId: job.data.jobId, status: 'failed', failures, asset: null, attempt: attemptOf(job), finishedAt: new Date().toISOString() };
}

import { Injectable } from '@nestjs/common';
import { isWorkerFailure, ReactorError, toStatusDetails } from '@openexp/errors';
import { JobName, type AssetJobResult, type JobItem } from '@openexp/queue-contracts';
import { AssetStateRepository, type AssetState } from '../assets/asset-state.repository';
import { mayUseCatalog, type ApiCaller } from '../auth/api-token';
import { AssetJobsRepository } from './asset-jobs.repository';
import { isJobId, type AssetJobRecord } from './asset-job';
import { AssetQueue } from './asset-queue';

/**
 * Job resources: created pending and enqueued (upload, replace, unpublish, purge), shown to the
 * callers whose token covers their catalog, finished by the worker's result (`failed` with
 * deferred errors in `meta.status_details`, as the Reactor API's builds).
 */
@Injectable()
export class AssetJobsService {
  constructor(
    private readonly jobs: AssetJobsRepository,
    private readonly states: AssetStateRepository,
    private readonly queue: AssetQueue,
  ) {}

  /** One job the caller may see; 404 otherwise (another catalog's job is not revealed). */
  async get(caller: ApiCaller, id: string): Promise<AssetJobRecord> {
    const job = isJobId(id) ? await this.jobs.find(id) : undefined;
    if (job === undefined || !mayUseCatalog(caller, job.catalog)) {
      throw new ReactorError('not-found', `No job ${id} is visible to this token.`);
    }
    return job;
  }

  async list(catalogs: readonly string[]): Promise<AssetJobRecord[]> {
    return this.jobs.listIn(catalogs);
  }

  /**
   * Stores the job `pending`, notes it on the asset, then enqueues it. When the queue refuses,
   * the job is failed with `internal-error` (nothing stays pending forever) and the caller gets 503.
   */
  async submit(job: AssetJobRecord, item: JobItem): Promise<AssetJobRecord> {
    await this.jobs.create(job);
    if (job.assetId !== null) {
      await this.noteOnAsset(job, job.assetId);
    }
    try {
      await this.queue.enqueue(item);
    } catch (error) {
      const failures = [{ code: 'internal-error' as const, detail: 'The work queue was unavailable when this was submitted; submit it again.' }];
      await this.jobs.finish({ ...job, status: 'failed', statusDetails: toStatusDetails(failures, { meta: { request_id: job.id } }), finishedAt: new Date().toISOString() });
      throw error;
    }
    return job;
  }

  /** Applies a worker result (results queue). A result for an unknown or finished job is ignored. */
  async applyResult(result: AssetJobResult): Promise<void> {
    const job = await this.jobs.find(result.jobId);
    if (job === undefined || job.status !== 'pending') {
      return;
    }
    const failures = result.failures.filter(isWorkerFailure);
    const failed = result.status === 'failed';
    const finished: AssetJobRecord = {
      ...job,
      status: failed ? 'failed' : 'succeeded',
      attempt: result.attempt,
      finishedAt: result.finishedAt,
      updatedAt: new Date().toISOString(),
      asset: result.asset,
      statusDetails: failed
        ? toStatusDetails(failures.length > 0 ? failures : [{ code: 'unknown-error', detail: 'The worker reported a failure without details.' }], {
            meta: { request_id: job.id, attempt: result.attempt },
          })
        : null,
    };
    await this.jobs.finish(finished);
    if (finished.assetId !== null) {
      await this.applyToAsset(finished, finished.assetId);
    }
  }

  private async noteOnAsset(job: AssetJobRecord, assetId: string): Promise<void> {
    const current = await this.states.find(job.catalog, assetId);
    const state: AssetState = {
      assetId,
      status: current?.status ?? 'pending',
      published: current?.published ?? null,
      lastJobId: job.id,
      lastRequestedAt: job.createdAt,
      updatedAt: job.createdAt,
    };
    await this.states.save(job.catalog, state);
  }

  /** An older request's result never overwrites what a newer one already set. */
  private async applyToAsset(job: AssetJobRecord, assetId: string): Promise<void> {
    const current = await this.states.find(job.catalog, assetId);
    if (current !== undefined && current.lastJobId !== job.id && current.lastRequestedAt > job.createdAt && current.status !== 'pending') {
      return;
    }
    const base: AssetState = current ?? { assetId, status: 'pending', published: null, lastJobId: job.id, lastRequestedAt: job.createdAt, updatedAt: job.createdAt };
    const now = new Date().toISOString();
    if (job.status === 'failed') {
      await this.states.save(job.catalog, { ...base, status: base.status === 'pending' ? 'failed' : base.status, updatedAt: now });
      return;
    }
    const status = job.kind === 'unpublish' ? 'unpublished' : 'published';
    await this.states.save(job.catalog, { ...base, status, published: job.asset ?? base.published, updatedAt: now });
  }
}

/** The queue item of a stored job. */
export function queueItemOf(job: AssetJobRecord, stagingKey: string | null): JobItem {
  const requestedAt = job.createdAt;
  if (job.kind === 'purge') {
    return { name: JobName.PurgeAssets, data: { jobId: job.id, catalog: job.catalog, ids: job.ids, urls: job.urls, requestedAt } };
  }
  const assetId = job.assetId ?? '';
  if (job.kind === 'unpublish') {
    return { name: JobName.UnpublishAsset, data: { jobId: job.id, catalog: job.catalog, assetId, requestedAt } };
  }
  return {
    name: JobName.IngestAsset,
    data: { jobId: job.id, kind: job.kind, catalog: job.catalog, assetId, stagingKey: stagingKey ?? '', originalName: job.originalName, record: job.record, requestedAt },
  };
}

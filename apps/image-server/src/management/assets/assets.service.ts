import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { FastifyRequest } from 'fastify';
import { CatalogSnapshots } from '../catalog-snapshots';
import { mayUseCatalog, type ApiCaller } from '../auth/api-token';
import { AssetJobsRepository } from '../jobs/asset-jobs.repository';
import { AssetJobsService, queueItemOf } from '../jobs/asset-jobs.service';
import { newJobId, type AssetJobKind, type AssetJobRecord } from '../jobs/asset-job';
import type { Page, PageRequest } from '../jsonapi/api-document';
import { pageOf } from '../jsonapi/api-document';
import { AssetStateRepository } from './asset-state.repository';
import { assetStatus, type AssetView } from './asset-view';
import { assetIdProblem } from './record-fields';
import { StagingRepository } from './staging.repository';
import { readUpload, type UploadInput } from './upload.input';

/** Filters of the asset list. */
export interface AssetFilters {
  /** Ids starting with this. */
  idPrefix?: string | undefined;
  status?: string | undefined;
}

/**
 * Assets of a catalog: uploads and replacements (streamed to staging, then an ingest job),
 * unpublishing (a job), one asset and lists (the catalog's records joined with the API's state).
 */
@Injectable()
export class AssetsService {
  constructor(
    private readonly catalogs: CatalogSnapshots,
    private readonly states: AssetStateRepository,
    private readonly jobs: AssetJobsService,
    private readonly jobStore: AssetJobsRepository,
    private readonly staging: StagingRepository,
  ) {}

  /** 404 for a catalog that does not exist, 403 for one the token does not cover. */
  checkCatalog(caller: ApiCaller, catalog: string): void {
    if (catalog === '' || this.catalogs.snapshot().catalog(catalog) === undefined) {
      throw new ReactorError('not-found', `No catalog ${catalog} exists on this server.`, { meta: { catalog } });
    }
    if (!mayUseCatalog(caller, catalog)) {
      throw new ReactorError('not-authorized', `This token may not use catalog ${catalog}.`, { meta: { catalog } });
    }
  }

  async view(caller: ApiCaller, catalog: string, assetId: string): Promise<AssetView> {
    this.checkCatalog(caller, catalog);
    const view = await this.viewOf(catalog, checkedId(assetId));
    if (view.record === undefined && view.state === undefined) {
      throw new ReactorError('not-found', `No asset ${assetId} in catalog ${catalog}.`, { meta: { catalog, asset_id: assetId } });
    }
    return view;
  }

  async list(caller: ApiCaller, catalog: string, filters: AssetFilters, page: PageRequest): Promise<Page<AssetView>> {
    this.checkCatalog(caller, catalog);
    const records = this.catalogs.snapshot().catalog(catalog)?.records ?? new Map();
    const states = await this.states.all(catalog);
    const ids = [...new Set([...records.keys(), ...states.keys()])].filter((id) => filters.idPrefix === undefined || id.startsWith(filters.idPrefix)).sort();
    const views = ids
      .map((assetId): AssetView => ({ catalog, assetId, record: records.get(assetId), state: states.get(assetId) }))
      .filter((v) => filters.status === undefined || assetStatus(v) === filters.status);
    return pageOf(views, page);
  }

  /** Upload: the asset id is the form's `id` field; an existing asset is replaced. */
  async upload(caller: ApiCaller, catalog: string, request: FastifyRequest, idempotencyKey: string | undefined): Promise<AssetJobRecord> {
    this.checkCatalog(caller, catalog);
    const jobId = newJobId();
    const input = await readUpload(request, this.staging, jobId);
    if (input.id === undefined) {
      await this.staging.remove(jobId);
      throw new ReactorError('validation-error', 'Name the asset in the form field "id".', { pointer: '/id' });
    }
    return this.submitIngest(caller, catalog, input.id, { jobId, input, kind: 'upload', idempotencyKey });
  }

  /** Replace: the asset must exist (404 otherwise); record fields not given keep their values. */
  async replace(caller: ApiCaller, catalog: string, assetId: string, request: FastifyRequest, idempotencyKey: string | undefined): Promise<AssetJobRecord> {
    await this.view(caller, catalog, assetId);
    const jobId = newJobId();
    const input = await readUpload(request, this.staging, jobId);
    if (input.id !== undefined && input.id !== assetId) {
      await this.staging.remove(jobId);
      throw new ReactorError('id-mismatch', `The form field "id" (${input.id}) differs from the asset in the path (${assetId}).`, { pointer: '/id' });
    }
    return this.submitIngest(caller, catalog, assetId, { jobId, input, kind: 'replace', idempotencyKey });
  }

  async unpublish(caller: ApiCaller, catalog: string, assetId: string): Promise<AssetJobRecord> {
    const view = await this.view(caller, catalog, assetId);
    if (view.record === undefined) {
      throw new ReactorError('not-found', `Asset ${assetId} is not published in catalog ${catalog}.`, { meta: { catalog, asset_id: assetId } });
    }
    const job = newJob(caller, catalog, 'unpublish', { assetId });
    return this.jobs.submit(job, queueItemOf(job, null));
  }

  private async viewOf(catalog: string, assetId: string): Promise<AssetView> {
    const record = this.catalogs.snapshot().catalog(catalog)?.records.get(assetId);
    return { catalog, assetId, record, state: await this.states.find(catalog, assetId) };
  }

  private async submitIngest(
    caller: ApiCaller,
    catalog: string,
    assetId: string,
    upload: { jobId: string; input: UploadInput; kind: AssetJobKind; idempotencyKey: string | undefined },
  ): Promise<AssetJobRecord> {
    const { jobId, input, kind } = upload;
    const job = newJob(caller, catalog, kind, { id: jobId, assetId, record: input.record, originalName: input.originalName, bytes: input.file.bytes, sha256: input.file.sha256 });
    if (upload.idempotencyKey !== undefined) {
      const replay = await this.replay(caller, job, upload.idempotencyKey);
      if (replay !== undefined) {
        await this.staging.remove(jobId);
        return replay;
      }
    }
    return this.jobs.submit(job, queueItemOf(job, input.file.key));
  }

  /** The job an earlier request with the same key made (same request), or `undefined` for a first use. */
  private async replay(caller: ApiCaller, job: AssetJobRecord, key: string): Promise<AssetJobRecord | undefined> {
    const fingerprint = [job.kind, job.catalog, job.assetId, job.sha256, JSON.stringify(job.record)].join('\n');
    const earlier = await this.jobStore.claimIdempotencyKey(caller.tokenId, key, { jobId: job.id, fingerprint });
    if (earlier === undefined) {
      return undefined;
    }
    if (earlier.fingerprint !== fingerprint) {
      throw new ReactorError('validation-error', 'This Idempotency-Key was already used for a different request (another asset, file or record fields); use a new key.', {
        meta: { header: 'Idempotency-Key', job_id: earlier.jobId },
      });
    }
    const found = await this.jobStore.find(earlier.jobId);
    if (found === undefined) {
      throw new ReactorError('service-unavailable', 'The request with this Idempotency-Key is still being accepted; try again shortly.');
    }
    return found;
  }
}

function checkedId(assetId: string): string {
  const problem = assetIdProblem(assetId);
  if (problem !== undefined) {
    throw new ReactorError('invalid-parameter', problem, { meta: { path_parameter: 'asset id' } });
  }
  return assetId;
}

/** A pending job record. */
export function newJob(caller: ApiCaller, catalog: string, kind: AssetJobKind, fields: Partial<AssetJobRecord>): AssetJobRecord {
  const now = new Date().toISOString();
  return {
    id: newJobId(),
    kind,
    status: 'pending',
    catalog,
    assetId: null,
    ids: [],
    urls: [],
    originalName: null,
    bytes: null,
    sha256: null,
    record: {},
    tokenId: caller.tokenId,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    attempt: null,
    statusDetails: null,
    asset: null,
    ...fields,
  };
}

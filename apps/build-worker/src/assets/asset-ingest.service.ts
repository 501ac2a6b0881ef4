import type { RecordFieldValues, WritableCatalog } from '@openexp/catalogs';
import { ReactorError } from '@openexp/errors';
import type { IngestAssetJob, PublishedAsset, UnpublishAssetJob } from '@openexp/queue-contracts';
import type { AssetCatalogRepository, CurrentRecord } from './asset-catalog.repository';
import type { AssetStorage, ImageLocation } from './asset-storage';
import { fieldOf, formatStamp, isOlderThan, STAMP_COLUMN, type PublicationStamp } from './publication-stamp';
import type { PyramidConverter, PyramidFile, SourceImage } from './pyramid-converter';

/** How an ingest ended when it did not fail. */
export interface IngestOutcome {
  /** What the catalog serves for the asset now. */
  asset: PublishedAsset;
  /** `published` by this run; `already-published` by an earlier run of this job; `superseded` by a newer request (nothing written). */
  how: 'published' | 'already-published' | 'superseded';
}

/** Record fields the worker writes itself; a caller's value for them is replaced. */
const OWN_FIELDS = new Set(['path', 'size', 'timestamp']);

/**
 * Ingest and unpublish of one asset (issue 17 item 2). An ingest validates the staged upload,
 * converts it to a pyramid under the catalog's root (temporary name, then rename) and only then
 * switches the record, under the record file's lock: until that last step, and whenever a step
 * fails, the previous version stays in the catalog and keeps being served.
 */
export class AssetIngestService {
  constructor(
    private readonly catalogs: AssetCatalogRepository,
    private readonly storage: AssetStorage,
    private readonly converter: PyramidConverter,
  ) {}

  async ingest(job: IngestAssetJob): Promise<IngestOutcome> {
    checkCallerFields(job.record);
    const catalog = await this.catalogs.locate(job.catalog);
    const before = await this.catalogs.current(catalog, job.assetId);
    if (before?.stamp?.jobId === job.jobId) {
      return { asset: await this.describe(catalog, job.assetId, before), how: 'already-published' };
    }
    const staged = await this.storage.stagedFile(job.stagingKey);
    const name = job.originalName ?? job.assetId;
    const source = await this.converter.inspect(staged, name);
    const location = this.storage.location(catalog.rootPath, job.assetId, job.jobId);
    const pyramid = await this.writePyramid(staged, source, location, name);
    return this.publish(job, catalog, location, source.format, pyramid);
  }

  /** Switches the record to the new pyramid, unless this job or a newer request already published. */
  private async publish(job: IngestAssetJob, catalog: WritableCatalog, location: ImageLocation, sourceFormat: string, pyramid: PyramidFile): Promise<IngestOutcome> {
    let stamp: PublicationStamp | undefined;
    let retired: string | undefined;
    const decision = await this.catalogs
      .publish(catalog, job.assetId, (current) => {
        const next = decide(job, sourceFormat, current);
        if ('skip' in next) {
          return next;
        }
        stamp = next.stamp;
        retired = current?.stamp?.previousPath;
        return { write: recordFields(job, location, pyramid, next.stamp) };
      })
      .catch(async (error: unknown) => {
        await this.discardUnless(catalog, job, location);
        throw error;
      });
    if ('skip' in decision || stamp === undefined) {
      const now = await this.catalogs.current(catalog, job.assetId);
      if (now?.stamp?.jobId === job.jobId) {
        return { asset: await this.describe(catalog, job.assetId, now), how: 'already-published' };
      }
      await this.storage.discard(location.finalPath);
      return { asset: await this.describe(catalog, job.assetId, now), how: 'superseded' };
    }
    // Two versions back: replicas have long reloaded past it (the one just replaced may still be read for a moment).
    if (retired !== undefined && retired !== location.recordPath) {
      await this.storage.retire(catalog.rootPath, retired);
    }
    const { catalog: rootId, assetId } = job;
    const { width, height, bytes } = pyramid;
    return { asset: { catalog: rootId, assetId, version: stamp.version, path: location.recordPath, width, height, sourceFormat, bytes }, how: 'published' };
  }

  /** Removes the asset's record; a record published by a newer request than this one stays. */
  async unpublish(job: UnpublishAssetJob): Promise<'removed' | 'absent' | 'kept'> {
    const catalog = await this.catalogs.locate(job.catalog);
    return this.catalogs.unpublish(catalog, job.assetId, (current) => isOlderThan(job.requestedAt, current.stamp));
  }

  async discardStaged(key: string): Promise<void> {
    await this.storage.discardStaged(key);
  }

  private async writePyramid(staged: string, source: SourceImage, location: ImageLocation, name: string): Promise<PyramidFile> {
    await this.storage.prepare(location);
    try {
      const pyramid = await this.converter.convert(staged, source, location.tempPath, name);
      await this.storage.commit(location);
      return pyramid;
    } finally {
      await this.storage.discard(location.tempPath);
    }
  }

  /** Removes this job's pyramid when the catalog does not serve it (the record update failed): nothing is left half-published. */
  private async discardUnless(catalog: WritableCatalog, job: IngestAssetJob, location: ImageLocation): Promise<void> {
    const now = await this.catalogs.current(catalog, job.assetId).catch(() => undefined);
    if (now?.stamp?.jobId !== job.jobId) {
      await this.storage.discard(location.finalPath);
    }
  }

  /** The published asset a record describes (for a job whose publish already happened, or was superseded). */
  private async describe(catalog: WritableCatalog, assetId: string, record: CurrentRecord | undefined): Promise<PublishedAsset> {
    const path = fieldOf(record?.fields, 'Path') ?? '';
    const size = fieldOf(record?.fields, 'Size') ?? '';
    const [width, height] = size.split(',').map(Number);
    const bytes = path === '' ? undefined : await this.storage.size(`${catalog.rootPath}/${path}`);
    return {
      catalog: catalog.rootId,
      assetId,
      version: record?.stamp?.version ?? 0,
      path,
      width: width ?? 0,
      height: height ?? 0,
      sourceFormat: record?.stamp?.sourceFormat ?? 'unknown',
      bytes: bytes ?? 0,
    };
  }
}

/** Under the lock: publish as the next version, or skip when a newer request already published. */
function decide(job: IngestAssetJob, sourceFormat: string, current: CurrentRecord | undefined): { stamp: PublicationStamp } | { skip: string } {
  if (current?.stamp?.jobId === job.jobId) {
    return { skip: 'already published by this job' };
  }
  if (isOlderThan(job.requestedAt, current?.stamp)) {
    return { skip: 'a newer request is published' };
  }
  const previousPath = current?.stamp === undefined ? undefined : fieldOf(current.fields, 'Path');
  return { stamp: { version: (current?.stamp?.version ?? 0) + 1, jobId: job.jobId, requestedAt: job.requestedAt, sourceFormat, previousPath } };
}

function recordFields(job: IngestAssetJob, location: ImageLocation, pyramid: PyramidFile, stamp: PublicationStamp): RecordFieldValues {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(job.record)) {
    if (!OWN_FIELDS.has(name.toLowerCase())) {
      fields[name] = value;
    }
  }
  return {
    ...fields,
    Path: location.recordPath,
    Size: `${pyramid.width},${pyramid.height}`,
    TimeStamp: String(Date.now()),
    [STAMP_COLUMN]: formatStamp(stamp),
  };
}

/** Caller fields must be record fields, never the worker's own `.` columns. */
function checkCallerFields(record: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(record)) {
    if (name.startsWith('.') || name.toLowerCase() === 'id') {
      throw new ReactorError('asset-record-invalid', `The record field ${JSON.stringify(name)} cannot be set by a caller.`, { meta: { field: name } });
    }
  }
}

import type { ApiLinks, ApiResource } from '../jsonapi/api-document';
import type { AssetJobRecord } from './asset-job';

/** A job as a JSON:API resource (`asset_jobs`); a failed job carries its deferred errors in `meta.status_details`. */
export function presentJob(job: AssetJobRecord, links: ApiLinks): ApiResource {
  return {
    id: job.id,
    type: 'asset_jobs',
    attributes: {
      kind: job.kind,
      status: job.status,
      catalog: job.catalog,
      asset_id: job.assetId,
      ids: job.ids,
      urls: job.urls,
      original_name: job.originalName,
      bytes: job.bytes,
      sha256: job.sha256,
      record: job.record,
      published: job.asset === null ? null : { version: job.asset.version, path: job.asset.path, width: job.asset.width, height: job.asset.height, format: job.asset.sourceFormat, bytes: job.asset.bytes },
      created_at: job.createdAt,
      updated_at: job.updatedAt,
      finished_at: job.finishedAt,
    },
    relationships:
      job.assetId === null
        ? {}
        : { asset: { links: { related: links.asset(job.catalog, job.assetId) }, data: { id: `${job.catalog}/${job.assetId}`, type: 'assets' } } },
    links: { self: links.job(job.id) },
    meta: job.statusDetails === null ? { attempt: job.attempt } : { attempt: job.attempt, status_details: job.statusDetails },
  };
}

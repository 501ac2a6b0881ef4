import type { ApiLinks, ApiResource } from '../jsonapi/api-document';
import { assetFormat, assetStatus, type AssetView } from './asset-view';
import { SETTABLE_RECORD_FIELDS } from './record-fields';

/** An asset as a JSON:API resource (`assets`, id `<catalog>/<asset id>`). */
export function presentAsset(view: AssetView, links: ApiLinks): ApiResource {
  const published = view.state?.published ?? null;
  const record: Record<string, string> = {};
  for (const name of SETTABLE_RECORD_FIELDS) {
    const value = view.record?.fields.get(name.toLowerCase());
    if (value !== undefined && value !== '') {
      record[name] = value;
    }
  }
  const lastJob = view.state?.lastJobId ?? null;
  return {
    id: `${view.catalog}/${view.assetId}`,
    type: 'assets',
    attributes: {
      catalog: view.catalog,
      asset_id: view.assetId,
      status: assetStatus(view),
      version: published?.version ?? null,
      path: view.record?.path ?? published?.path ?? null,
      width: published?.width ?? view.record?.size?.[0] ?? null,
      height: published?.height ?? view.record?.size?.[1] ?? null,
      format: assetFormat(view),
      bytes: published?.bytes ?? null,
      record,
      updated_at: view.state?.updatedAt ?? null,
    },
    relationships: { last_job: { links: lastJob === null ? {} : { related: links.job(lastJob) }, data: lastJob === null ? null : { id: lastJob, type: 'asset_jobs' } } },
    links: { self: links.asset(view.catalog, view.assetId), image: `/is/image/${encodeURIComponent(view.catalog)}/${view.assetId}` },
    meta: {},
  };
}

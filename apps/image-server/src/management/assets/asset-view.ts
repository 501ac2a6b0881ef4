import type { CatalogRecord } from '@openexp/catalogs';
import type { AssetState } from './asset-state.repository';

/** An asset as the API shows it: its catalog record (when published) and what the API knows. */
export interface AssetView {
  catalog: string;
  assetId: string;
  record: CatalogRecord | undefined;
  state: AssetState | undefined;
}

/** `published` when the catalog has the record; otherwise the API's state (`pending`, `failed`, `unpublished`). */
export function assetStatus(view: AssetView): AssetState['status'] {
  if (view.record !== undefined) {
    return 'published';
  }
  const status = view.state?.status;
  return status === undefined || status === 'published' ? 'unpublished' : status;
}

/** Format from the last ingest, else guessed from the record's path suffix. */
export function assetFormat(view: AssetView): string | null {
  const published = view.state?.published;
  if (published != null) {
    return published.sourceFormat;
  }
  const path = view.record?.path ?? null;
  const dot = path === null ? -1 : path.lastIndexOf('.');
  return path === null || dot < 0 ? null : path.slice(dot + 1).toLowerCase();
}

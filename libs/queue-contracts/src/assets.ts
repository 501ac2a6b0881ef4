import type { WorkerFailure } from '@openexp/errors';
import type { JobStatusOutcome } from './outcome';

/*
 * Asset publishing (issue 17): image-server's management API enqueues asset jobs on
 * `QueueName.Assets`; build-worker ingests, writes the catalog and answers on
 * `QueueName.AssetResults`; image-server applies the result to the job resource. After a job that
 * changed what a replica serves, the worker publishes a broadcast (below) that every replica consumes.
 *
 * Catalog names are the catalog ids of image-server (the `.ini` file's base name under the shared
 * catalog root); asset ids are record ids within that catalog (`catalog/id` in `/is/image/catalog/id`).
 * Files travel by key in the staging store, a folder shared by the API and every worker (issue 17
 * item 4); jobs never carry image bytes.
 */

/** Record fields of image-serving.md §4.3 an API caller may set, by field name (`Modifier`, `PostModifier`, `Expiration`, `UserData`, `ImageSet`, …). */
export type AssetRecordFields = Record<string, string>;

/** Upload or replace one asset. Job id = the API's job id: the same request never makes two jobs. */
export interface IngestAssetJob {
  /** Job resource id in the management API (also the BullMQ job id base). */
  jobId: string;
  kind: 'upload' | 'replace';
  catalog: string;
  assetId: string;
  /** Key of the uploaded file in the staging store; the worker deletes it after a final outcome. */
  stagingKey: string;
  /** The uploader's file name, for messages only. */
  originalName: string | null;
  /** Record fields to write; on replace, fields not given keep their current values. */
  record: AssetRecordFields;
  /** When the API accepted the request (ISO 8601); a result for an older request of the same asset never overwrites a newer one. */
  requestedAt: string;
}

/** Remove one asset's record from its catalog. */
export interface UnpublishAssetJob {
  jobId: string;
  catalog: string;
  assetId: string;
  requestedAt: string;
}

/** Drop cached replies on every replica (ids within the catalog, and/or full request URLs), then the CDN's when configured. */
export interface PurgeAssetsJob {
  jobId: string;
  catalog: string;
  ids: string[];
  /** Paths with query, as a client requested them (`/is/image/cat/id?wid=200`). */
  urls: string[];
  requestedAt: string;
}

/** What the worker learned about the published asset (ingest success only). */
export interface PublishedAsset {
  catalog: string;
  assetId: string;
  /** Monotonic per asset: bumped by every successful ingest. */
  version: number;
  /** Image path as written in the record, relative to the catalog's root path. */
  path: string;
  width: number;
  height: number;
  /** Source format as sharp detected it (`jpeg`, `png`, `tiff`, `webp`, …). */
  sourceFormat: string;
  /** Bytes of the published pyramid TIFF. */
  bytes: number;
}

/** Outcome of any asset job. `failures` is empty on success. */
export interface AssetJobResult {
  jobId: string;
  status: JobStatusOutcome;
  failures: WorkerFailure[];
  asset: PublishedAsset | null;
  attempt: number;
  finishedAt: string;
}

/**
 * Broadcast (DESIGN.md "Broadcasts", the same Redis transport as `catalogs.reload`) after an ingest,
 * a replace or an unpublish succeeded: every replica reloads `catalog` and drops its cached replies
 * and derived levels for `assetIds`.
 */
export const ASSETS_CHANGED_EVENT = 'assets.changed';
export interface AssetsChangedMessage {
  catalog: string;
  assetIds: string[];
}

/** Broadcast for a purge job: every replica drops cached replies for `ids` (all variants) and `urls` (exactly those). */
export const ASSETS_PURGE_EVENT = 'assets.purge';
export interface AssetsPurgeMessage {
  catalog: string;
  ids: string[];
  urls: string[];
}

import type { StatusDetails } from '@openexp/errors';
import type { AssetRecordFields, PublishedAsset } from '@openexp/queue-contracts';
import { randomBytes } from 'node:crypto';

/** What a job does. */
export type AssetJobKind = 'upload' | 'replace' | 'unpublish' | 'purge';
export const ASSET_JOB_KINDS: readonly AssetJobKind[] = ['upload', 'replace', 'unpublish', 'purge'];

/** `pending` until the worker's result arrives. */
export type AssetJobStatus = 'pending' | 'succeeded' | 'failed';
export const ASSET_JOB_STATUSES: readonly AssetJobStatus[] = ['pending', 'succeeded', 'failed'];

/** A job resource as the API stores it (Redis, JSON). */
export interface AssetJobRecord {
  id: string;
  kind: AssetJobKind;
  status: AssetJobStatus;
  catalog: string;
  /** The asset of an upload, replace or unpublish; `null` for a purge. */
  assetId: string | null;
  /** Purge: ids and URLs. */
  ids: string[];
  urls: string[];
  /** Upload/replace: the uploader's file name, bytes received and their sha256. */
  originalName: string | null;
  bytes: number | null;
  sha256: string | null;
  record: AssetRecordFields;
  /** Token that created the job. */
  tokenId: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  attempt: number | null;
  /** Deferred errors of a failed job (reactor-api.md §3.2 shape). */
  statusDetails: StatusDetails | null;
  /** What the worker published (ingest success). */
  asset: PublishedAsset | null;
}

/** A new job id: `AJ` and 32 hex digits. */
export function newJobId(): string {
  return `AJ${randomBytes(16).toString('hex')}`;
}

/** A job id as {@link newJobId} makes them (anything else is an unknown job). */
export function isJobId(value: string): boolean {
  return /^AJ[0-9a-f]{32}$/.test(value);
}

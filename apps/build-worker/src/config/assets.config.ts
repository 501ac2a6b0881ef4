import { join, resolve } from 'node:path';
import { env } from '@openexp/service-runtime';
import { z } from 'zod';

/**
 * Settings of the asset ingest (issue 17): the worker publishes images into image-server's catalogs
 * on storage it shares with every replica (README "Shared storage"). Unset `ASSET_CATALOG_ROOT`
 * means the worker does not consume the `assets` queue at all.
 */
export const assetsEnvShape = {
  /** image-server's `IS_CATALOG_ROOT` as this worker sees it (the folder with default.ini); unset = no asset ingest. */
  ASSET_CATALOG_ROOT: env.string(),
  /** image-server's `IS_ROOT_PATH` as this worker sees it (catalog `RootPath`s are relative to it). Required with ASSET_CATALOG_ROOT. */
  ASSET_ROOT_PATH: env.string(),
  /** Staging folder shared with image-server's management API (its `IS_API_STAGING_DIR`). Default `${DATA_DIR}/asset-staging`. */
  ASSET_STAGING_DIR: env.string(),
  /** Folder, under each catalog's root path, that published pyramids are written to. */
  ASSET_IMAGE_FOLDER: env.string('assets').pipe(
    z.string().regex(/^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/, 'a relative folder: letters, digits, _ and -, segments separated by /'),
  ),
  /** Largest image ingested, in pixels (width × height, read from the header before decoding); image-server's IS_MAX_INPUT_PIXELS. */
  ASSET_MAX_INPUT_PIXELS: env.int(100_000_000, 1, 2_000_000_000),
  /** How damaged source data is treated (sharp `failOn`); the default refuses truncated and corrupt files. */
  ASSET_FAIL_ON: env.string('error').pipe(z.enum(['truncated', 'error', 'warning'])),
  /** JPEG quality of the pyramid's tiles for images without alpha (images with alpha are stored lossless, deflate). */
  ASSET_TIFF_QUALITY: env.int(90, 1, 100),
  /** Tile edge of the pyramid TIFF, in pixels (a multiple of 16). */
  ASSET_TILE_SIZE: env.int(256, 16, 1024).refine((n) => n % 16 === 0, 'must be a multiple of 16'),
  WORKER_ASSET_CONCURRENCY: env.int(2, 1, 64),
  /** How long a publish waits for a catalog record file's lock before the job is retried. */
  ASSET_LOCK_TIMEOUT_MS: env.int(30_000, 100, 600_000),
  /** A record file lock not refreshed for this long belongs to a dead worker and is broken. */
  ASSET_LOCK_STALE_MS: env.int(20_000, 1000, 600_000),
  /**
   * CDN purge endpoint called by purge jobs, once per purged path; unset = no CDN purge.
   * Placeholders: `{path}` (the path and query, percent-encoded), `{catalog}`, `{id}` (percent-encoded; empty for URL targets).
   */
  ASSET_CDN_PURGE_URL: env.string(),
  /** HTTP method of the CDN purge call. */
  ASSET_CDN_PURGE_METHOD: env.string('POST').pipe(z.string().regex(/^[A-Z]+$/, 'an upper-case HTTP method (POST, PURGE, DELETE …)')),
  /** Headers of the CDN purge call, as a JSON object of strings (e.g. `{"Authorization":"Bearer …"}`). */
  ASSET_CDN_PURGE_HEADERS: env.string('{}'),
  /** Time limit of one CDN purge call. */
  ASSET_CDN_PURGE_TIMEOUT_MS: env.int(10_000, 100, 120_000),
};

export interface CdnPurgeConfig {
  urlTemplate: string;
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** The asset ingest's settings; `undefined` when ASSET_CATALOG_ROOT is unset. */
export interface AssetsConfig {
  /** Absolute. */
  catalogRoot: string;
  /** Absolute. */
  rootPath: string;
  /** Absolute. */
  stagingDir: string;
  imageFolder: string;
  maxInputPixels: number;
  failOn: 'truncated' | 'error' | 'warning';
  tiffQuality: number;
  tileSize: number;
  concurrency: number;
  lock: { timeoutMs: number; staleMs: number };
  cdn: CdnPurgeConfig | undefined;
}

type AssetsEnv = { [K in keyof typeof assetsEnvShape]: z.infer<(typeof assetsEnvShape)[K]> } & { DATA_DIR?: string | undefined };

/** Cross-field rules: both roots or neither; a CDN template with a valid URL and JSON headers. */
export function checkAssetsEnv(e: AssetsEnv, ctx: z.RefinementCtx): void {
  if ((e.ASSET_CATALOG_ROOT === undefined) !== (e.ASSET_ROOT_PATH === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['ASSET_ROOT_PATH'], message: 'ASSET_CATALOG_ROOT and ASSET_ROOT_PATH are set together (asset ingest) or not at all' });
  }
  if (e.ASSET_CDN_PURGE_URL !== undefined && !/^https?:\/\/[^/]/.test(e.ASSET_CDN_PURGE_URL)) {
    ctx.addIssue({ code: 'custom', path: ['ASSET_CDN_PURGE_URL'], message: 'must be an http:// or https:// URL template' });
  }
  if (parseHeaders(e.ASSET_CDN_PURGE_HEADERS ?? '{}') === undefined) {
    ctx.addIssue({ code: 'custom', path: ['ASSET_CDN_PURGE_HEADERS'], message: 'must be a JSON object whose values are strings' });
  }
}

function parseHeaders(text: string): Record<string, string> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return undefined;
    }
    const entries = Object.entries(parsed);
    return entries.every(([, v]) => typeof v === 'string') ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

export function toAssetsConfig(e: AssetsEnv): AssetsConfig | undefined {
  if (e.ASSET_CATALOG_ROOT === undefined || e.ASSET_ROOT_PATH === undefined) {
    return undefined;
  }
  return {
    catalogRoot: resolve(e.ASSET_CATALOG_ROOT),
    rootPath: resolve(e.ASSET_ROOT_PATH),
    stagingDir: resolve(e.ASSET_STAGING_DIR ?? join(e.DATA_DIR ?? './data', 'asset-staging')),
    imageFolder: e.ASSET_IMAGE_FOLDER ?? 'assets',
    maxInputPixels: e.ASSET_MAX_INPUT_PIXELS,
    failOn: e.ASSET_FAIL_ON ?? 'error',
    tiffQuality: e.ASSET_TIFF_QUALITY,
    tileSize: e.ASSET_TILE_SIZE,
    concurrency: e.WORKER_ASSET_CONCURRENCY,
    lock: { timeoutMs: e.ASSET_LOCK_TIMEOUT_MS, staleMs: e.ASSET_LOCK_STALE_MS },
    cdn:
      e.ASSET_CDN_PURGE_URL === undefined
        ? undefined
        : {
            urlTemplate: e.ASSET_CDN_PURGE_URL,
            method: e.ASSET_CDN_PURGE_METHOD ?? 'POST',
            headers: parseHeaders(e.ASSET_CDN_PURGE_HEADERS ?? '{}') ?? {},
            timeoutMs: e.ASSET_CDN_PURGE_TIMEOUT_MS,
          },
  };
}

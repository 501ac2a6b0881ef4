import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { env } from '@openexp/service-runtime';
import { z } from 'zod';
import { checkManagementApiEnv, managementApiEnvShape, toManagementApiConfig, type ManagementApiConfig } from './management-api.config';

const CORES = Math.max(1, availableParallelism());

/** An HTTP status chosen from the documented alternatives (image-serving.md §5.2). */
function statusChoice<const S extends readonly number[]>(fallback: S[number], allowed: S) {
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? String(fallback) : v))
    .pipe(
      z
        .string()
        .transform(Number)
        .refine((n): n is S[number] => allowed.includes(n), `must be one of ${allowed.join(', ')}`),
    );
}

/** Every setting of the image server, read from the environment once at start-up. */
export const imageServerConfigSchema = z.object({
  IMAGE_SERVER_PORT: env.port(8080),
  IMAGE_SERVER_HOST: env.string('0.0.0.0'),
  /** Folder with `default.ini` and the other `.ini` catalogs. */
  IS_CATALOG_ROOT: z.string({ message: 'must name the folder holding default.ini' }).min(1, 'must name the folder holding default.ini'),
  /** Folder that catalog `RootPath`s are relative to. */
  IS_ROOT_PATH: z.string({ message: 'must name the folder images are read from' }).min(1, 'must name the folder images are read from'),
  /** Optional: receive `catalogs.reload`, `assets.changed` and `assets.purge` broadcasts; required by the management API. */
  REDIS_URL: env.url(['redis', 'rediss']),
  LOG_LEVEL: env.logLevel(),
  /** Status for "image not found" errors (class 1): 403 (Adobe) or 404. */
  IS_STATUS_NOT_FOUND: statusChoice(403, [403, 404]),
  /** Status for "invalid request" usage errors (class 2): 403 (Adobe) or 400. Refused/too-large requests stay 403. */
  IS_STATUS_USAGE: statusChoice(403, [400, 403]),
  /** Status for server errors (class 3): 403 (Adobe compatibility) or 500. */
  IS_STATUS_SERVER: statusChoice(403, [403, 500]),
  /** Status for overload refusals (class 4): 503 or 429. */
  IS_STATUS_OVERLOAD: statusChoice(503, [429, 503]),
  /** Result cache size in bytes (encoded replies kept in memory, LRU); 0 disables the cache. Default 256 MiB. */
  IS_RESULT_CACHE_BYTES: env.int(256 * 1024 * 1024, 0, 64 * 1024 * 1024 * 1024),
  /** Largest single reply the result cache keeps, in bytes. Default 8 MiB. */
  IS_RESULT_CACHE_MAX_ENTRY_BYTES: env.int(8 * 1024 * 1024, 1, 1024 * 1024 * 1024),
  /**
   * Renders in flight at most (render admission, §7). Default: the size of Node's thread pool
   * (UV_THREADPOOL_SIZE, 4), at least the number of CPU cores. sharp never runs more renders at once
   * than the pool has threads; with that many admitted, the next render is already queued when one
   * ends, so no core idles while the event loop turns replies around.
   */
  IS_MAX_RENDERS: env.optionalInt(1, 1024),
  /** Node's (libuv's) thread pool size, read here only for the IS_MAX_RENDERS default; Node itself reads it too. */
  UV_THREADPOOL_SIZE: env.int(4, 1, 1024),
  /** Renders waiting for a slot at most; one more is refused as overload (503 + Retry-After). Default 64. */
  IS_MAX_QUEUE: env.int(64, 0, 100_000),
  /** Largest source image accepted, in pixels (sharp limitInputPixels, checked on the header); also the ceiling of every render's pixel budget (src/pipeline/pixel-budget.ts). Default 100 Mpx. */
  IS_MAX_INPUT_PIXELS: env.int(100_000_000, 1, 2_000_000_000),
  /** Largest reply, in pixels: `wid`×`hei` or the `rect=` tile (IS::MaxRenderRgnPixels). Default 16 Mpx. */
  IS_MAX_RENDER_PIXELS: env.int(16_000_000, 1, 1_000_000_000),
  /** sharp `failOn`: how damaged source data is treated. Default `warning` (strictest: corrupt files are refused). */
  IS_FAIL_ON: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? 'warning' : v))
    .pipe(z.enum(['none', 'truncated', 'error', 'warning'])),
  /** libvips threads per image (sharp.concurrency). Default 1: parallelism comes from IS_MAX_RENDERS. */
  IS_SHARP_CONCURRENCY: env.int(1, 0, 64),
  /** libvips operation cache in MB (sharp.cache); 0 (default) disables it. */
  IS_SHARP_CACHE_MB: env.int(0, 0, 16384),
  /** How long a source file's stat (path, mtime, size) is reused, in ms. Bounds how late a replaced file shows up. Default 1000. */
  IS_SOURCE_STAT_TTL_MS: env.int(1000, 0, 3_600_000),
  /**
   * The level cache: a JPEG or other non-pyramid source that keeps being rendered gets its reduced
   * levels written to a folder once, and later replies that need less than full resolution read
   * the smallest level they need instead of decoding the full image. Default 1 (on); 0 switches it
   * off, so does IS_LEVEL_CACHE_BYTES=0.
   */
  IS_LEVEL_CACHE: env.boolean(true),
  /**
   * Folder of the level cache. Default `${DATA_DIR}/image-levels`; when that default folder cannot
   * be created or read, the server logs a warning and runs without the level cache, while a folder
   * named here that cannot be used stops the start.
   */
  IS_LEVEL_CACHE_DIR: env.string(),
  /** Folder for the server's own files (the level cache by default). Default `./data`, as for the other apps. */
  DATA_DIR: env.string('./data'),
  /** Bytes the level cache folder may hold; the least recently used files go first. Default 1 GiB; 0 switches the level cache off. */
  IS_LEVEL_CACHE_BYTES: env.int(1024 * 1024 * 1024, 0, 16 * 1024 * 1024 * 1024 * 1024),
  /**
   * Renders that read one source version as it is before its levels are derived. Default 8: the
   * levels pay back after about 4 replies, and a source seen 8 times is likely to be seen as many
   * more, while one seen about twice (the long tail behind a CDN) almost never reaches it.
   */
  IS_LEVEL_CACHE_AFTER: env.int(8, 1, 1_000_000),
  /**
   * Also keep the full-resolution level, as tiles, so full-size zoom tiles (`scl=1&rect=…`) read
   * only the tiles they need instead of decoding the source. For a JPEG source those pixels are
   * then a re-encoded copy (JPEG quality 90). Default 0.
   */
  IS_LEVEL_CACHE_FULL: env.boolean(false),
  /** Watch the catalog folder and reload changed catalogs. Default 1. */
  IS_WATCH_CATALOGS: env.boolean(true),
  /** Also poll catalog files every this many ms (for NFS and other shared storage); 0 (default) = never. */
  IS_CATALOG_POLL_MS: env.int(0, 0, 3_600_000),
  /**
   * Smart imaging default for catalogs that set no `attribute::Bfc`: 1 picks AVIF/WebP/JPEG from
   * `Accept` when a request names no `fmt=`. Default 0 (replies stay JPEG, no `Vary: Accept`).
   */
  IS_BFC: env.boolean(false),
  ...managementApiEnvShape,
}).superRefine(checkManagementApiEnv);

export type ImageServerEnv = z.infer<typeof imageServerConfigSchema>;

export interface ImageServerConfig {
  port: number;
  host: string;
  catalogRoot: string;
  rootPath: string;
  redisUrl: string | undefined;
  logLevel: string;
  /** Per-class error statuses (image-serving.md §5.2); defaults 403/403/403/503. */
  errorStatuses: ImageErrorStatusConfig;
  /** Result cache (§6). */
  resultCache: { maxBytes: number; maxEntryBytes: number };
  /** Render admission (§7). */
  renders: { maxInFlight: number; maxQueue: number };
  /** Pipeline limits and sharp settings (§7). */
  pipeline: {
    maxInputPixels: number;
    maxRenderPixels: number;
    failOn: 'none' | 'truncated' | 'error' | 'warning';
    sharpConcurrency: number;
    sharpCacheMb: number;
  };
  /** Derived pyramid levels of non-pyramid sources. */
  levelCache: {
    enabled: boolean;
    /** Absolute path of the folder. */
    dir: string;
    /** True when IS_LEVEL_CACHE_DIR named the folder: then a folder that cannot be used stops the start. */
    dirGiven: boolean;
    maxBytes: number;
    after: number;
    fullResolution: boolean;
  };
  /** Source file stat reuse, ms. */
  sourceStatTtlMs: number;
  /** Catalog reload settings. */
  catalogs: { watch: boolean; pollIntervalMs: number };
  /** Smart imaging: `bfc` is the default of `attribute::Bfc` (format negotiation, issue 16). */
  smartImaging: { bfc: boolean };
  /** The management API on its own port (issue 17); `undefined` when `IS_API_PORT` is unset. */
  managementApi: ManagementApiConfig | undefined;
}

/** Server-wide error statuses per class. */
export interface ImageErrorStatusConfig {
  notFound: 403 | 404;
  usage: 400 | 403;
  server: 403 | 500;
  overload: 429 | 503;
}

export function toImageServerConfig(e: ImageServerEnv): ImageServerConfig {
  return {
    port: e.IMAGE_SERVER_PORT,
    host: e.IMAGE_SERVER_HOST ?? '0.0.0.0',
    catalogRoot: e.IS_CATALOG_ROOT,
    rootPath: e.IS_ROOT_PATH,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    errorStatuses: {
      notFound: e.IS_STATUS_NOT_FOUND,
      usage: e.IS_STATUS_USAGE,
      server: e.IS_STATUS_SERVER,
      overload: e.IS_STATUS_OVERLOAD,
    },
    resultCache: { maxBytes: e.IS_RESULT_CACHE_BYTES, maxEntryBytes: e.IS_RESULT_CACHE_MAX_ENTRY_BYTES },
    renders: { maxInFlight: e.IS_MAX_RENDERS ?? Math.max(CORES, e.UV_THREADPOOL_SIZE), maxQueue: e.IS_MAX_QUEUE },
    pipeline: {
      maxInputPixels: e.IS_MAX_INPUT_PIXELS,
      maxRenderPixels: e.IS_MAX_RENDER_PIXELS,
      failOn: e.IS_FAIL_ON,
      sharpConcurrency: e.IS_SHARP_CONCURRENCY,
      sharpCacheMb: e.IS_SHARP_CACHE_MB,
    },
    levelCache: {
      enabled: e.IS_LEVEL_CACHE && e.IS_LEVEL_CACHE_BYTES > 0,
      dir: resolve(e.IS_LEVEL_CACHE_DIR ?? join(e.DATA_DIR ?? './data', 'image-levels')),
      dirGiven: e.IS_LEVEL_CACHE_DIR !== undefined,
      maxBytes: e.IS_LEVEL_CACHE_BYTES,
      after: e.IS_LEVEL_CACHE_AFTER,
      fullResolution: e.IS_LEVEL_CACHE_FULL,
    },
    sourceStatTtlMs: e.IS_SOURCE_STAT_TTL_MS,
    catalogs: { watch: e.IS_WATCH_CATALOGS, pollIntervalMs: e.IS_CATALOG_POLL_MS },
    smartImaging: { bfc: e.IS_BFC },
    managementApi: toManagementApiConfig(e),
  };
}

/** Injection token for the typed config object. */
export const IMAGE_SERVER_CONFIG = Symbol('IMAGE_SERVER_CONFIG');

/** The only place this app reads process.env. */
export function readImageServerEnv(): Record<string, string | undefined> {
  return process.env;
}

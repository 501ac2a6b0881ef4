import { DEFAULT_QUEUE_PREFIX } from '@openexp/queue-contracts';
import { env } from '@openexp/service-runtime';
import { z } from 'zod';
import { assetsEnvShape, checkAssetsEnv, toAssetsConfig, type AssetsConfig } from './assets.config';

/**
 * Default job lock: 30 s, derived from the largest build the limits allow.
 *
 * BullMQ renews a job's lock from the main thread's event loop every half lock duration; a loop
 * held longer than that (15 s here) can let the lock expire, and another worker's stalled check
 * then runs the job again. So the lock must outlast the longest the main thread is ever busy.
 *
 * - Limits: reactor-api caps each settings value (a custom-code action's source) at 1 MiB; the
 *   number of actions, rules and data elements is not capped, so the largest build is bounded only
 *   by the job's data, one Redis string: 512 MiB.
 * - Minifying (terser, mangle only) costs about 0.8 s per MiB of custom code on the reference
 *   machine (2 cores) when idle, 2.8–4.8 s under load (load average 10–12 while others built and
 *   tested). On the main thread that blocked the loop for the whole build: three 1 MiB actions
 *   2.4 s idle / 5.7 s loaded, ten 22.5 s loaded — any lock could be outgrown.
 * - Since ThreadedLibraryBuilder, assembling, minifying and packing archive ZIPs (0.5–1.2 s for a
 *   5 MB library under load) run in a worker thread. What stays on the main thread grows with the
 *   job's data: BullMQ's JSON.parse of it (3–7 ms per MiB) and the copies to the thread and back
 *   (about 3 ms per MiB each way, the files being ~1.6× the custom code), about 15 ms per MiB in
 *   all under load. Longest stall of the main loop measured during threaded builds: 0.27 s
 *   (1 MiB), 0.34 s (3 MiB), 0.88 s (10 MiB), under load.
 * - The largest job (512 MiB) then keeps the main thread busy about 512 × 15 ms ≈ 7.7 s in all
 *   (an upper bound for any one stall), half the 15 s renewal window: 30 s covers every build the
 *   limits allow, with room for load.
 */
export const DEFAULT_LOCK_DURATION_MS = 30_000;

/**
 * Default stalled check: as often as the lock lasts. A check only takes back jobs whose lock has
 * expired, so it never causes a second run while locks are renewed; its interval only bounds how
 * long a crashed worker's job waits: at most lock + interval (60 s).
 */
export const DEFAULT_STALLED_INTERVAL_MS = DEFAULT_LOCK_DURATION_MS;

/** Every setting of the build worker, read from the environment once at start-up. */
export const buildWorkerConfigSchema = z.object({
  REDIS_URL: z
    .string({ message: 'must be set (redis://host:port)' })
    .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL'),
  /** Prefix of every BullMQ key; must match reactor-api's. Tests use their own to stay isolated. */
  QUEUE_PREFIX: env.string(DEFAULT_QUEUE_PREFIX).pipe(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')),
  /** Blob store shared with reactor-api (package zips, extracted files, managed-host builds). */
  BLOB_ROOT: env.string('./data/blobs'),
  /** Where key material lives (the server's PGP key pair), shared with reactor-api. */
  DATA_DIR: env.string('./data'),
  /** Folder of the server's PGP key pair (generated on first start); default `${DATA_DIR}/keys`. Same as reactor-api's. */
  SERVER_KEYS_DIR: env.string(),
  /** Armored private key given by configuration instead of the generated one (same value as reactor-api's). */
  SERVER_PRIVATE_KEY: env.string(),
  /** Passphrase of the private key. */
  SERVER_KEY_PASSPHRASE: env.string(),
  WORKER_BUILD_CONCURRENCY: env.int(2, 1, 64),
  WORKER_PACKAGE_CONCURRENCY: env.int(2, 1, 64),
  WORKER_PRETEST_CONCURRENCY: env.int(4, 1, 64),
  /**
   * How long a job lock lives without renewal (renewed every half of it); a crashed worker's job is
   * recovered after about this long. See {@link DEFAULT_LOCK_DURATION_MS} for the default's derivation.
   */
  WORKER_LOCK_DURATION_MS: env.int(DEFAULT_LOCK_DURATION_MS, 1000, 600000),
  /** How often each worker looks for stalled jobs (held by a dead worker) and puts them back. */
  WORKER_STALLED_INTERVAL_MS: env.int(DEFAULT_STALLED_INTERVAL_MS, 1000, 600000),
  /** Times a job may stall before it is failed instead of recovered. */
  WORKER_MAX_STALLED_COUNT: env.int(2, 0, 100),
  /** SSH connect + handshake time limit for SFTP hosts. */
  SFTP_CONNECT_TIMEOUT_MS: env.int(20000, 100, 300000),
  /** Time limit of one SFTP operation (upload, rename, ...) once connected. */
  SFTP_OPERATION_TIMEOUT_MS: env.int(60000, 100, 600000),
  /** Extension package limits: total uncompressed bytes, number of entries, compression ratio of an entry. */
  PACKAGE_MAX_BYTES: env.int(50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  PACKAGE_MAX_FILES: env.int(2000, 1, 100000),
  PACKAGE_MAX_RATIO: env.int(100, 2, 10000),
  /**
   * Build directories kept per environment on managed hosts after each deploy or republish (newest
   * by creation; never the current one; production keeps at least 5 for republish); 0 keeps all.
   */
  MANAGED_KEEP_BUILDS: env.int(5, 0, 10000),
  /** Optional port for /healthz, /readyz and /metrics; unset = no probe server. */
  WORKER_PROBE_PORT: env.optionalPort(),
  LOG_LEVEL: env.logLevel(),
  /** Asset ingest (issue 17): see assets.config.ts. */
  ...assetsEnvShape,
}).superRefine(checkAssetsEnv);

export type BuildWorkerEnv = z.infer<typeof buildWorkerConfigSchema>;

export interface BuildWorkerConfig {
  redisUrl: string;
  queuePrefix: string;
  blobRoot: string;
  dataDir: string;
  serverKey: { privateKeyArmored: string | undefined; passphrase: string | undefined; dir: string };
  concurrency: { builds: number; extensionPackages: number; hostPretests: number };
  /** BullMQ lock and stalled-job settings (crash recovery). */
  stalled: { lockDurationMs: number; stalledIntervalMs: number; maxStalledCount: number };
  sftp: { connectTimeoutMs: number; operationTimeoutMs: number };
  packageLimits: { maxBytes: number; maxFiles: number; maxRatio: number };
  /** Managed-host storage: build directories kept per environment (0 = all). */
  managed: { keepBuilds: number };
  probePort: number | undefined;
  logLevel: string;
  /** Asset ingest; `undefined` when ASSET_CATALOG_ROOT is unset (the `assets` queue is not consumed). */
  assets: AssetsConfig | undefined;
}

export function toBuildWorkerConfig(e: BuildWorkerEnv): BuildWorkerConfig {
  const dataDir = e.DATA_DIR ?? './data';
  return {
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    blobRoot: e.BLOB_ROOT ?? './data/blobs',
    dataDir,
    serverKey: { privateKeyArmored: e.SERVER_PRIVATE_KEY, passphrase: e.SERVER_KEY_PASSPHRASE, dir: e.SERVER_KEYS_DIR ?? `${dataDir}/keys` },
    concurrency: {
      builds: e.WORKER_BUILD_CONCURRENCY,
      extensionPackages: e.WORKER_PACKAGE_CONCURRENCY,
      hostPretests: e.WORKER_PRETEST_CONCURRENCY,
    },
    stalled: {
      lockDurationMs: e.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: e.WORKER_MAX_STALLED_COUNT,
    },
    sftp: { connectTimeoutMs: e.SFTP_CONNECT_TIMEOUT_MS, operationTimeoutMs: e.SFTP_OPERATION_TIMEOUT_MS },
    packageLimits: { maxBytes: e.PACKAGE_MAX_BYTES, maxFiles: e.PACKAGE_MAX_FILES, maxRatio: e.PACKAGE_MAX_RATIO },
    managed: { keepBuilds: e.MANAGED_KEEP_BUILDS },
    probePort: e.WORKER_PROBE_PORT,
    logLevel: e.LOG_LEVEL,
    assets: toAssetsConfig(e),
  };
}

export const BUILD_WORKER_CONFIG = Symbol('BUILD_WORKER_CONFIG');

/** The only place this app reads process.env. */
export function readBuildWorkerEnv(): Record<string, string | undefined> {
  return process.env;
}

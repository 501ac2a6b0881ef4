import { env } from '@openexp/service-runtime';
import { z } from 'zod';

/** Every setting of the build worker, read from the environment once at start-up. */
export const buildWorkerConfigSchema = z.object({
  REDIS_URL: z
    .string({ message: 'must be set (redis://host:port)' })
    .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL'),
  /** Blob store shared with reactor-api (package zips, extracted files, managed-host builds). */
  BLOB_ROOT: env.string('./data/blobs'),
  /** Where key material lives (the server's PGP key pair), shared with reactor-api. */
  DATA_DIR: env.string('./data'),
  WORKER_BUILD_CONCURRENCY: env.int(2, 1, 64),
  WORKER_PACKAGE_CONCURRENCY: env.int(2, 1, 64),
  WORKER_PRETEST_CONCURRENCY: env.int(4, 1, 64),
  /** Optional port for /healthz, /readyz and /metrics; unset = no probe server. */
  WORKER_PROBE_PORT: env.optionalPort(),
  LOG_LEVEL: env.logLevel(),
});

export type BuildWorkerEnv = z.infer<typeof buildWorkerConfigSchema>;

export interface BuildWorkerConfig {
  redisUrl: string;
  blobRoot: string;
  dataDir: string;
  concurrency: { builds: number; extensionPackages: number; hostPretests: number };
  probePort: number | undefined;
  logLevel: string;
}

export function toBuildWorkerConfig(e: BuildWorkerEnv): BuildWorkerConfig {
  return {
    redisUrl: e.REDIS_URL,
    blobRoot: e.BLOB_ROOT ?? './data/blobs',
    dataDir: e.DATA_DIR ?? './data',
    concurrency: {
      builds: e.WORKER_BUILD_CONCURRENCY,
      extensionPackages: e.WORKER_PACKAGE_CONCURRENCY,
      hostPretests: e.WORKER_PRETEST_CONCURRENCY,
    },
    probePort: e.WORKER_PROBE_PORT,
    logLevel: e.LOG_LEVEL,
  };
}

export const BUILD_WORKER_CONFIG = Symbol('BUILD_WORKER_CONFIG');

/** The only place this app reads process.env. */
export function readBuildWorkerEnv(): Record<string, string | undefined> {
  return process.env;
}

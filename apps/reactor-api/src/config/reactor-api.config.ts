import { env } from '@openexp/service-runtime';
import { z } from 'zod';

/** Every setting of reactor-api, read from the environment once at start-up. */
export const reactorApiConfigSchema = z
  .object({
    REACTOR_API_PORT: env.port(3000),
    REACTOR_API_HOST: env.string('0.0.0.0'),
    /** PostgreSQL; when unset, PGlite (embedded Postgres) under DATA_DIR. */
    DATABASE_URL: env.url(['postgres', 'postgresql']),
    REDIS_URL: z
      .string({ message: 'must be set (redis://host:port)' })
      .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL'),
    /** Base of every `links.*` URL and of managed-host library URLs. */
    PUBLIC_BASE_URL: env.url(['http', 'https']),
    REACTOR_BOOTSTRAP_TOKEN: env.string(),
    REACTOR_BOOTSTRAP_ORG: env.string(),
    /** Embedded database and key material live here when nothing else is configured. */
    DATA_DIR: env.string('./data'),
    /** Blob store (extension package zips, extracted files, managed-host builds). */
    BLOB_ROOT: env.string(),
    LOG_LEVEL: env.logLevel(),
  })
  .superRefine((e, ctx) => {
    if ((e.REACTOR_BOOTSTRAP_TOKEN === undefined) !== (e.REACTOR_BOOTSTRAP_ORG === undefined)) {
      const missing = e.REACTOR_BOOTSTRAP_TOKEN === undefined ? 'REACTOR_BOOTSTRAP_TOKEN' : 'REACTOR_BOOTSTRAP_ORG';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'REACTOR_BOOTSTRAP_TOKEN and REACTOR_BOOTSTRAP_ORG are set together' });
    }
    if (e.REACTOR_BOOTSTRAP_TOKEN !== undefined && e.REACTOR_BOOTSTRAP_TOKEN.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['REACTOR_BOOTSTRAP_TOKEN'], message: 'must be at least 16 characters' });
    }
  });

export type ReactorApiEnv = z.infer<typeof reactorApiConfigSchema>;

export interface ReactorApiConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string;
  publicBaseUrl: string;
  bootstrap: { token: string; org: string } | undefined;
  dataDir: string;
  blobRoot: string;
  logLevel: string;
}

export function toReactorApiConfig(e: ReactorApiEnv): ReactorApiConfig {
  const dataDir = e.DATA_DIR ?? './data';
  return {
    port: e.REACTOR_API_PORT,
    host: e.REACTOR_API_HOST ?? '0.0.0.0',
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.REACTOR_API_PORT}`).replace(/\/+$/, ''),
    bootstrap:
      e.REACTOR_BOOTSTRAP_TOKEN !== undefined && e.REACTOR_BOOTSTRAP_ORG !== undefined
        ? { token: e.REACTOR_BOOTSTRAP_TOKEN, org: e.REACTOR_BOOTSTRAP_ORG }
        : undefined,
    dataDir,
    blobRoot: e.BLOB_ROOT ?? `${dataDir}/blobs`,
    logLevel: e.LOG_LEVEL,
  };
}

export const REACTOR_API_CONFIG = Symbol('REACTOR_API_CONFIG');

/** The only place this app reads process.env. */
export function readReactorApiEnv(): Record<string, string | undefined> {
  return process.env;
}

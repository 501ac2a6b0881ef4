import { join, resolve } from 'node:path';
import { env } from '@openexp/service-runtime';
import { z } from 'zod';

/**
 * Settings of the management API (issue 17): its own port, never the public one. Unset
 * `IS_API_PORT` means no API at all. The API needs Redis (queues, job and token store).
 */
export const managementApiEnvShape = {
  /** Port of the management API (assets, jobs, purges); unset = no API. */
  IS_API_PORT: env.optionalPort(),
  /** Address the management API listens on. Default 127.0.0.1: expose it on purpose, never by accident. */
  IS_API_HOST: env.string('127.0.0.1'),
  /** Folder uploads are streamed to, shared with every build worker (the worker's ASSET_STAGING_DIR). Default `${DATA_DIR}/asset-staging`. */
  IS_API_STAGING_DIR: env.string(),
  /** Largest upload, in bytes (one image file). Default 512 MiB. */
  IS_API_UPLOAD_MAX_BYTES: env.int(512 * 1024 * 1024, 1, 64 * 1024 * 1024 * 1024),
  /** Base of the `links` in API documents. Default `http://localhost:<IS_API_PORT>`. */
  IS_API_PUBLIC_URL: env.url(['http', 'https']),
  /** Prefix of every BullMQ and API key in Redis; must match the build worker's. */
  QUEUE_PREFIX: env.string('openexp'),
};

/** The management API's part of the environment, as parsed. */
export interface ManagementApiEnv {
  IS_API_PORT?: number | undefined;
  IS_API_HOST?: string | undefined;
  IS_API_STAGING_DIR?: string | undefined;
  IS_API_UPLOAD_MAX_BYTES: number;
  IS_API_PUBLIC_URL?: string | undefined;
  QUEUE_PREFIX?: string | undefined;
  REDIS_URL?: string | undefined;
  DATA_DIR?: string | undefined;
}

/** The management API, when `IS_API_PORT` is set. */
export interface ManagementApiConfig {
  port: number;
  host: string;
  redisUrl: string;
  queuePrefix: string;
  /** Absolute path of the staging folder. */
  stagingDir: string;
  uploadMaxBytes: number;
  /** Base URL of links, without a trailing slash. */
  publicUrl: string;
}

/** Cross-field rule: the API cannot run without Redis. */
export function checkManagementApiEnv(e: ManagementApiEnv, ctx: z.RefinementCtx): void {
  if (e.IS_API_PORT !== undefined && e.REDIS_URL === undefined) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required when IS_API_PORT is set (the management API keeps its jobs and tokens in Redis)' });
  }
}

export function toManagementApiConfig(e: ManagementApiEnv): ManagementApiConfig | undefined {
  if (e.IS_API_PORT === undefined || e.REDIS_URL === undefined) {
    return undefined;
  }
  return {
    port: e.IS_API_PORT,
    host: e.IS_API_HOST ?? '127.0.0.1',
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX ?? 'openexp',
    stagingDir: resolve(e.IS_API_STAGING_DIR ?? join(e.DATA_DIR ?? './data', 'asset-staging')),
    uploadMaxBytes: e.IS_API_UPLOAD_MAX_BYTES,
    publicUrl: (e.IS_API_PUBLIC_URL ?? `http://localhost:${e.IS_API_PORT}`).replace(/\/+$/, ''),
  };
}

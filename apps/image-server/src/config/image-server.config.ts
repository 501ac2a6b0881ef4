import { env } from '@openexp/service-runtime';
import { z } from 'zod';

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
  /** Optional: receive `catalogs.reload` broadcasts. */
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
});

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
  };
}

/** Injection token for the typed config object. */
export const IMAGE_SERVER_CONFIG = Symbol('IMAGE_SERVER_CONFIG');

/** The only place this app reads process.env. */
export function readImageServerEnv(): Record<string, string | undefined> {
  return process.env;
}

import { env } from '@openexp/service-runtime';
import { z } from 'zod';

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
});

export type ImageServerEnv = z.infer<typeof imageServerConfigSchema>;

export interface ImageServerConfig {
  port: number;
  host: string;
  catalogRoot: string;
  rootPath: string;
  redisUrl: string | undefined;
  logLevel: string;
}

export function toImageServerConfig(e: ImageServerEnv): ImageServerConfig {
  return {
    port: e.IMAGE_SERVER_PORT,
    host: e.IMAGE_SERVER_HOST ?? '0.0.0.0',
    catalogRoot: e.IS_CATALOG_ROOT,
    rootPath: e.IS_ROOT_PATH,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
  };
}

/** Injection token for the typed config object. */
export const IMAGE_SERVER_CONFIG = Symbol('IMAGE_SERVER_CONFIG');

/** The only place this app reads process.env. */
export function readImageServerEnv(): Record<string, string | undefined> {
  return process.env;
}

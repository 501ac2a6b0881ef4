import { env } from '@openexp/service-runtime';
import { z } from 'zod';

/** The admin CLI's settings: the Redis the management API keeps its tokens in. */
export const imageServerCliConfigSchema = z.object({
  REDIS_URL: env.url(['redis', 'rediss']).refine((v) => v !== undefined, 'must name the Redis of the management API'),
  QUEUE_PREFIX: env.string('openexp'),
});

/** The bulk import needs no Redis: only the API's URL and a token (or give --api / --token). */
export const importCliConfigSchema = z.object({
  IS_API_URL: env.url(['http', 'https']),
  IS_API_TOKEN: env.string(),
});

/** The only place the CLI reads process.env. */
export function readImageServerCliEnv(): Record<string, string | undefined> {
  return process.env;
}

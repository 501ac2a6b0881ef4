import { env } from '@openexp/service-runtime';
import { z } from 'zod';

/** What the admin CLI needs: only the database. */
export const reactorCliConfigSchema = z.object({
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).optional(),
  DATA_DIR: env.string('./data'),
});

export type ReactorCliConfig = z.infer<typeof reactorCliConfigSchema>;

/** The CLI reads the environment here, like the app does in reactor-api.config.ts. */
export function readReactorCliEnv(): Record<string, string | undefined> {
  return process.env;
}

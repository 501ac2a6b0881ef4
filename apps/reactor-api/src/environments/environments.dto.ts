import { z } from 'zod';

export const environmentCreateSchema = z.object({
  name: z.string().trim().min(1).max(255),
  stage: z.enum(['development', 'staging', 'production']),
  archive: z.boolean().optional(),
  archive_passphrase: z.string().max(255).nullish(),
  path: z.string().max(2048).nullish(),
  include_debug_library: z.boolean().optional(),
});
export type EnvironmentCreate = z.infer<typeof environmentCreateSchema>;

export const environmentUpdateSchema = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  archive: z.boolean().optional(),
  archive_passphrase: z.string().max(255).nullish(),
  path: z.string().max(2048).nullish(),
  include_debug_library: z.boolean().optional(),
});
export type EnvironmentUpdate = z.infer<typeof environmentUpdateSchema>;

export const ENVIRONMENT_COLUMNS = {
  created_at: 'timestamp',
  updated_at: 'timestamp',
  name: 'text',
  stage: 'text',
  archive: 'boolean',
  token: 'text',
} as const;

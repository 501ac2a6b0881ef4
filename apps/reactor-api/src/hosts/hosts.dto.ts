import { z } from 'zod';

/** Attributes a client may send for a host; `encrypted_private_key` is write-only. */
export const hostAttributesSchema = z.object({
  name: z.string().trim().min(1).max(255),
  type_of: z.enum(['akamai', 'sftp']),
  server: z.string().trim().min(1).max(255).nullish(),
  path: z.string().max(1024).nullish(),
  port: z.number().int().min(1).max(65535).nullish(),
  username: z.string().trim().min(1).max(255).nullish(),
  encrypted_private_key: z.string().max(65536).nullish(),
  skip_symlinks: z.boolean().nullish(),
});
export type HostAttributes = z.infer<typeof hostAttributesSchema>;
export const hostUpdateSchema = hostAttributesSchema.partial();
export type HostUpdate = z.infer<typeof hostUpdateSchema>;

export const HOST_COLUMNS = { created_at: 'timestamp', updated_at: 'timestamp', name: 'text', type_of: 'text', status: 'text' } as const;

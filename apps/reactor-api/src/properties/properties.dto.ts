import { z } from 'zod';

const domain = z.string().min(1).max(253);

const common = {
  name: z.string().trim().min(1).max(255),
  development: z.boolean().optional(),
  privacy: z.enum(['optin', 'optout']).optional(),
  rule_component_sequencing_enabled: z.boolean().optional(),
  ssl_enabled: z.boolean().optional(),
  undefined_vars_return_empty: z.boolean().optional(),
  enabled: z.boolean().optional(),
};

export const propertyCreateSchema = z
  .object({ ...common, platform: z.enum(['web', 'mobile', 'edge']), domains: z.array(domain).optional() })
  .superRefine((v, ctx) => {
    if (v.platform === 'web' && (v.domains === undefined || v.domains.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['domains'], message: 'is required for web properties (at least one host name)' });
    }
  });
export type PropertyCreate = z.infer<typeof propertyCreateSchema>;

export const propertyUpdateSchema = z.object({ ...common, name: common.name.optional(), domains: z.array(domain).min(1).optional() });
export type PropertyUpdate = z.infer<typeof propertyUpdateSchema>;

export const PROPERTY_COLUMNS = {
  created_at: 'timestamp',
  updated_at: 'timestamp',
  name: 'text',
  enabled: 'boolean',
  platform: 'text',
  token: 'text',
} as const;

import { z } from 'zod';
import type { AuditedEntity } from '../audit/audit-events';
import { pgInteger } from '../jsonapi/validation';

export const REVISIONED_TYPES = ['extensions', 'data_elements', 'rules', 'rule_components'] as const;
export type RevisionedType = (typeof REVISIONED_TYPES)[number];

export function isRevisionedType(value: string): value is RevisionedType {
  return (REVISIONED_TYPES as readonly string[]).includes(value);
}

export const SINGULAR: Record<RevisionedType, AuditedEntity> = {
  extensions: 'extension',
  data_elements: 'data_element',
  rules: 'rule',
  rule_components: 'rule_component',
};

const settings = z.string().max(1024 * 1024).nullish();

/** Attributes accepted per type; create and plain PATCH share them (PATCH: all optional). */
export const ATTRIBUTE_SCHEMAS = {
  extensions: z.object({ delegate_descriptor_id: z.string().nullish(), settings, enabled: z.boolean().optional(), name: z.string().optional() }),
  data_elements: z.object({
    name: z.string().trim().min(1).max(255),
    delegate_descriptor_id: z.string().min(1),
    settings,
    default_value: z.string().nullish(),
    enabled: z.boolean().optional(),
    force_lower_case: z.boolean().optional(),
    clean_text: z.boolean().optional(),
    storage_duration: z.enum(['pageview', 'session', 'visitor']).nullish(),
  }),
  rules: z.object({ name: z.string().trim().min(1).max(255), enabled: z.boolean().optional() }),
  rule_components: z.object({
    name: z.string().trim().min(1).max(255),
    delegate_descriptor_id: z.string().min(1),
    settings,
    order: pgInteger().optional(),
    rule_order: z.number().optional(),
    negate: z.boolean().optional(),
    timeout: pgInteger().min(0).nullish(),
    delay_next: z.boolean().optional(),
    enabled: z.boolean().optional(),
  }),
} as const;

/** The union of every type's attributes, all optional (each type's schema decides what is required). */
export interface RevisionedAttributes {
  name?: string;
  enabled?: boolean;
  settings?: string | null;
  delegate_descriptor_id?: string | null;
  default_value?: string | null;
  force_lower_case?: boolean;
  clean_text?: boolean;
  storage_duration?: 'pageview' | 'session' | 'visitor' | null;
  order?: number;
  rule_order?: number;
  negate?: boolean;
  timeout?: number | null;
  delay_next?: boolean;
}

/** Relationship ids a create/PATCH may carry. */
export interface RevisionedLinks {
  extensionPackageId: string | null;
  extensionId: string | null;
  ruleIds: string[];
}

export const REVISIONED_COLUMNS = {
  created_at: 'timestamp',
  updated_at: 'timestamp',
  name: 'text',
  display_name: 'text',
  enabled: 'boolean',
  published: 'boolean',
  published_at: 'timestamp',
  origin_id: 'text',
  revision_number: 'integer',
  version: 'text',
  dirty: 'boolean',
  negate: 'boolean',
} as const;

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Timestamp } from './columns';

/**
 * Extensions, data elements, rules and rule components share the revision model of §1.9 (heads,
 * revisions, origin, dirty, soft delete), so they share one table keyed by `type`.
 */
export interface RevisionedTable {
  id: string;
  type: string;
  property_id: string;
  origin_id: string;
  revision_number: number;
  /** Heads only: the highest revision number taken so far. */
  latest_revision_number: number;
  name: string;
  enabled: boolean;
  dirty: boolean;
  published: boolean;
  published_at: Timestamp | null;
  deleted_at: Timestamp | null;
  review_status: string;
  settings: string | null;
  delegate_descriptor_id: string | null;
  /** extensions */
  extension_package_id: string | null;
  display_name: string | null;
  version: string | null;
  /** data elements and rule components: origin id of their extension */
  extension_id: string | null;
  default_value: string | null;
  force_lower_case: boolean | null;
  clean_text: boolean | null;
  storage_duration: string | null;
  /** rule components */
  rule_id: string | null;
  order: number | null;
  rule_order: number | null;
  negate: boolean | null;
  timeout: number | null;
  delay_next: boolean | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type RevisionedRow = Selectable<RevisionedTable>;
export type NewRevisioned = Insertable<RevisionedTable>;
export type RevisionedUpdate = Updateable<RevisionedTable>;

import type { Selectable } from 'kysely';
import type { Timestamp } from './columns';

export interface AuditEventsTable {
  id: string;
  company_id: string;
  property_id: string | null;
  type_of: string;
  entity_type: string;
  entity_id: string;
  entity: string;
  display_name: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type AuditEventRow = Selectable<AuditEventsTable>;

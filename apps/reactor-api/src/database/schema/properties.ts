import type { Selectable } from 'kysely';
import type { Json, Timestamp } from './columns';

export interface PropertiesTable {
  id: string;
  company_id: string;
  name: string;
  platform: string;
  domains: Json<string[]>;
  development: boolean;
  privacy: string;
  rule_component_sequencing_enabled: boolean;
  ssl_enabled: boolean;
  undefined_vars_return_empty: boolean;
  enabled: boolean;
  token: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type PropertyRow = Selectable<PropertiesTable>;

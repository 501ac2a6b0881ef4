import type { ColumnType, Selectable } from 'kysely';
import type { Json, Timestamp } from './columns';

// Companies (Adobe orgs) and their API tokens: what the auth context reads.

export interface CompaniesTable {
  id: string;
  name: string;
  org_id: string;
  token: string;
  /** False: the org has no access to Tags; its valid tokens get 403 invalid-org (migration 005). */
  tags_access: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  company_id: string;
  /** sha256 hex of the bearer token; the token itself is never stored. */
  token_hash: string;
  name: string;
  rights: Json<string[]>;
  expires_at: Timestamp | null;
  created_at: Timestamp;
}

export type CompanyRow = Selectable<CompaniesTable>;

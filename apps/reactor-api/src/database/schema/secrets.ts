import type { Selectable } from 'kysely';
import type { StatusDetailsColumn, Timestamp } from './columns';

export interface SecretsTable {
  id: string;
  property_id: string;
  environment_id: string | null;
  name: string;
  type_of: string;
  /** The credentials object as JSON, encrypted to the server's PGP key; never presented. */
  credentials_encrypted: string;
  status: string;
  status_details: StatusDetailsColumn;
  activated_at: Timestamp | null;
  expires_at: Timestamp | null;
  refresh_at: Timestamp | null;
  /** Why the last scheduled refresh failed (`meta.refresh_status_details`); null after a successful one. */
  refresh_status_details: StatusDetailsColumn;
  /** Bumped by every credentials change and retry; exchange results for older revisions are dropped. */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type SecretRow = Selectable<SecretsTable>;

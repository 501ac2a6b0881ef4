import type { Selectable } from 'kysely';
import type { StatusDetailsColumn, Timestamp } from './columns';

export interface HostsTable {
  id: string;
  property_id: string;
  name: string;
  type_of: string;
  server: string | null;
  path: string | null;
  port: number | null;
  username: string | null;
  encrypted_private_key: string | null;
  skip_symlinks: boolean;
  status: string;
  status_details: StatusDetailsColumn;
  /** Bumped by every change of credentials/location; pretest results for older revisions are dropped. */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type HostRow = Selectable<HostsTable>;

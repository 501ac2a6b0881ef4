import type { ColumnType, Selectable } from 'kysely';
import type { Timestamp } from './columns';

export interface EnvironmentsTable {
  id: string;
  property_id: string;
  host_id: string;
  name: string;
  stage: string;
  archive: boolean;
  /** Plaintext, only in rows written before migration 004; never written since (see archive_passphrase_encrypted). */
  archive_passphrase: string | null;
  /** `archive_passphrase` as an armored PGP message to the server key; write-only in the API. */
  archive_passphrase_encrypted: ColumnType<string | null, string | null | undefined, string | null>;
  path: string | null;
  include_debug_library: boolean;
  token: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type EnvironmentRow = Selectable<EnvironmentsTable>;

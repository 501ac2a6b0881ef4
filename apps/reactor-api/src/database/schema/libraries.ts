import type { ColumnType, Selectable } from 'kysely';
import type { StatusDetails } from '@openexp/errors';
import type { StatusDetailsJson } from '../status-details';
import type { NullableJson, StatusDetailsColumn, Timestamp } from './columns';

// Libraries, the resources they hold, and their builds (the library lifecycle's tables).

export interface LibrariesTable {
  id: string;
  property_id: string;
  environment_id: string | null;
  name: string;
  state: string;
  published_at: Timestamp | null;
  build_required: boolean;
  build_required_detail: string | null;
  stale: string | null;
  last_build_id: string | null;
  state_changed_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LibraryResourcesTable {
  library_id: string;
  resource_id: string;
  resource_type: string;
  created_at: Timestamp;
}

export interface BuildsTable {
  id: string;
  library_id: string;
  property_id: string;
  environment_id: string;
  stage: string;
  host_type_of: string;
  status: string;
  token: string;
  status_details: StatusDetailsColumn;
  republish_status: string | null;
  /** Bumped by every republish request; names the job, and results of older requests are dropped. */
  republish_sequence: ColumnType<number, number | undefined, number>;
  /** Deferred errors of the last republish when it failed. */
  republish_status_details: ColumnType<StatusDetails | null, StatusDetailsJson | null | undefined, StatusDetailsJson | null>;
  /** Delivered as a ZIP (the environment was an archive environment when the build was created). */
  archive: ColumnType<boolean, boolean | undefined, boolean>;
  files: NullableJson<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BuildResourcesTable {
  build_id: string;
  resource_id: string;
  resource_type: string;
}

export type LibraryRow = Selectable<LibrariesTable>;
export type BuildRow = Selectable<BuildsTable>;

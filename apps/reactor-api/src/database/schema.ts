import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/*
 * Table types of the Reactor data model. Column names are the JSON:API attribute names where an
 * attribute maps to a column, so filters and sorts address columns by attribute name.
 * JSON columns are written as strings (JSON.stringify) and read back parsed.
 */

type Timestamp = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export interface CompaniesTable {
  id: string;
  name: string;
  org_id: string;
  token: string;
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
  status_details: NullableJson<unknown>;
  /** Bumped by every change of credentials/location; pretest results for older revisions are dropped. */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EnvironmentsTable {
  id: string;
  property_id: string;
  host_id: string;
  name: string;
  stage: string;
  archive: boolean;
  archive_passphrase: string | null;
  path: string | null;
  include_debug_library: boolean;
  token: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

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
  status_details: NullableJson<unknown>;
  republish_status: string | null;
  files: NullableJson<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BuildResourcesTable {
  build_id: string;
  resource_id: string;
  resource_type: string;
}

export interface ExtensionPackagesTable {
  id: string;
  /** Company that uploaded it; null for packages seeded by the server. */
  owner_company_id: string | null;
  owner_org_id: string | null;
  name: string | null;
  display_name: string | null;
  description: string | null;
  version: string | null;
  platform: string | null;
  availability: string;
  status: string;
  status_details: NullableJson<unknown>;
  manifest: NullableJson<Record<string, unknown>>;
  upload_key: string | null;
  files_prefix: string | null;
  trusted: boolean;
  discontinued: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

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

export interface NotesTable {
  id: string;
  property_id: string;
  resource_type: string;
  resource_id: string;
  text: string;
  author_display_name: string;
  author_email: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

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

export interface Database {
  companies: CompaniesTable;
  api_tokens: ApiTokensTable;
  properties: PropertiesTable;
  hosts: HostsTable;
  environments: EnvironmentsTable;
  libraries: LibrariesTable;
  library_resources: LibraryResourcesTable;
  builds: BuildsTable;
  build_resources: BuildResourcesTable;
  extension_packages: ExtensionPackagesTable;
  revisioned: RevisionedTable;
  notes: NotesTable;
  audit_events: AuditEventsTable;
}

export type CompanyRow = Selectable<CompaniesTable>;
export type PropertyRow = Selectable<PropertiesTable>;
export type HostRow = Selectable<HostsTable>;
export type EnvironmentRow = Selectable<EnvironmentsTable>;
export type LibraryRow = Selectable<LibrariesTable>;
export type BuildRow = Selectable<BuildsTable>;
export type ExtensionPackageRow = Selectable<ExtensionPackagesTable>;
export type RevisionedRow = Selectable<RevisionedTable>;
export type NewRevisioned = Insertable<RevisionedTable>;
export type RevisionedUpdate = Updateable<RevisionedTable>;
export type NoteRow = Selectable<NotesTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;

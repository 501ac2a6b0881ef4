import type { StatusDetails } from '@openexp/errors';
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { StatusDetailsJson } from './status-details';

/*
 * Table types of the Reactor data model. Column names are the JSON:API attribute names where an
 * attribute maps to a column, so filters and sorts address columns by attribute name.
 * JSON columns are written as strings (JSON.stringify) and read back parsed; the deferred-error
 * columns (`status_details` and its kin) accept only `statusDetailsColumn`'s output.
 */

type Timestamp = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;
/** Deferred errors (`meta.status_details`, §3.2): read as {@link StatusDetails}, written only through `statusDetailsColumn`. */
type StatusDetailsColumn = ColumnType<StatusDetails | null, StatusDetailsJson | null, StatusDetailsJson | null>;

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
  status_details: StatusDetailsColumn;
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
  status_details: StatusDetailsColumn;
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

/** A property's webhook: audit events whose `type_of` is in `subscriptions` are POSTed to `url`. */
export interface CallbacksTable {
  id: string;
  property_id: string;
  url: string;
  subscriptions: Json<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Outbox: one row per (callback, audit event) to deliver, written with the audit event, removed once queued. */
export interface CallbackDeliveriesTable {
  id: string;
  callback_id: string;
  audit_event_id: string;
  created_at: ColumnType<Date, Date | undefined, Date>;
}

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
  callbacks: CallbacksTable;
  callback_deliveries: CallbackDeliveriesTable;
  secrets: SecretsTable;
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
export type CallbackRow = Selectable<CallbacksTable>;
export type SecretRow = Selectable<SecretsTable>;

import type { AuditEventsTable } from './schema/audit';
import type { CallbackDeliveriesTable, CallbacksTable } from './schema/callbacks';
import type { ApiTokensTable, CompaniesTable } from './schema/companies';
import type { EnvironmentsTable } from './schema/environments';
import type { ExtensionPackagesTable, ExtensionPackageUsageAuthorizationsTable } from './schema/extension-packages';
import type { HostsTable } from './schema/hosts';
import type { ImsCredentialsTable, ImsTokensTable } from './schema/ims';
import type { BuildResourcesTable, BuildsTable, LibrariesTable, LibraryResourcesTable } from './schema/libraries';
import type { NotesTable } from './schema/notes';
import type { PropertiesTable } from './schema/properties';
import type { RevisionedTable } from './schema/revisioned';
import type { SecretsTable } from './schema/secrets';

/*
 * Table types of the Reactor data model, one file per context under `schema/`, composed here into
 * the Kysely `Database`. Column names are the JSON:API attribute names where an attribute maps to a
 * column, so filters and sorts address columns by attribute name. JSON columns are written as
 * strings (JSON.stringify) and read back parsed; the deferred-error columns (`status_details` and
 * its kin) accept only `statusDetailsColumn`'s output (`schema/columns.ts`).
 */

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
  extension_package_usage_authorizations: ExtensionPackageUsageAuthorizationsTable;
  revisioned: RevisionedTable;
  notes: NotesTable;
  audit_events: AuditEventsTable;
  callbacks: CallbacksTable;
  callback_deliveries: CallbackDeliveriesTable;
  secrets: SecretsTable;
  ims_credentials: ImsCredentialsTable;
  ims_tokens: ImsTokensTable;
}

export type { AuditEventRow, AuditEventsTable } from './schema/audit';
export type { CallbackDeliveriesTable, CallbackRow, CallbacksTable } from './schema/callbacks';
export type { ApiTokensTable, CompaniesTable, CompanyRow } from './schema/companies';
export type { EnvironmentRow, EnvironmentsTable } from './schema/environments';
export type { ExtensionPackageRow, ExtensionPackagesTable, ExtensionPackageUsageAuthorizationRow, ExtensionPackageUsageAuthorizationsTable } from './schema/extension-packages';
export type { HostRow, HostsTable } from './schema/hosts';
export type { ImsCredentialRow, ImsCredentialsTable, ImsTokensTable } from './schema/ims';
export type { BuildResourcesTable, BuildRow, BuildsTable, LibrariesTable, LibraryResourcesTable, LibraryRow } from './schema/libraries';
export type { NoteRow, NotesTable } from './schema/notes';
export type { PropertiesTable, PropertyRow } from './schema/properties';
export type { NewRevisioned, RevisionedRow, RevisionedTable, RevisionedUpdate } from './schema/revisioned';
export type { SecretRow, SecretsTable } from './schema/secrets';

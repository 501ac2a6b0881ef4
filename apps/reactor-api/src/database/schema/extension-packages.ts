import type { Selectable } from 'kysely';
import type { NullableJson, StatusDetailsColumn, Timestamp } from './columns';

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

export type ExtensionPackageRow = Selectable<ExtensionPackagesTable>;

/** Another org's permission to use a company's private package (by name, every version). */
export interface ExtensionPackageUsageAuthorizationsTable {
  id: string;
  package_name: string;
  platform: string | null;
  owner_company_id: string;
  owner_org_id: string;
  authorized_org_id: string;
  /** pending_approval | approved | rejected */
  state: string;
  created_by_display_name: string | null;
  updated_by_display_name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ExtensionPackageUsageAuthorizationRow = Selectable<ExtensionPackageUsageAuthorizationsTable>;

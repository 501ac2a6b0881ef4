import type { ExtensionPackageUsageAuthorizationRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

/** Adobe's attributes for an `extension_package_usage_authorizations` resource (org names are not kept here). */
export function presentUsageAuthorization(row: ExtensionPackageUsageAuthorizationRow, links: Links): ResourceObject {
  return {
    id: row.id,
    type: 'extension_package_usage_authorizations',
    attributes: {
      name: row.package_name,
      platform: row.platform,
      owner_org_id: row.owner_org_id,
      authorized_org_id: row.authorized_org_id,
      state: row.state,
      created_by_display_name: row.created_by_display_name,
      updated_by_display_name: row.updated_by_display_name,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships: {},
    links: { self: links.self('extension_package_usage_authorizations', row.id) },
    meta: {},
  };
}

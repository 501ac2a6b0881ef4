import type { PropertyRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

const RELATED = ['hosts', 'environments', 'libraries', 'extensions', 'data_elements', 'rules', 'rule_components', 'notes', 'audit_events', 'callbacks', 'secrets'];

export function presentProperty(row: PropertyRow, links: Links, rights: readonly string[] = []): ResourceObject {
  const relationships: ResourceObject['relationships'] = {
    company: links.toOne('properties', row.id, 'company', { id: row.company_id, type: 'companies' }),
  };
  for (const name of RELATED) {
    relationships[name] = links.toMany('properties', row.id, name);
  }
  return {
    id: row.id,
    type: 'properties',
    attributes: {
      name: row.name,
      platform: row.platform,
      domains: row.domains,
      development: row.development,
      privacy: row.privacy,
      rule_component_sequencing_enabled: row.rule_component_sequencing_enabled,
      ssl_enabled: row.ssl_enabled,
      undefined_vars_return_empty: row.undefined_vars_return_empty,
      enabled: row.enabled,
      token: row.token,
      copying: false,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships,
    links: { self: links.self('properties', row.id), company: links.related('properties', row.id, 'company') },
    meta: { rights },
  };
}

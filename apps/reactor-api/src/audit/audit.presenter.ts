import type { AuditEventRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

export function presentAuditEvent(row: AuditEventRow, links: Links): ResourceObject {
  return {
    id: row.id,
    type: 'audit_events',
    attributes: {
      type_of: row.type_of,
      entity: row.entity,
      display_name: row.display_name,
      attributed_to_display_name: null,
      attributed_to_email: null,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships: {
      property: links.toOne('audit_events', row.id, 'property', row.property_id === null ? null : { id: row.property_id, type: 'properties' }),
      entity: { links: {}, data: { id: row.entity_id, type: row.entity_type } },
    },
    links: { self: links.self('audit_events', row.id) },
    meta: {},
  };
}

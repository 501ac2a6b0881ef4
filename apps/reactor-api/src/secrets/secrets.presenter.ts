import type { SecretRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

/** `credentials` are write-only: never presented, not even in part. */
export function presentSecret(row: SecretRow, links: Links, extraMeta: Record<string, unknown> = {}): ResourceObject {
  return {
    id: row.id,
    type: 'secrets',
    attributes: {
      name: row.name,
      type_of: row.type_of,
      status: row.status,
      activated_at: iso(row.activated_at),
      expires_at: iso(row.expires_at),
      refresh_at: iso(row.refresh_at),
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships: {
      property: links.toOne('secrets', row.id, 'property', { id: row.property_id, type: 'properties' }),
      environment: links.toOne('secrets', row.id, 'environment', row.environment_id === null ? null : { id: row.environment_id, type: 'environments' }),
      notes: links.toMany('secrets', row.id, 'notes'),
    },
    links: { self: links.self('secrets', row.id) },
    meta: { status_details: row.status === 'failed' ? row.status_details : null, refresh_status_details: row.refresh_status_details, ...extraMeta },
  };
}

import type { CallbackRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

export function presentCallback(row: CallbackRow, links: Links): ResourceObject {
  return {
    id: row.id,
    type: 'callbacks',
    attributes: {
      url: row.url,
      subscriptions: row.subscriptions,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships: { property: links.toOne('callbacks', row.id, 'property', { id: row.property_id, type: 'properties' }) },
    links: { self: links.self('callbacks', row.id), property: links.related('callbacks', row.id, 'property') },
    meta: {},
  };
}

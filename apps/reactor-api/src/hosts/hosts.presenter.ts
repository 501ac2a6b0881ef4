import type { HostRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

/** `encrypted_private_key` is write-only: never presented. */
export function presentHost(row: HostRow, links: Links): ResourceObject {
  const sftp = row.type_of === 'sftp';
  return {
    id: row.id,
    type: 'hosts',
    attributes: {
      name: row.name,
      type_of: row.type_of,
      server: sftp ? row.server : null,
      path: sftp ? row.path : null,
      port: sftp ? row.port : null,
      username: sftp ? row.username : null,
      skip_symlinks: sftp ? row.skip_symlinks : null,
      status: row.status,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships: { property: links.toOne('hosts', row.id, 'property', { id: row.property_id, type: 'properties' }) },
    links: { self: links.self('hosts', row.id), property: links.related('hosts', row.id, 'property') },
    meta: { status_details: row.status === 'failed' ? row.status_details : null },
  };
}

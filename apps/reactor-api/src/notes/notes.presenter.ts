import type { NoteRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

export function presentNote(row: NoteRow, links: Links): ResourceObject {
  return {
    id: row.id,
    type: 'notes',
    attributes: { text: row.text, author_display_name: row.author_display_name, author_email: row.author_email, created_at: iso(row.created_at), updated_at: iso(row.updated_at) },
    relationships: { resource: { links: { related: links.self(row.resource_type, row.resource_id) }, data: { id: row.resource_id, type: row.resource_type } } },
    links: { self: links.self('notes', row.id) },
    meta: {},
  };
}

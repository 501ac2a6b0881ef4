import type { RevisionedRow } from '../database/schema';
import { iso, type Links, type RelationshipObject, type ResourceObject } from '../jsonapi/document';
import type { RevisionedType } from './revisioned.types';

/*
 * Every resource of every page of the most read lists goes through here: the document is built
 * directly, in the key order clients see, without per-call closures or object spreads.
 */

function addTypeAttributes(row: RevisionedRow, type: RevisionedType, attributes: Record<string, unknown>): void {
  switch (type) {
    case 'extensions':
      attributes['display_name'] = row.display_name;
      attributes['version'] = row.version;
      attributes['delegate_descriptor_id'] = row.delegate_descriptor_id;
      attributes['settings'] = row.settings;
      return;
    case 'data_elements':
      attributes['delegate_descriptor_id'] = row.delegate_descriptor_id;
      attributes['settings'] = row.settings;
      attributes['default_value'] = row.default_value;
      attributes['force_lower_case'] = row.force_lower_case;
      attributes['clean_text'] = row.clean_text;
      attributes['storage_duration'] = row.storage_duration;
      return;
    case 'rules':
      return;
    case 'rule_components':
      attributes['delegate_descriptor_id'] = row.delegate_descriptor_id;
      attributes['settings'] = row.settings;
      attributes['order'] = row.order;
      attributes['rule_order'] = row.rule_order;
      attributes['negate'] = row.negate;
      attributes['timeout'] = row.timeout;
      attributes['delay_next'] = row.delay_next;
      return;
  }
}

export function presentRevisioned(row: RevisionedRow, links: Links): ResourceObject {
  const type = row.type as RevisionedType;
  const self = links.self(type, row.id);
  const relationships = relationshipsOf(row, type, links);
  const deletedAt = iso(row.deleted_at);
  const attributes: Record<string, unknown> = {
    name: row.name,
    enabled: row.enabled,
    dirty: row.dirty,
    published: row.published,
    published_at: iso(row.published_at),
    deleted_at: deletedAt,
    revision_number: row.revision_number,
    review_status: row.review_status,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
  addTypeAttributes(row, type, attributes);
  return {
    id: row.id,
    type,
    attributes,
    relationships,
    links: { self, origin: links.related(type, row.id, 'origin') },
    meta: { latest_revision_number: row.latest_revision_number, deleted_at: deletedAt },
  };
}

function relationshipsOf(row: RevisionedRow, type: RevisionedType, links: Links): Record<string, RelationshipObject> {
  const relationships: Record<string, RelationshipObject> = {
    origin: links.toOne(type, row.id, 'origin', { id: row.origin_id, type }),
    property: links.toOne(type, row.id, 'property', { id: row.property_id, type: 'properties' }),
    revisions: links.toMany(type, row.id, 'revisions'),
    libraries: links.toMany(type, row.id, 'libraries'),
    notes: links.toMany(type, row.id, 'notes'),
  };
  if (type === 'extensions') {
    relationships['extension_package'] = links.toOne(type, row.id, 'extension_package', { id: row.extension_package_id ?? '', type: 'extension_packages' });
  }
  if (type === 'data_elements' || type === 'rule_components') {
    relationships['extension'] = links.toOne(type, row.id, 'extension', row.extension_id === null ? null : { id: row.extension_id, type: 'extensions' });
  }
  if (type === 'rules') {
    relationships['rule_components'] = links.toMany(type, row.id, 'rule_components');
  }
  if (type === 'rule_components') {
    relationships['rules'] = { links: { related: links.related(type, row.id, 'rules') }, data: row.rule_id === null ? [] : [{ id: row.rule_id, type: 'rules' }] };
  }
  return relationships;
}

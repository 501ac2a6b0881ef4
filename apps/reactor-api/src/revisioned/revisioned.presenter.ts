import type { RevisionedRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';
import type { RevisionedType } from './revisioned.types';

function typeAttributes(row: RevisionedRow): Record<string, unknown> {
  switch (row.type as RevisionedType) {
    case 'extensions':
      return { display_name: row.display_name, version: row.version, delegate_descriptor_id: row.delegate_descriptor_id, settings: row.settings };
    case 'data_elements':
      return {
        delegate_descriptor_id: row.delegate_descriptor_id,
        settings: row.settings,
        default_value: row.default_value,
        force_lower_case: row.force_lower_case,
        clean_text: row.clean_text,
        storage_duration: row.storage_duration,
      };
    case 'rules':
      return {};
    case 'rule_components':
      return {
        delegate_descriptor_id: row.delegate_descriptor_id,
        settings: row.settings,
        order: row.order,
        rule_order: row.rule_order,
        negate: row.negate,
        timeout: row.timeout,
        delay_next: row.delay_next,
      };
  }
}

export function presentRevisioned(row: RevisionedRow, links: Links): ResourceObject {
  const type = row.type as RevisionedType;
  const rel = (name: string, target: { id: string; type: string } | null) => links.toOne(type, row.id, name, target);
  const relationships: ResourceObject['relationships'] = {
    origin: rel('origin', { id: row.origin_id, type }),
    property: rel('property', { id: row.property_id, type: 'properties' }),
    revisions: links.toMany(type, row.id, 'revisions'),
    libraries: links.toMany(type, row.id, 'libraries'),
    notes: links.toMany(type, row.id, 'notes'),
  };
  if (type === 'extensions') {
    relationships['extension_package'] = rel('extension_package', { id: row.extension_package_id ?? '', type: 'extension_packages' });
  }
  if (type === 'data_elements' || type === 'rule_components') {
    relationships['extension'] = rel('extension', row.extension_id === null ? null : { id: row.extension_id, type: 'extensions' });
  }
  if (type === 'rules') {
    relationships['rule_components'] = links.toMany(type, row.id, 'rule_components');
  }
  if (type === 'rule_components') {
    relationships['rules'] = { links: { related: links.related(type, row.id, 'rules') }, data: row.rule_id === null ? [] : [{ id: row.rule_id, type: 'rules' }] };
  }
  return {
    id: row.id,
    type,
    attributes: {
      name: row.name,
      enabled: row.enabled,
      dirty: row.dirty,
      published: row.published,
      published_at: iso(row.published_at),
      deleted_at: iso(row.deleted_at),
      revision_number: row.revision_number,
      review_status: row.review_status,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
      ...typeAttributes(row),
    },
    relationships,
    links: { self: links.self(type, row.id), origin: links.related(type, row.id, 'origin') },
    meta: { latest_revision_number: row.latest_revision_number, deleted_at: iso(row.deleted_at) },
  };
}

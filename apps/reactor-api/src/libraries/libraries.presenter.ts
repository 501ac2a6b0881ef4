import type { LibraryRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

/** A library and the facts derived for its presentation. */
export interface LibraryView {
  row: LibraryRow;
  upstreamId: string | null;
  buildStatus: string | null;
}

export function presentLibrary(view: LibraryView, links: Links): ResourceObject {
  const { row } = view;
  const many = (name: string) => links.toMany('libraries', row.id, name, true);
  return {
    id: row.id,
    type: 'libraries',
    attributes: {
      name: row.name,
      state: row.state,
      published_at: iso(row.published_at),
      build_required: row.build_required,
      stale: row.stale,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships: {
      builds: links.toMany('libraries', row.id, 'builds'),
      environment: links.toOne('libraries', row.id, 'environment', row.environment_id === null ? null : { id: row.environment_id, type: 'environments' }, true),
      data_elements: many('data_elements'),
      extensions: many('extensions'),
      rules: many('rules'),
      notes: links.toMany('libraries', row.id, 'notes'),
      upstream_library: links.toOne('libraries', row.id, 'upstream_library', view.upstreamId === null ? null : { id: view.upstreamId, type: 'libraries' }),
      property: links.toOne('libraries', row.id, 'property', { id: row.property_id, type: 'properties' }),
      last_build: links.toOne('libraries', row.id, 'last_build', row.last_build_id === null ? null : { id: row.last_build_id, type: 'builds' }),
    },
    links: { self: links.self('libraries', row.id), property: links.related('libraries', row.id, 'property') },
    meta: { build_status: view.buildStatus, build_required_detail: row.build_required ? (row.build_required_detail ?? 'No build found since last state change') : null },
  };
}

import type { BuildRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

/** A build with its environment's public URLs. */
export interface BuildView {
  row: BuildRow;
  artifactUrl: string | null;
  directArtifactUrl: string | null;
  archive: boolean;
}

export function presentBuild(view: BuildView, links: Links): ResourceObject {
  const { row } = view;
  const one = (name: string, type: string, id: string) => links.toOne('builds', row.id, name, { id, type });
  return {
    id: row.id,
    type: 'builds',
    attributes: { status: row.status, token: row.token, created_at: iso(row.created_at), updated_at: iso(row.updated_at) },
    relationships: {
      library: one('library', 'libraries', row.library_id),
      environment: one('environment', 'environments', row.environment_id),
      property: one('property', 'properties', row.property_id),
      data_elements: links.toMany('builds', row.id, 'data_elements'),
      extensions: links.toMany('builds', row.id, 'extensions'),
      rules: links.toMany('builds', row.id, 'rules'),
    },
    links: { self: links.self('builds', row.id), library: links.related('builds', row.id, 'library') },
    meta: {
      artifact_url: view.artifactUrl,
      direct_artifact_url: view.directArtifactUrl,
      archive: view.archive,
      host_type_of: row.host_type_of,
      // A failed build's deferred errors, or those of its last republish when that failed.
      status_details: row.status === 'failed' ? row.status_details : row.republish_status === 'failed' ? (row.republish_status_details ?? null) : null,
      ...(row.republish_status !== null ? { republish_status: row.republish_status } : {}),
    },
  };
}

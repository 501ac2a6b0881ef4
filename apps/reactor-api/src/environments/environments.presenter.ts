import { iso, type Links, type ResourceObject } from '../jsonapi/document';
import { embedUrl, libraryBaseName, libraryName, libraryPath, type EnvironmentView } from './environment-view';

/**
 * `archive_passphrase` is write-only: never presented (not even encrypted); `meta.archive_encrypted`
 * says whether an archive environment's ZIPs are encrypted.
 *
 * Embed code of an archive environment: the same `<script>` tags, pointing at
 * `{path}/{library_path}/launch-….min.js` — where the library is once its ZIP is extracted into the
 * folder served at `{path}/{library_path}/` (the ZIP holds `{build.token}/…` and the current entries).
 * `path` is the environment's self-hosting path when set (for managed hosts, only archive
 * environments use it), otherwise the host's public path, where only the ZIP itself is served.
 */
export function presentEnvironment(view: EnvironmentView, links: Links): ResourceObject {
  const { row } = view;
  const path = libraryPath(view);
  const base = libraryBaseName(row.stage, row.token);
  return {
    id: row.id,
    type: 'environments',
    attributes: {
      name: row.name,
      stage: row.stage,
      archive: row.archive,
      include_debug_library: row.include_debug_library,
      path: view.publicPath,
      token: row.token,
      library_path: path,
      library_name: libraryName(row.stage, row.token),
      library_entry_points: [
        { library_name: `${base}.min.js`, minified: true, references: [`${path}/${base}.min.js`], license_path: `${path}/${base}.js` },
        { library_name: `${base}.js`, minified: false, references: [`${path}/${base}.js`] },
      ],
      status: 'succeeded',
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships: {
      host: links.toOne('environments', row.id, 'host', { id: row.host_id, type: 'hosts' }, true),
      library: links.toOne('environments', row.id, 'library', view.libraryId === null ? null : { id: view.libraryId, type: 'libraries' }),
      builds: links.toMany('environments', row.id, 'builds'),
      property: links.toOne('environments', row.id, 'property', { id: row.property_id, type: 'properties' }),
    },
    links: { self: links.self('environments', row.id), property: links.related('environments', row.id, 'property') },
    meta: metaOf(view),
  };
}

function metaOf(view: EnvironmentView): Record<string, unknown> {
  const { row } = view;
  const url = embedUrl(view);
  return {
    // A clear-text passphrase from before migration 004 counts when it is not empty (the job encrypts it then).
    archive_encrypted: row.archive && (row.archive_passphrase_encrypted !== null || (row.archive_passphrase ?? '') !== ''),
    host_type_of: view.hostTypeOf,
    script_sources: [url],
    embed_code: {
      async: `<script src="${url}" async></script>`,
      sync: { head: `<script src="${url}"></script>`, body: '<script type="text/javascript">_satellite.pageBottom();</script>' },
    },
  };
}

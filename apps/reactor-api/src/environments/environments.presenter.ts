import { iso, type Links, type ResourceObject } from '../jsonapi/document';
import { artifactUrl, libraryBaseName, libraryName, libraryPath, type EnvironmentView } from './environment-view';

export function presentEnvironment(view: EnvironmentView, links: Links): ResourceObject {
  const { row } = view;
  const path = libraryPath(view);
  const base = libraryBaseName(row.stage, row.token);
  const url = artifactUrl(view);
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
    meta: {
      archive_encrypted: row.archive && row.archive_passphrase !== null,
      host_type_of: view.hostTypeOf,
      script_sources: [url],
      embed_code: {
        async: `<script src="${url}" async></script>`,
        sync: { head: `<script src="${url}"></script>`, body: '<script type="text/javascript">_satellite.pageBottom();</script>' },
      },
    },
  };
}

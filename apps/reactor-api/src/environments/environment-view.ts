import type { EnvironmentRow } from '../database/schema';

/** An environment with what its derived attributes need (library path, public paths, library name). */
export interface EnvironmentView {
  row: EnvironmentRow;
  companyToken: string;
  propertyToken: string;
  hostTypeOf: string;
  /** Library currently assigned to this environment. */
  libraryId: string | null;
  /**
   * Base URL the library is loaded from (embed code, and the URLs built into the library):
   * `${PUBLIC_BASE_URL}/hosted` for managed hosts, the user's path for SFTP hosts, and for archive
   * environments on a managed host the user's self-hosting `path` when set.
   */
  publicPath: string;
  /** Base URL the host serves what it received: the library files, or an archive environment's ZIP. */
  deliveryPath: string;
}

export function libraryPath(view: Pick<EnvironmentView, 'companyToken' | 'propertyToken'>): string {
  return `${view.companyToken}/${view.propertyToken}`;
}

/** `launch-{token}[-development|-staging]` (no extension). */
export function libraryBaseName(stage: string, token: string): string {
  return stage === 'production' ? `launch-${token}` : `launch-${token}-${stage}`;
}

export function libraryName(stage: string, token: string): string {
  return `${libraryBaseName(stage, token)}.min.js`;
}

/** `launch-{token}[-development|-staging].zip`: what archive environments receive (our naming, §4.4). */
export function archiveName(stage: string, token: string): string {
  return `${libraryBaseName(stage, token)}.zip`;
}

/** The URL the embed code loads: `{path}/{library_path}/{library_name}` (the user's self-hosting path when set). */
export function embedUrl(view: EnvironmentView): string {
  return `${view.publicPath.replace(/\/+$/, '')}/${libraryPath(view)}/${libraryName(view.row.stage, view.row.token)}`;
}

/**
 * Public URL of a build's artifact where the host serves what it received: the current entry file
 * `{library_path}/{library_name}`, or with `buildToken` the one in its build directory; for a build
 * delivered as an archive, the ZIP `launch-….zip`. Only the build's own `archive` flag matters, so
 * toggling the environment later does not move an earlier build's URLs.
 */
export function artifactUrl(view: EnvironmentView, buildToken?: string, archive = false): string {
  const base = view.deliveryPath.replace(/\/+$/, '');
  const dir = buildToken === undefined ? libraryPath(view) : `${libraryPath(view)}/${buildToken}`;
  const name = archive ? archiveName(view.row.stage, view.row.token) : libraryName(view.row.stage, view.row.token);
  return `${base}/${dir}/${name}`;
}

import type { EnvironmentRow } from '../database/schema';

/** An environment with what its derived attributes need (library path, public path, library name). */
export interface EnvironmentView {
  row: EnvironmentRow;
  companyToken: string;
  propertyToken: string;
  hostTypeOf: string;
  /** Library currently assigned to this environment. */
  libraryId: string | null;
  /** `${PUBLIC_BASE_URL}/hosted` for managed hosts, the user's path for SFTP hosts. */
  publicPath: string;
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

/** Public URL of the current entry file: `{path}/{library_path}/{library_name}`. */
export function artifactUrl(view: EnvironmentView, buildToken?: string): string {
  const base = view.publicPath.replace(/\/+$/, '');
  const dir = buildToken === undefined ? libraryPath(view) : `${libraryPath(view)}/${buildToken}`;
  return `${base}/${dir}/${libraryName(view.row.stage, view.row.token)}`;
}

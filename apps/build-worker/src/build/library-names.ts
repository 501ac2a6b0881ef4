import type { BuildSnapshot, EnvironmentStage } from '@openexp/queue-contracts';

/** `launch-{env.token}[-development|-staging]` (production has no suffix). */
export function libraryBaseName(environmentToken: string, stage: EnvironmentStage): string {
  return stage === 'production' ? `launch-${environmentToken}` : `launch-${environmentToken}-${stage}`;
}

/** Names and URLs of one build's files, all derived from the snapshot (so a retry writes the same paths). */
export interface LibraryLayout {
  /** `launch-….js` */
  fileName: string;
  /** `launch-….min.js` */
  minFileName: string;
  /** `{company.token}/{property.token}` */
  libraryPath: string;
  /** `{libraryPath}/{build.token}` */
  buildDir: string;
  /** Public base URL of the build directory (no trailing slash). */
  buildDirUrl: string;
  /** Public URL of a file inside the build directory. */
  urlOf(relativePath: string): string;
}

export function libraryLayout(snapshot: BuildSnapshot): LibraryLayout {
  const base = libraryBaseName(snapshot.environment.token, snapshot.environment.stage);
  const libraryPath = snapshot.environment.libraryPath;
  const buildDir = `${libraryPath}/${snapshot.build.token}`;
  const buildDirUrl = `${snapshot.environment.path.replace(/\/+$/, '')}/${buildDir}`;
  return {
    fileName: `${base}.js`,
    minFileName: `${base}.min.js`,
    libraryPath,
    buildDir,
    buildDirUrl,
    urlOf: (relativePath) => `${buildDirUrl}/${relativePath}`,
  };
}

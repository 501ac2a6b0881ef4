import type { BuildSnapshot, EnvironmentStage } from '@openexp/queue-contracts';

/** `launch-{env.token}[-development|-staging]` (production has no suffix). */
export function libraryBaseName(environmentToken: string, stage: EnvironmentStage): string {
  return stage === 'production' ? `launch-${environmentToken}` : `launch-${environmentToken}-${stage}`;
}

/** Names and URLs of one build's files, all derived from the snapshot (so a retry writes the same paths). */
export interface LibraryLayout {
  /** `launch-{env.token}[-development|-staging]`: what every file name of the environment starts with. */
  baseName: string;
  /** The environment's stage (production's names have no suffix). */
  stage: EnvironmentStage;
  /** `launch-….js` */
  fileName: string;
  /** `launch-….min.js` */
  minFileName: string;
  /** `launch-….zip`: what archive environments receive instead of the loose files (our naming, §4.4). */
  archiveFileName: string;
  /** `{company.token}/{property.token}` */
  libraryPath: string;
  /** The build's 12-hex token: its directory's name. */
  buildToken: string;
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
    baseName: base,
    stage: snapshot.environment.stage,
    fileName: `${base}.js`,
    minFileName: `${base}.min.js`,
    archiveFileName: `${base}.zip`,
    libraryPath,
    buildToken: snapshot.build.token,
    buildDir,
    buildDirUrl,
    urlOf: (relativePath) => `${buildDirUrl}/${relativePath}`,
  };
}

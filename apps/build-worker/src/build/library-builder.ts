import type { BuildSnapshot } from '@openexp/queue-contracts';
import { assembleContainer } from './container-assembler';
import { libraryLayout, type LibraryLayout } from './library-names';
import { type BuiltFile, renderLibrary } from './library-renderer';
import type { PackageFileReader } from './module-sources';
import { assembleEdgeContainer } from './edge-container';
import { type EdgeEngineInfo, renderEdgeLibrary } from './edge-renderer';
import { loadEdgeEngineInfo, type TurbineEngine } from './turbine-engine';

export interface BuiltLibrary {
  /** The build, to decide which of two builds of one environment is the newer. */
  build: { id: string; createdAt: string };
  layout: LibraryLayout;
  files: BuiltFile[];
}

/** Snapshot in, library files out (web or edge, by `property.platform`): pure apart from reading package files. */
export class LibraryBuilder {
  /** The installed turbine-edge's version and date, read at the first edge build (not once per build). */
  private edge: Promise<EdgeEngineInfo> | undefined;

  constructor(
    private readonly engine: () => Promise<TurbineEngine>,
    private readonly reader: PackageFileReader,
    private readonly edgeEngine: () => Promise<EdgeEngineInfo> = loadEdgeEngineInfo,
  ) {}

  async build(snapshot: BuildSnapshot): Promise<BuiltLibrary> {
    const layout = libraryLayout(snapshot);
    if (snapshot.property.platform === 'edge') {
      const edge = await (this.edge ??= this.edgeEngine());
      const container = await assembleEdgeContainer(snapshot, edge, this.reader);
      return { build: { id: snapshot.build.id, createdAt: snapshot.build.createdAt }, layout, files: await renderEdgeLibrary(snapshot, container, layout, edge) };
    }
    const engine = await this.engine();
    const assembled = await assembleContainer(snapshot, layout, { version: engine.version, buildDate: engine.buildDate }, this.reader);
    return { build: { id: snapshot.build.id, createdAt: snapshot.build.createdAt }, layout, files: await renderLibrary(snapshot, assembled, layout, engine) };
  }
}

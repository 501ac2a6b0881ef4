import type { BuildSnapshot } from '@openexp/queue-contracts';
import { assembleContainer } from './container-assembler';
import { libraryLayout, type LibraryLayout } from './library-names';
import { type BuiltFile, renderLibrary } from './library-renderer';
import type { PackageFileReader } from './module-sources';
import type { TurbineEngine } from './turbine-engine';

export interface BuiltLibrary {
  /** The build, to decide which of two builds of one environment is the newer. */
  build: { id: string; createdAt: string };
  layout: LibraryLayout;
  files: BuiltFile[];
}

/** Snapshot in, library files out: pure apart from reading package files. */
export class LibraryBuilder {
  constructor(
    private readonly engine: () => Promise<TurbineEngine>,
    private readonly reader: PackageFileReader,
  ) {}

  async build(snapshot: BuildSnapshot): Promise<BuiltLibrary> {
    const engine = await this.engine();
    const layout = libraryLayout(snapshot);
    const assembled = await assembleContainer(snapshot, layout, { version: engine.version, buildDate: engine.buildDate }, this.reader);
    return { build: { id: snapshot.build.id, createdAt: snapshot.build.createdAt }, layout, files: await renderLibrary(snapshot, assembled, layout, engine) };
  }
}

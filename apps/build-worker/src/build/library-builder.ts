import type { BuildSnapshot } from '@openexp/queue-contracts';
import { assembleContainer } from './container-assembler';
import { libraryLayout, type LibraryLayout } from './library-names';
import { type BuiltFile, renderLibrary } from './library-renderer';
import type { PackageFileReader } from './module-sources';
import type { TurbineEngine } from './turbine-engine';

export interface BuiltLibrary {
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
    return { layout, files: await renderLibrary(snapshot, assembled, layout, engine) };
  }
}

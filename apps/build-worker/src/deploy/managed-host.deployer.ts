import type { BlobStore } from '@openexp/blob-store';
import type { BuiltLibrary } from '../build/library-builder';
import { currentEntryNames, deployedPaths, type DeployedFiles } from './deploy.types';

/** Blob prefix reactor-api serves at `/hosted/*`. */
export const HOSTED_PREFIX = 'hosted';

/**
 * Deploys to the managed (`akamai`) host: the blob store. The build directory is written first,
 * then the current entries are overwritten with copies (each put is atomic), so the embed URL
 * switches from the previous complete library to the new complete one.
 */
export class ManagedHostDeployer {
  constructor(private readonly blobs: BlobStore) {}

  async deploy(library: BuiltLibrary): Promise<DeployedFiles> {
    const { layout, files } = library;
    for (const file of files) {
      await this.blobs.put(`${HOSTED_PREFIX}/${layout.buildDir}/${file.path}`, file.content);
    }
    const byName = new Map(files.map((f) => [f.path, f.content] as const));
    for (const name of currentEntryNames(library)) {
      await this.blobs.put(`${HOSTED_PREFIX}/${layout.libraryPath}/${name}`, byName.get(name) ?? '');
    }
    return deployedPaths(library);
  }
}

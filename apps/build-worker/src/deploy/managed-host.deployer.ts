import type { BlobStore } from '@openexp/blob-store';
import type { BuiltLibrary } from '../build/library-builder';
import { markerName, markerOf, mayBecomeCurrent, parseMarker } from './current-marker';
import { currentEntryNames, deployedPaths, type DeployedFiles } from './deploy.types';

/** Blob prefix reactor-api serves at `/hosted/*`. */
export const HOSTED_PREFIX = 'hosted';

/**
 * Deploys to the managed (`akamai`) host: the blob store. The build directory is written first,
 * then the current entries are overwritten with copies (each put is atomic), so the embed URL
 * switches from the previous complete library to the new complete one — unless a newer build of
 * the environment is already current.
 */
export class ManagedHostDeployer {
  constructor(private readonly blobs: BlobStore) {}

  async deploy(library: BuiltLibrary): Promise<DeployedFiles> {
    const { layout, files } = library;
    for (const file of files) {
      await this.blobs.put(`${HOSTED_PREFIX}/${layout.buildDir}/${file.path}`, file.content);
    }
    const markerKey = `${HOSTED_PREFIX}/${layout.libraryPath}/${markerName(library)}`;
    const existing = (await this.blobs.stat(markerKey)) ? parseMarker((await this.blobs.get(markerKey)).toString('utf8')) : undefined;
    if (!mayBecomeCurrent(markerOf(library), existing)) {
      return deployedPaths(library, false);
    }
    const byName = new Map(files.map((f) => [f.path, f.content] as const));
    for (const name of currentEntryNames(library)) {
      await this.blobs.put(`${HOSTED_PREFIX}/${layout.libraryPath}/${name}`, byName.get(name) ?? '');
    }
    await this.blobs.put(markerKey, JSON.stringify(markerOf(library)));
    return deployedPaths(library);
  }
}

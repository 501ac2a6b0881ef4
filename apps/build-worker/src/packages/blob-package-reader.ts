import type { BlobStore } from '@openexp/blob-store';
import type { PackageFileReader } from '../build/module-sources';

/** Reads extracted package files from the blob store (`{filesPrefix}/{libPath}`). */
export class BlobPackageFileReader implements PackageFileReader {
  constructor(private readonly blobs: BlobStore) {}

  async read(filesPrefix: string, libPath: string): Promise<string | undefined> {
    const key = `${filesPrefix}/${libPath}`;
    try {
      if ((await this.blobs.stat(key)) === undefined) {
        return undefined;
      }
    } catch {
      // An invalid key (a path the blob store refuses) cannot name a package file.
      return undefined;
    }
    return (await this.blobs.get(key)).toString('utf8');
  }
}

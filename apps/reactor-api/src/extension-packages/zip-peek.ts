import { ReactorError } from '@openexp/errors';
import yauzl from 'yauzl';

export interface PeekedManifest {
  name: string;
  version: string;
  platform: string;
  displayName: string | null;
}

const MAX_MANIFEST_BYTES = 1024 * 1024;

function zipError(detail: string): ReactorError {
  return new ReactorError('extension-package-zip-error', detail, { pointer: '/package' });
}

/**
 * Reads only `extension.json` from an uploaded zip, to refuse what is not a package at once
 * (immediate `extension-package-zip-error`) and to know its name/version/platform before the worker
 * validates the whole package.
 */
export async function peekManifest(zip: Buffer): Promise<PeekedManifest> {
  const text = await readEntry(zip, 'extension.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw zipError(`extension.json is not valid JSON: ${(error as Error).message}`);
  }
  const m = manifest as Record<string, unknown>;
  if (typeof manifest !== 'object' || manifest === null || typeof m['name'] !== 'string' || typeof m['version'] !== 'string') {
    throw zipError('extension.json must be an object with string "name" and "version".');
  }
  return {
    name: m['name'],
    version: m['version'],
    platform: typeof m['platform'] === 'string' ? m['platform'] : 'web',
    displayName: typeof m['displayName'] === 'string' ? m['displayName'] : null,
  };
}

function readEntry(zip: Buffer, wanted: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true }, (openError, file) => {
      if (openError !== null || file === undefined) {
        reject(zipError('The upload is not a readable zip file.'));
        return;
      }
      let found = false;
      file.on('error', () => reject(zipError('The zip file is corrupt.')));
      file.on('end', () => {
        if (!found) {
          reject(zipError('The zip has no extension.json at its root.'));
        }
      });
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== wanted) {
          file.readEntry();
          return;
        }
        found = true;
        readWanted(file, entry).then(resolve, reject);
      });
      file.readEntry();
    });
  });
}

/** The text of the entry found (at most MAX_MANIFEST_BYTES); closes the zip. */
function readWanted(file: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  return new Promise((resolve, reject) => {
    if (entry.uncompressedSize > MAX_MANIFEST_BYTES) {
      file.close();
      reject(zipError('extension.json is larger than 1 MiB.'));
      return;
    }
    file.openReadStream(entry, (streamError, stream) => {
      if (streamError !== null || stream === undefined) {
        reject(zipError('extension.json could not be read from the zip.'));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => reject(zipError('extension.json could not be read from the zip.')));
      stream.on('end', () => {
        file.close();
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  });
}

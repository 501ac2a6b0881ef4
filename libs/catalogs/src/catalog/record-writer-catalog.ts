import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseAttributeFile } from './attribute-file';
import { resolveAttributes } from './attribute-resolution';
import { DEFAULT_CATALOG_FILE } from './catalog-loader';
import { decodeCatalogText } from './text-decoding';

/** Where a writer publishes into a catalog: its `.ini`, its root path and its record files. */
export interface WritableCatalog {
  readonly rootId: string;
  /** Absolute path of the catalog's `.ini`. */
  readonly iniPath: string;
  /** Absolute `RootPath` (image files of records are relative to it). */
  readonly rootPath: string;
  /** Absolute `CatalogFile` paths, in load order (a later file's record wins). */
  readonly catalogFiles: readonly string[];
}

/**
 * Finds the catalog with RootId `rootId` (exact, case-sensitive, as in URLs) among the `.ini` files
 * of `catalogRoot` other than default.ini, with its attributes resolved the way image-server
 * resolves them. `undefined` when no catalog has that RootId.
 * @throws CatalogLoadError when the catalog's `.ini` or default.ini has a value that does not parse.
 */
export async function findWritableCatalog(catalogRoot: string, isRootPath: string, rootId: string): Promise<WritableCatalog | undefined> {
  const root = resolve(catalogRoot);
  const names = (await readdir(root, { withFileTypes: true }))
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.ini') && e.name !== DEFAULT_CATALOG_FILE)
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    const iniPath = join(root, name);
    const own = parseAttributeFile(decodeCatalogText(await readFile(iniPath)), iniPath);
    if ((own.entries.get('rootid')?.value ?? '') !== rootId || rootId === '') {
      continue;
    }
    const defaultPath = join(root, DEFAULT_CATALOG_FILE);
    const defaults = parseAttributeFile(decodeCatalogText(await readFile(defaultPath)), defaultPath);
    const attributes = resolveAttributes(own, defaults, { catalogRoot: root, isRootPath: resolve(isRootPath), iniMtimeMs: 0 });
    return { rootId, iniPath, rootPath: attributes.rootPath, catalogFiles: attributes.catalogFiles };
  }
  return undefined;
}

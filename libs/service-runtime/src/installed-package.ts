import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Folder of an installed npm package (`name`), or undefined when it is not installed. Resolved at
 * run time with `createRequire` (webpack would turn a plain `require.resolve` into a module id):
 * from the working directory first, as the bundled apps run from the repository root (or `/app`
 * in the image), then from the running bundle.
 */
export function installedPackageDir(name: string): string | undefined {
  for (const from of [join(process.cwd(), 'index.js'), __filename]) {
    try {
      return dirname(createRequire(from).resolve(`${name}/package.json`));
    } catch {
      // not resolvable from here: try the next place
    }
  }
  return undefined;
}

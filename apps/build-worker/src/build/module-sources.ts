import { posix } from 'node:path';
import { ReactorError } from '@openexp/errors';

/** Reads extracted extension package files (the blob store in production). */
export interface PackageFileReader {
  /** Text of `{filesPrefix}/{libPath}`, undefined when absent. */
  read(filesPrefix: string, libPath: string): Promise<string | undefined>;
}

const RELATIVE_REQUIRE = /\brequire\s*\(\s*(['"])(\.{1,2}\/[^'"\n]+)\1\s*\)/g;

/** Relative module ids a source requires (`./x.js`, `../y`), in order of appearance, unique. */
export function relativeRequires(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(RELATIVE_REQUIRE)) {
    if (match[2] !== undefined) {
      found.add(match[2]);
    }
  }
  return [...found];
}

/**
 * Resolves a relative require the way Turbine does (`resolveRelativePath`: `.js` appended when
 * missing), refusing paths that leave the package.
 */
export function resolveRequire(fromLibPath: string, request: string): string {
  const withExt = request.endsWith('.js') ? request : `${request}.js`;
  const resolved = posix.normalize(posix.join(posix.dirname(fromLibPath), withExt));
  if (resolved.startsWith('../') || resolved === '..' || posix.isAbsolute(resolved)) {
    throw new ReactorError('extension-package-path-error', `${fromLibPath} requires ${request}, which is outside the package.`);
  }
  return resolved;
}

/**
 * Loads the given entry modules of one package and, recursively, every file they require with a
 * relative path. Returns libPath → source.
 * @throws ReactorError `library-file-not-found` (detail `src/lib/x.js is not a file.`) or `extension-package-path-error`.
 */
export async function collectModuleSources(
  reader: PackageFileReader,
  filesPrefix: string,
  entries: readonly string[],
): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  const queue = entries.map((libPath) => posix.normalize(libPath));
  while (queue.length > 0) {
    const libPath = queue.shift() as string;
    if (sources.has(libPath)) {
      continue;
    }
    const source = await reader.read(filesPrefix, libPath);
    if (source === undefined) {
      throw new ReactorError('library-file-not-found', `${libPath} is not a file.`, { meta: { file: libPath } });
    }
    sources.set(libPath, source);
    for (const request of relativeRequires(source)) {
      queue.push(resolveRequire(libPath, request));
    }
  }
  return sources;
}

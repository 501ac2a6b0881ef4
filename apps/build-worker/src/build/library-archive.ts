import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import type { Deliverable } from './deliverable';
import type { BuiltLibrary } from './library-builder';

/**
 * Archive environments (reactor-api.md §4.4: `archive: true`): instead of the loose files, the host
 * receives one ZIP. Adobe documents neither its name nor its layout; ours (a recommendation, kept
 * stable):
 *
 * - name `launch-{env.token}[-development|-staging].zip`, written to the build directory
 *   `{library_path}/{build.token}/` and made current as `{library_path}/launch-….zip` (a copy on
 *   managed hosts, a symlink or a copy on SFTP hosts), like the library files of other environments;
 *   so `meta.artifact_url` and `meta.direct_artifact_url` of a build point at the ZIP;
 * - entries laid out as they would be under `{library_path}/` on a host: the build's files under
 *   `{build.token}/` and copies of the current entries `launch-….js` and `launch-….min.js` at the
 *   root (ZIP symlinks are not portable). Extract it into the folder served at
 *   `{environment path}/{library_path}/` and the embed code and the library's own URLs (license
 *   pointer, custom code files, hosted lib files, all built from the environment's path) resolve;
 * - with `archive_passphrase`, every entry is encrypted with AES-256 (WinZip AE-2: 7-Zip,
 *   bsdtar/libarchive and WinZip read it; Info-ZIP `unzip` 6.0 lists it but cannot decrypt).
 *   Entry names stay readable, as the ZIP format keeps them in clear.
 *
 * Entry dates are the build's creation time, so the same build packs the same names and dates.
 */
export async function archiveLibrary(library: BuiltLibrary, passphrase: string | null): Promise<Deliverable> {
  return archiveDelivery(library, await packArchive(archiveInputOf(library), passphrase));
}

/** What packing needs, as plain data (it is sent to a build thread, see threaded-library-builder.ts). */
export interface ArchiveInput {
  /** The build's creation time: every entry's date. */
  createdAt: string;
  buildToken: string;
  /** `launch-….js` and `launch-….min.js`, copied to the root as the current entries. */
  currentNames: readonly string[];
  files: ReadonlyArray<{ path: string; content: string }>;
}

export function archiveInputOf(library: BuiltLibrary): ArchiveInput {
  const { layout } = library;
  return { createdAt: library.build.createdAt, buildToken: layout.buildToken, currentNames: [layout.fileName, layout.minFileName], files: library.files };
}

/** The ZIP's bytes (CPU-bound: deflate level 9, AES when a passphrase is given). */
export async function packArchive(input: ArchiveInput, passphrase: string | null): Promise<Uint8Array> {
  const lastModDate = new Date(input.createdAt);
  const writer = new ZipWriter(new Uint8ArrayWriter(), {
    useWebWorkers: false,
    level: 9,
    ...(passphrase ? { password: passphrase, encryptionStrength: 3 as const, zipCrypto: false } : {}),
  });
  const byPath = new Map(input.files.map((f) => [f.path, f.content] as const));
  const entries: Array<[string, string]> = [
    ...input.files.map((f): [string, string] => [`${input.buildToken}/${f.path}`, f.content]),
    ...input.currentNames.map((name): [string, string] => [name, byPath.get(name) ?? '']),
  ];
  for (const [name, content] of entries) {
    await writer.add(name, new Uint8ArrayReader(new TextEncoder().encode(content)), { lastModDate });
  }
  return writer.close();
}

/** The archive environment's delivery: the ZIP in the build directory, made current as `launch-….zip`. */
export function archiveDelivery(library: BuiltLibrary, zip: Uint8Array): Deliverable {
  const { layout } = library;
  return { build: library.build, layout, files: [{ path: layout.archiveFileName, content: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength) }], currentEntries: [layout.archiveFileName] };
}

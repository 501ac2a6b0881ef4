import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '@openexp/blob-store';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest, ProcessExtensionPackageJob } from '@openexp/queue-contracts';
import { collectModuleSources, type PackageFileReader } from '../build/module-sources';
import { checkManifestPaths, checkTransforms, FEATURE_KINDS } from './manifest-checks';
import { runReactorValidator } from './reactor-validator';
import { extractZip, type ZipLimits } from './zip-extractor';

/** A package failure that still has a readable manifest (reported with the result). */
export class PackageRejected extends Error {
  constructor(
    readonly manifest: ExtensionManifest,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'PackageRejected';
  }
}

class FolderReader implements PackageFileReader {
  async read(dir: string, libPath: string): Promise<string | undefined> {
    const path = join(dir, ...libPath.split('/'));
    try {
      return (await stat(path)).isFile() ? await readFile(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * Processes one uploaded extension package (reactor-api.md §5.3): safe extraction, our checks
 * (paths, transforms, referenced files and their relative requires), `@adobe/reactor-validator`,
 * then the files are stored under the job's `filesPrefix`.
 */
export class ExtensionPackageProcessor {
  constructor(
    private readonly blobs: BlobStore,
    private readonly limits: ZipLimits,
  ) {}

  async process(job: ProcessExtensionPackageJob): Promise<ExtensionManifest> {
    const zip = await this.readUpload(job.uploadKey);
    const dir = await mkdtemp(join(tmpdir(), 'openexp-package-'));
    try {
      const files = await extractZip(zip, dir, this.limits);
      const manifest = await readManifest(dir);
      try {
        await checkPackage(manifest, dir, job);
      } catch (error) {
        throw new PackageRejected(manifest, error);
      }
      await this.blobs.deletePrefix(job.filesPrefix);
      for (const file of files) {
        await this.blobs.put(`${job.filesPrefix}/${file}`, await readFile(join(dir, ...file.split('/'))));
      }
      return manifest;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async readUpload(key: string): Promise<Buffer> {
    if ((await this.blobs.stat(key)) === undefined) {
      throw new ReactorError('extension-package-zip-error', 'The uploaded package is no longer stored; upload it again.');
    }
    return this.blobs.get(key);
  }
}

async function readManifest(dir: string): Promise<ExtensionManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, 'extension.json'), 'utf8');
  } catch {
    throw new ReactorError('extension-package-zip-error', 'The package has no extension.json at its root.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ReactorError('extension-package-zip-error', 'extension.json is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReactorError('extension-package-zip-error', 'extension.json must hold a JSON object.');
  }
  return parsed as ExtensionManifest;
}

async function checkPackage(manifest: ExtensionManifest, dir: string, job: ProcessExtensionPackageJob): Promise<void> {
  if (job.expected && (manifest.name !== job.expected.name || manifest.platform !== job.expected.platform)) {
    throw new ReactorError(
      'invalid-extension-package',
      `A new upload of "${job.expected.name}" (${job.expected.platform}) must keep its name and platform; this one is "${String(manifest.name)}" (${String(manifest.platform)}).`,
    );
  }
  const paths = checkManifestPaths(manifest);
  checkTransforms(manifest, job.trusted);
  const reader = new FolderReader();
  for (const p of paths) {
    if ((await reader.read(dir, p.file)) === undefined) {
      throw new ReactorError('library-file-not-found', `${p.file} is not a file.`, { meta: { field: p.field, file: p.file } });
    }
  }
  if (manifest.platform === 'web') {
    const libPaths = [
      ...(manifest.main ? [manifest.main] : []),
      ...(manifest.sharedModules ?? []).map((m) => m.libPath),
      ...FEATURE_KINDS.flatMap((kind) => (manifest[kind] ?? []).map((f) => f.libPath)),
    ].filter((p): p is string => typeof p === 'string');
    await collectModuleSources(reader, dir, libPaths);
  }
  const problem = runReactorValidator(manifest, dir);
  if (problem !== undefined) {
    throw new ReactorError('invalid-extension-package', problem);
  }
}

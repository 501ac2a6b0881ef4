import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { BlobStore } from '@openexp/blob-store';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { newId } from '../common/ids';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { BLOB_STORE } from '../blobs/blob.provider';
import { ExtensionPackagesRepository, type NewExtensionPackage } from './extension-packages.repository';

/**
 * Seeds the `core` extension packages at start-up, straight from their folders (no worker
 * round-trip): our own web `core` (`extensions/core`, config `coreExtensionDir`) and Adobe's
 * `core` for edge properties (`@adobe/reactor-extension-core-edge`, config `coreEdgeExtensionDir`).
 * A package's files go into the blob store under a content-addressed files prefix and its row is
 * upserted as succeeded, public and trusted, so new web and edge properties get their `core`.
 * Only what a package needs at build time and in the UI is seeded (`SEEDED_ROOTS`, `SEEDED_FILES`):
 * not `package.json`, READMEs or build scripts.
 */
@Injectable()
export class CoreSeeder implements OnModuleInit {
  constructor(
    private readonly packages: ExtensionPackagesRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const dir of [this.config.coreExtensionDir, this.config.coreEdgeExtensionDir]) {
      await this.seed(dir);
    }
  }

  private async seed(dir: string): Promise<void> {
    let manifestText: string;
    try {
      manifestText = await readFile(join(dir, 'extension.json'), 'utf8');
    } catch {
      this.logger.warn({ dir }, 'core extension package not found: new properties of its platform will not get core');
      return;
    }
    const manifest = JSON.parse(manifestText) as Record<string, unknown>;
    const row = seededRow(manifest, manifestText);
    const { contents, digest } = await readPackage(dir);
    const existing = await this.packages.findSeeded(row.name, row.version, row.platform);
    const id = existing?.id ?? newId('extension_packages');
    const filesPrefix = `packages/${id}/files/seed-${digest}`;
    if (existing?.files_prefix === filesPrefix) {
      return;
    }
    for (const [file, data] of contents) {
      await this.blobs.put(`${filesPrefix}/${file}`, data);
    }
    const now = new Date();
    await this.packages.upsertSeeded(id, { ...row, files_prefix: filesPrefix, updated_at: now }, now);
    this.logger.info({ id, name: row.name, version: row.version, platform: row.platform, filesPrefix, files: contents.size }, 'core extension package seeded');
  }
}

/** Folders of a package that are seeded whole: runtime modules (`src/lib`), views (`src/view`, `dist`), icons (`resources`). */
const SEEDED_ROOTS: ReadonlySet<string> = new Set(['src', 'dist', 'resources']);
/** Single files seeded at the package root: the manifest and the licence texts that travel with the code. */
const SEEDED_FILES: ReadonlySet<string> = new Set(['extension.json', 'LICENSE', 'COPYRIGHT']);

/** True for a file the seeder copies (path relative to the package folder, `/`-separated). */
export function isSeededFile(file: string): boolean {
  const slash = file.indexOf('/');
  return slash === -1 ? SEEDED_FILES.has(file) : SEEDED_ROOTS.has(file.slice(0, slash));
}

/** The package's files (by relative path) and a digest of their names and bytes. */
async function readPackage(dir: string): Promise<{ contents: Map<string, Buffer>; digest: string }> {
  const hash = createHash('sha256');
  const contents = new Map<string, Buffer>();
  for (const file of (await listFiles(dir)).filter(isSeededFile)) {
    const data = await readFile(join(dir, file));
    contents.set(file, data);
    hash.update(file).update('\0').update(data);
  }
  return { contents, digest: hash.digest('hex').slice(0, 16) };
}

type SeededRow = Omit<NewExtensionPackage, 'id' | 'created_at' | 'files_prefix' | 'updated_at'> & { name: string; version: string; platform: string };

/** The row of a seeded package: processed, public and trusted, owned by no company. */
function seededRow(manifest: Record<string, unknown>, manifestText: string): SeededRow {
  const name = String(manifest['name']);
  return {
    owner_company_id: null,
    owner_org_id: null,
    name,
    display_name: typeof manifest['displayName'] === 'string' ? manifest['displayName'] : name,
    description: typeof manifest['description'] === 'string' ? manifest['description'] : null,
    version: String(manifest['version']),
    platform: typeof manifest['platform'] === 'string' ? manifest['platform'] : 'web',
    availability: 'public',
    status: 'succeeded',
    status_details: null,
    manifest: manifestText,
    upload_key: null,
    trusted: true,
    discontinued: false,
  };
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile()) {
        out.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  await walk(root);
  return out.sort();
}

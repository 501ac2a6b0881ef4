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
 * Seeds our own `core` extension package at start-up, straight from `extensions/core` (no worker
 * round-trip): its files go into the blob store under a content-addressed files prefix and the
 * package row is upserted as succeeded, public and trusted, so new web properties get `core`.
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
    const dir = this.config.coreExtensionDir;
    let manifestText: string;
    try {
      manifestText = await readFile(join(dir, 'extension.json'), 'utf8');
    } catch {
      this.logger.warn({ dir }, 'core extension package not found: new properties will not get core');
      return;
    }
    const manifest = JSON.parse(manifestText) as Record<string, unknown>;
    const name = String(manifest['name']);
    const version = String(manifest['version']);
    const { contents, digest } = await readPackage(dir);
    const existing = await this.packages.findSeeded(name, version);
    const id = existing?.id ?? newId('extension_packages');
    const filesPrefix = `packages/${id}/files/seed-${digest}`;
    if (existing?.files_prefix === filesPrefix) {
      return;
    }
    for (const [file, data] of contents) {
      await this.blobs.put(`${filesPrefix}/${file}`, data);
    }
    const now = new Date();
    await this.packages.upsertSeeded(id, seededRow(manifest, manifestText, filesPrefix, now), now);
    this.logger.info({ id, name, version, filesPrefix, files: contents.size }, 'core extension package seeded');
  }
}

/** The package's files (by relative path) and a digest of their names and bytes. */
async function readPackage(dir: string): Promise<{ contents: Map<string, Buffer>; digest: string }> {
  const hash = createHash('sha256');
  const contents = new Map<string, Buffer>();
  for (const file of await listFiles(dir)) {
    const data = await readFile(join(dir, file));
    contents.set(file, data);
    hash.update(file).update('\0').update(data);
  }
  return { contents, digest: hash.digest('hex').slice(0, 16) };
}

/** The row of a seeded package: processed, public and trusted, owned by no company. */
function seededRow(manifest: Record<string, unknown>, manifestText: string, filesPrefix: string, now: Date): Omit<NewExtensionPackage, 'id' | 'created_at'> {
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
    files_prefix: filesPrefix,
    trusted: true,
    discontinued: false,
    updated_at: now,
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

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { BlobStore } from '@openexp/blob-store';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { newId } from '../common/ids';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { DB, type Db } from '../database/database';
import { BLOB_STORE } from '../hosted/blob.provider';

/**
 * Seeds our own `core` extension package at start-up, straight from `extensions/core` (no worker
 * round-trip): its files go into the blob store under a content-addressed files prefix and the
 * package row is upserted as succeeded, public and trusted, so new web properties get `core`.
 */
@Injectable()
export class CoreSeeder implements OnModuleInit {
  constructor(
    @Inject(DB) private readonly db: Db,
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
    const files = await listFiles(dir);
    const hash = createHash('sha256');
    const contents = new Map<string, Buffer>();
    for (const file of files) {
      const data = await readFile(join(dir, file));
      contents.set(file, data);
      hash.update(file).update('\0').update(data);
    }
    const digest = hash.digest('hex').slice(0, 16);
    const existing = await this.db
      .selectFrom('extension_packages')
      .select(['id', 'files_prefix'])
      .where('name', '=', name)
      .where('version', '=', version)
      .where('trusted', '=', true)
      .executeTakeFirst();
    const id = existing?.id ?? newId('extension_packages');
    const filesPrefix = `packages/${id}/files/seed-${digest}`;
    if (existing?.files_prefix === filesPrefix) {
      return;
    }
    for (const [file, data] of contents) {
      await this.blobs.put(`${filesPrefix}/${file}`, data);
    }
    const now = new Date();
    const values = {
      owner_company_id: null,
      owner_org_id: null,
      name,
      display_name: typeof manifest['displayName'] === 'string' ? manifest['displayName'] : name,
      description: typeof manifest['description'] === 'string' ? manifest['description'] : null,
      version,
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
    await this.db
      .insertInto('extension_packages')
      .values({ id, ...values, created_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
    this.logger.info({ id, name, version, filesPrefix, files: files.length }, 'core extension package seeded');
  }
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

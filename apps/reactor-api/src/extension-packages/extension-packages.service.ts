import { Inject, Injectable } from '@nestjs/common';
import type { BlobStore } from '@openexp/blob-store';
import { ReactorError } from '@openexp/errors';
import { JobName } from '@openexp/queue-contracts';
import { randomUUID } from 'node:crypto';
import type { AuthContext } from '../auth/rights';
import { newId } from '../common/ids';
import { notFound } from '../common/scope.repository';
import type { ExtensionPackageRow } from '../database/schema';
import { BLOB_STORE } from '../blobs/blob.provider';
import { parseListQuery, type ListColumns, type Page } from '../jsonapi/list-query';
import { WorkQueue } from '../queues/work-queue';
import { ExtensionPackagesRepository } from './extension-packages.repository';
import { peekManifest } from './zip-peek';

export const EXTENSION_PACKAGE_COLUMNS: ListColumns = {
  created_at: 'timestamp',
  updated_at: 'timestamp',
  name: 'text',
  display_name: 'text',
  status: 'text',
  platform: 'text',
  version: 'text',
  availability: 'text',
};

/** Extension packages (§2.7, §5.3): uploads stored as blobs and processed by the worker. */
@Injectable()
export class ExtensionPackagesService {
  constructor(
    private readonly repository: ExtensionPackagesRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly queue: WorkQueue,
  ) {}

  /** What a company sees: public packages, seeded ones, its own, and private ones its org is approved for. */
  list(auth: AuthContext, query: unknown): Promise<Page<ExtensionPackageRow>> {
    return this.repository.listVisible(auth, parseListQuery(query, EXTENSION_PACKAGE_COLUMNS), EXTENSION_PACKAGE_COLUMNS);
  }

  /** `GET /extension_packages/{id}/versions`: every visible package of the same name and platform (404 when the package is not visible). */
  async versions(auth: AuthContext, id: string, query: unknown): Promise<Page<ExtensionPackageRow>> {
    const listQuery = parseListQuery(query, EXTENSION_PACKAGE_COLUMNS);
    const row = await this.get(auth, id);
    return this.repository.listVisibleVersions(auth, row, listQuery, EXTENSION_PACKAGE_COLUMNS);
  }

  async get(auth: AuthContext, id: string): Promise<ExtensionPackageRow> {
    const row = await this.repository.findById(id);
    if (row === undefined || !(await this.visible(auth, row))) {
      throw notFound('extension_packages', id);
    }
    return row;
  }

  /** Public, the caller company's own, or private with an approved usage authorization for the caller's org. */
  private async visible(auth: AuthContext, row: ExtensionPackageRow): Promise<boolean> {
    if (row.availability === 'public' || row.owner_company_id === auth.companyId) {
      return true;
    }
    return row.availability === 'private' && row.name !== null && (await this.repository.isAuthorized(row.name, auth.orgId));
  }

  async upload(auth: AuthContext, zip: Buffer): Promise<ExtensionPackageRow> {
    auth.require('manage_extensions', 'upload extension packages');
    const manifest = await peekManifest(zip);
    await this.checkName(auth, manifest.name, manifest.version, null);
    const id = newId('extension_packages');
    const now = new Date();
    const row = await this.repository.insert({
        id,
        owner_company_id: auth.companyId,
        owner_org_id: auth.orgId,
        name: manifest.name,
        display_name: manifest.displayName,
        description: null,
        version: manifest.version,
        platform: manifest.platform,
        availability: 'development',
        status: 'pending',
        status_details: null,
        manifest: null,
        upload_key: null,
        files_prefix: null,
        trusted: false,
        discontinued: false,
        created_at: now,
        updated_at: now,
    });
    return this.store(auth, row, zip, undefined);
  }

  /** Re-upload (POST or PATCH multipart) while the package is in development; name and platform must match. */
  async reupload(auth: AuthContext, id: string, zip: Buffer): Promise<ExtensionPackageRow> {
    const row = await this.get(auth, id);
    auth.require('manage_extensions', 'upload extension packages');
    if (row.owner_company_id !== auth.companyId || row.availability !== 'development') {
      throw new ReactorError('read-only', `Extension package ${id} is ${row.availability}; upload a new version instead.`);
    }
    const manifest = await peekManifest(zip);
    if (manifest.name !== row.name || manifest.platform !== row.platform) {
      throw new ReactorError('invalid-extension_package_id', `The upload is ${manifest.name} (${manifest.platform}); package ${id} is ${row.name ?? '?'} (${row.platform ?? '?'}).`, {
        pointer: '/package',
      });
    }
    await this.checkName(auth, manifest.name, manifest.version, id);
    const updated = await this.repository.update(id, { version: manifest.version, display_name: manifest.displayName, status: 'pending', status_details: null });
    return this.store(auth, updated, zip, { name: row.name ?? manifest.name, platform: row.platform ?? manifest.platform });
  }

  async act(auth: AuthContext, id: string, action: string): Promise<ExtensionPackageRow> {
    const row = await this.get(auth, id);
    auth.require('manage_extensions', 'release extension packages');
    if (row.owner_company_id !== auth.companyId) {
      throw new ReactorError('read-only', `Extension package ${id} belongs to another company.`);
    }
    if (action === 'release_public') {
      throw new ReactorError('public-release-not-authorized', 'Public release is coordinated by the server operator.', { pointer: '/data/meta/action' });
    }
    if (action === 'release_private') {
      if (row.status !== 'succeeded' || row.availability !== 'development') {
        throw new ReactorError('invalid-action', `Only a succeeded development package can be released (this one is ${row.status}, ${row.availability}).`, {
          pointer: '/data/meta/action',
        });
      }
      return this.set(id, { availability: 'private' });
    }
    if (action === 'discontinue') {
      return this.set(id, { discontinued: true });
    }
    throw new ReactorError('invalid-action', `Unknown action "${action}"; use release_private or discontinue.`, { pointer: '/data/meta/action' });
  }

  private set(id: string, values: { availability?: string; discontinued?: boolean }): Promise<ExtensionPackageRow> {
    return this.repository.update(id, values);
  }

  /** Stores the zip under a fresh upload id, records it as current, and enqueues its processing. */
  private async store(auth: AuthContext, row: ExtensionPackageRow, zip: Buffer, expected: { name: string; platform: string } | undefined): Promise<ExtensionPackageRow> {
    const uploadId = randomUUID().replace(/-/g, '');
    const uploadKey = `packages/${row.id}/uploads/${uploadId}.zip`;
    const filesPrefix = `packages/${row.id}/files/${uploadId}`;
    await this.blobs.put(uploadKey, zip);
    const current = await this.repository.update(row.id, { upload_key: uploadKey, files_prefix: filesPrefix });
    await this.queue.enqueueOrMarkFailed(
      {
        name: JobName.ProcessExtensionPackage,
        data: { extensionPackageId: row.id, uploadKey, filesPrefix, ownerOrgId: auth.orgId, trusted: false, ...(expected !== undefined ? { expected } : {}) },
      },
      (details) => this.repository.markUploadFailed(row.id, uploadKey, details),
    );
    return current;
  }

  /** A name belongs to the org that first used it; a name+version exists once. */
  private async checkName(auth: AuthContext, name: string, version: string, selfId: string | null): Promise<void> {
    const others = await this.repository.namesakes(name);
    const foreign = others.find((p) => p.id !== selfId && p.owner_company_id !== auth.companyId);
    if (foreign !== undefined) {
      throw new ReactorError('invalid-name', `The extension package name "${name}" belongs to another organization.`, { pointer: '/package' });
    }
    const same = others.find((p) => p.id !== selfId && p.version === version && p.status !== 'failed');
    if (same !== undefined) {
      throw new ReactorError('not-unique', `${name} ${version} already exists (${same.id}); bump the version or re-upload onto it.`, { pointer: '/package' });
    }
  }
}

import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { AuthContext } from '../auth/rights';
import { newId } from '../common/ids';
import { notFound } from '../common/scope.repository';
import type { ExtensionPackageRow, ExtensionPackageUsageAuthorizationRow } from '../database/schema';
import { parseListQuery, type ListColumns, type Page } from '../jsonapi/list-query';
import { ExtensionPackagesRepository } from './extension-packages.repository';
import { ExtensionPackagesService } from './extension-packages.service';
import { UsageAuthorizationsRepository } from './usage-authorizations.repository';

type Authorization = ExtensionPackageUsageAuthorizationRow;

export const USAGE_AUTHORIZATION_COLUMNS: ListColumns = {
  created_at: 'timestamp',
  updated_at: 'timestamp',
  authorized_org_id: 'text',
  state: 'text',
  platform: 'text',
};

export const DECISIONS = ['approved', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * Usage authorizations (§2.7): the owner company of a package lets another org use its private
 * versions. The owner creates, lists and deletes them; the authorized org lists its own and
 * approves or rejects a pending one. Only an approved one makes the package visible and installable.
 */
@Injectable()
export class UsageAuthorizationsService {
  constructor(
    private readonly repository: UsageAuthorizationsRepository,
    private readonly packages: ExtensionPackagesService,
    private readonly packageRows: ExtensionPackagesRepository,
  ) {}

  async create(auth: AuthContext, packageId: string, authorizedOrgId: string): Promise<Authorization> {
    const pkg = await this.ownPackage(auth, packageId, 'authorize other orgs to use extension packages');
    if (authorizedOrgId === auth.orgId) {
      throw new ReactorError('validation-error', 'An org cannot authorize itself; its packages are its own.', { pointer: '/data/attributes/authorized_org_id' });
    }
    const now = new Date();
    const row = await this.repository.insert({
      id: newId('extension_package_usage_authorizations'),
      package_name: pkg.name ?? '',
      platform: pkg.platform,
      owner_company_id: auth.companyId,
      owner_org_id: auth.orgId,
      authorized_org_id: authorizedOrgId,
      state: 'pending_approval',
      created_by_display_name: auth.tokenName,
      updated_by_display_name: auth.tokenName,
      created_at: now,
      updated_at: now,
    });
    if (row === undefined) {
      throw new ReactorError('not-unique', `${authorizedOrgId} already has a usage authorization for ${pkg.name ?? packageId}.`, { pointer: '/data/attributes/authorized_org_id' });
    }
    return row;
  }

  /** The owner sees every authorization of the package name; an authorized org only its own; anyone else 404. */
  async list(auth: AuthContext, packageId: string, query: unknown): Promise<Page<Authorization>> {
    const listQuery = parseListQuery(query, USAGE_AUTHORIZATION_COLUMNS);
    const pkg = await this.packageRows.findById(packageId);
    const name = pkg?.name ?? null;
    if (pkg === undefined || name === null) {
      throw notFound('extension_packages', packageId);
    }
    const owner = pkg.owner_company_id === auth.companyId;
    if (!owner && (await this.repository.findByNameAndOrg(name, auth.orgId)) === undefined) {
      throw notFound('extension_packages', packageId);
    }
    return this.repository.list(name, owner, auth.orgId, listQuery, USAGE_AUTHORIZATION_COLUMNS);
  }

  /** Readable by the owner company and the authorized org. */
  async get(auth: AuthContext, id: string): Promise<Authorization> {
    const row = await this.repository.findById(id);
    if (row === undefined || (row.owner_company_id !== auth.companyId && row.authorized_org_id !== auth.orgId)) {
      throw notFound('extension_package_usage_authorizations', id);
    }
    return row;
  }

  /** The authorized org approves or rejects a pending authorization. */
  async decide(auth: AuthContext, id: string, state: Decision): Promise<Authorization> {
    const row = await this.get(auth, id);
    if (row.authorized_org_id !== auth.orgId) {
      throw new ReactorError('not-authorized', `Only the authorized org ${row.authorized_org_id} can approve or reject usage authorization ${id}.`);
    }
    auth.require('manage_extensions', 'approve or reject usage authorizations');
    const decided = row.state === 'pending_approval' ? await this.repository.decide(id, state, auth.tokenName) : undefined;
    if (decided === undefined) {
      throw new ReactorError('invalid-action', `Usage authorization ${id} is already ${row.state}; only a pending_approval one can be approved or rejected.`, {
        pointer: '/data/attributes/state',
      });
    }
    return decided;
  }

  /** The owner company withdraws an authorization (whatever its state). */
  async delete(auth: AuthContext, id: string): Promise<void> {
    const row = await this.get(auth, id);
    if (row.owner_company_id !== auth.companyId) {
      throw new ReactorError('not-authorized', `Only the owner of ${row.package_name} can delete usage authorization ${id}.`);
    }
    auth.require('manage_extensions', 'delete usage authorizations');
    await this.repository.delete(id);
  }

  /** A package the caller can see and its company owns (another company's visible package: 403). */
  private async ownPackage(auth: AuthContext, packageId: string, what: string): Promise<ExtensionPackageRow> {
    const pkg = await this.packages.get(auth, packageId);
    if (pkg.owner_company_id !== auth.companyId || pkg.name === null) {
      throw new ReactorError('not-authorized', `Extension package ${packageId} belongs to another company; only its owner can ${what}.`);
    }
    auth.require('manage_extensions', what);
    return pkg;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Insertable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { ExtensionPackageUsageAuthorizationRow, ExtensionPackageUsageAuthorizationsTable } from '../database/schema';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';

export type NewUsageAuthorization = Insertable<ExtensionPackageUsageAuthorizationsTable>;

/** Rows of `extension_package_usage_authorizations`: which orgs may use a company's private package. */
@Injectable()
export class UsageAuthorizationsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** A package name's authorizations: all of them for the owner, else only the caller org's own. */
  list(name: string, ownerView: boolean, orgId: string, query: ListQuery, columns: ListColumns): Promise<Page<ExtensionPackageUsageAuthorizationRow>> {
    let base = this.db
      .selectFrom('extension_package_usage_authorizations')
      .selectAll('extension_package_usage_authorizations')
      .where('package_name', '=', name);
    if (!ownerView) {
      base = base.where('authorized_org_id', '=', orgId);
    }
    return runList(base, 'extension_package_usage_authorizations', query, columns);
  }

  findById(id: string): Promise<ExtensionPackageUsageAuthorizationRow | undefined> {
    return this.db.selectFrom('extension_package_usage_authorizations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByNameAndOrg(name: string, orgId: string): Promise<ExtensionPackageUsageAuthorizationRow | undefined> {
    return this.db
      .selectFrom('extension_package_usage_authorizations')
      .selectAll()
      .where('package_name', '=', name)
      .where('authorized_org_id', '=', orgId)
      .executeTakeFirst();
  }

  /** Inserts unless that org already has an authorization for the name (then undefined). */
  insert(row: NewUsageAuthorization): Promise<ExtensionPackageUsageAuthorizationRow | undefined> {
    return this.db
      .insertInto('extension_package_usage_authorizations')
      .values(row)
      .onConflict((oc) => oc.columns(['package_name', 'authorized_org_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** Moves a pending authorization to `state`; undefined when it was no longer pending. */
  decide(id: string, state: string, by: string): Promise<ExtensionPackageUsageAuthorizationRow | undefined> {
    return this.db
      .updateTable('extension_package_usage_authorizations')
      .set({ state, updated_by_display_name: by, updated_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'pending_approval')
      .returningAll()
      .executeTakeFirst();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('extension_package_usage_authorizations').where('id', '=', id).execute();
  }
}

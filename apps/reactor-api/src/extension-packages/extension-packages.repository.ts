import { Inject, Injectable } from '@nestjs/common';
import type { StatusDetails } from '@openexp/errors';
import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { Database, ExtensionPackageRow, ExtensionPackagesTable } from '../database/schema';
import { statusDetailsColumn } from '../database/status-details';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';

export interface Viewer {
  companyId: string;
  orgId: string;
}

/** public, or the viewer company's own, or private with an approved usage authorization for the viewer's org. */
function visibleTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, 'extension_packages'>) =>
    eb.or([
      eb('extension_packages.availability', '=', 'public'),
      eb('extension_packages.owner_company_id', '=', viewer.companyId),
      eb.and([
        eb('extension_packages.availability', '=', 'private'),
        eb.exists(
          eb
            .selectFrom('extension_package_usage_authorizations as ua')
            .select('ua.id')
            .whereRef('ua.package_name', '=', 'extension_packages.name')
            .where('ua.authorized_org_id', '=', viewer.orgId)
            .where('ua.state', '=', 'approved'),
        ),
      ]),
    ]);
}

export type NewExtensionPackage = Insertable<ExtensionPackagesTable>;
export type ExtensionPackageChanges = Omit<Updateable<ExtensionPackagesTable>, 'id' | 'updated_at'>;

/** Rows of `extension_packages`: uploads, their processing state and the seeded `core`. */
@Injectable()
export class ExtensionPackagesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Public packages (seeded ones included), the company's own, and private ones its org is approved for. */
  listVisible(viewer: Viewer, query: ListQuery, columns: ListColumns): Promise<Page<ExtensionPackageRow>> {
    const base = this.db.selectFrom('extension_packages').selectAll('extension_packages').where(visibleTo(viewer));
    return runList(base, 'extension_packages', query, columns);
  }

  /** True when the org holds an approved usage authorization for the package name. */
  async isAuthorized(name: string, orgId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('extension_package_usage_authorizations')
      .select('id')
      .where('package_name', '=', name)
      .where('authorized_org_id', '=', orgId)
      .where('state', '=', 'approved')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Every version (package) of the package's name and platform the company sees (as `listVisible`;
   * a nameless pending upload is its only version). The platform keeps web `core` and edge `core`,
   * which share the name, apart.
   */
  listVisibleVersions(viewer: Viewer, pkg: Pick<ExtensionPackageRow, 'id' | 'name' | 'platform'>, query: ListQuery, columns: ListColumns): Promise<Page<ExtensionPackageRow>> {
    const { name, platform } = pkg;
    const base = this.db
      .selectFrom('extension_packages')
      .selectAll('extension_packages')
      .where((eb) => (name === null ? eb('id', '=', pkg.id) : eb.and([eb('name', '=', name), platform === null ? eb('platform', 'is', null) : eb('platform', '=', platform)])))
      .where(visibleTo(viewer));
    return runList(base, 'extension_packages', query, columns);
  }

  findById(id: string, db: Db = this.db): Promise<ExtensionPackageRow | undefined> {
    return db.selectFrom('extension_packages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The package, locked until the transaction ends (one result applies at a time). */
  findForUpdate(tx: Db, id: string): Promise<ExtensionPackageRow | undefined> {
    return tx.selectFrom('extension_packages').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async findByIds(db: Db, ids: readonly string[]): Promise<ExtensionPackageRow[]> {
    return ids.length === 0 ? [] : db.selectFrom('extension_packages').selectAll().where('id', 'in', ids).execute();
  }

  /** Every package of that name (name ownership and name+version uniqueness). */
  namesakes(name: string): Promise<Pick<ExtensionPackageRow, 'id' | 'owner_company_id' | 'version' | 'status'>[]> {
    return this.db.selectFrom('extension_packages').select(['id', 'owner_company_id', 'version', 'status']).where('name', '=', name).execute();
  }

  insert(row: NewExtensionPackage): Promise<ExtensionPackageRow> {
    return this.db.insertInto('extension_packages').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: ExtensionPackageChanges, db: Db = this.db): Promise<ExtensionPackageRow> {
    return db
      .updateTable('extension_packages')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The upload could not be queued: it failed, unless a newer upload replaced it meanwhile. */
  async markUploadFailed(id: string, uploadKey: string, details: StatusDetails): Promise<void> {
    await this.db
      .updateTable('extension_packages')
      .set({ status: 'failed', status_details: statusDetailsColumn(details), updated_at: new Date() })
      .where('id', '=', id)
      .where('upload_key', '=', uploadKey)
      .execute();
  }

  /** The seeded (trusted) package of that name, version and platform (web and edge `core` share the name), if seeded before. */
  findSeeded(name: string, version: string, platform: string): Promise<Pick<ExtensionPackageRow, 'id' | 'files_prefix'> | undefined> {
    return this.db
      .selectFrom('extension_packages')
      .select(['id', 'files_prefix'])
      .where('name', '=', name)
      .where('version', '=', version)
      .where('platform', '=', platform)
      .where('trusted', '=', true)
      .executeTakeFirst();
  }

  /** Inserts the seeded package, or overwrites it (all but `created_at`) when `id` exists. */
  async upsertSeeded(id: string, values: Omit<NewExtensionPackage, 'id' | 'created_at'>, now: Date): Promise<void> {
    await this.db
      .insertInto('extension_packages')
      .values({ id, ...values, created_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  /** The newest processed, trusted `core` package of the platform (installed into new web and edge properties). */
  latestCore(db: Db, platform: string): Promise<ExtensionPackageRow | undefined> {
    return db
      .selectFrom('extension_packages')
      .selectAll()
      .where('name', '=', 'core')
      .where('platform', '=', platform)
      .where('trusted', '=', true)
      .where('status', '=', 'succeeded')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }
}

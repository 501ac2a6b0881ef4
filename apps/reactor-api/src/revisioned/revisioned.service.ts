import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest } from '@openexp/queue-contracts';
import { AuditService, type AuditAction } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { notFound, ScopeRepository } from '../common/scope.repository';
import { DB, type Db } from '../database/database';
import type { RevisionedRow } from '../database/schema';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { compareVersions } from '../extensions/semver';
import { LibraryStaleness } from '../libraries/library-staleness';
import { DelegateCheck, parseSettings } from './delegate-check';
import { presentRevisioned } from './revisioned.presenter';
import { RevisionedRepository } from './revisioned.repository';
import { REVISIONED_COLUMNS, REVISIONED_TYPES, SINGULAR, type RevisionedAttributes, type RevisionedLinks, type RevisionedType } from './revisioned.types';

/**
 * Extensions, data elements, rules and rule components (§1.9): heads edited in place (`dirty`),
 * revisions snapshotted by `meta.action: revise`, soft delete.
 */
@Injectable()
export class RevisionedService implements OnModuleInit {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly scope: ScopeRepository,
    private readonly repository: RevisionedRepository,
    private readonly delegates: DelegateCheck,
    private readonly audit: AuditService,
    private readonly staleness: LibraryStaleness,
  ) {}

  onModuleInit(): void {
    for (const type of REVISIONED_TYPES) {
      this.audit.register<RevisionedRow>(type, (row, links) => presentRevisioned(row, links));
    }
  }

  /** One query in the common case; only an empty page checks whether the property exists (404). */
  async list(auth: AuthContext, propertyId: string, type: RevisionedType, query: unknown): Promise<Page<RevisionedRow>> {
    const page = await this.repository.listHeads(auth.companyId, propertyId, type, parseListQuery(query, REVISIONED_COLUMNS));
    if (page.items.length === 0) {
      await this.scope.property(auth.companyId, propertyId);
    }
    return page;
  }

  get(auth: AuthContext, type: RevisionedType, id: string): Promise<RevisionedRow> {
    return this.scope.revisioned(type, auth.companyId, id);
  }

  async origin(auth: AuthContext, type: RevisionedType, id: string): Promise<RevisionedRow> {
    return this.get(auth, type, (await this.get(auth, type, id)).origin_id);
  }

  async revisions(auth: AuthContext, type: RevisionedType, id: string, query: unknown): Promise<Page<RevisionedRow>> {
    const row = await this.get(auth, type, id);
    return this.repository.listRevisions(row.origin_id, parseListQuery(query, REVISIONED_COLUMNS));
  }

  async components(auth: AuthContext, ruleId: string, query: unknown): Promise<Page<RevisionedRow>> {
    await this.get(auth, 'rules', ruleId);
    return this.repository.listComponents(ruleId, parseListQuery(query, REVISIONED_COLUMNS));
  }

  async create(auth: AuthContext, propertyId: string, type: RevisionedType, attrs: RevisionedAttributes, links: RevisionedLinks): Promise<RevisionedRow> {
    await this.scope.property(auth.companyId, propertyId);
    auth.require(type === 'extensions' ? 'manage_extensions' : 'develop', `create ${type}`);
    const values = await this.resolve(auth, propertyId, type, attrs, links, null);
    return this.db.transaction().execute(async (tx) => {
      const row = await this.repository.insert(tx, { ...values, type, property_id: propertyId, revision_number: 0, latest_revision_number: 0, dirty: true, published: false, review_status: 'unsubmitted' }, type);
      await this.touchRule(tx, row);
      await this.record(tx, auth, row, 'created');
      return row;
    });
  }

  /**
   * Plain PATCH edits the head in place and marks it dirty; revisions are immutable. On an extension,
   * `relationships.extension_package` pointing at a newer version of its package is an upgrade
   * (§2.8): revise the head to get a revision to put in libraries; libraries holding an older
   * revision become `stale: extension_upgraded`.
   */
  async update(auth: AuthContext, type: RevisionedType, id: string, attrs: RevisionedAttributes, links: RevisionedLinks): Promise<RevisionedRow> {
    const head = await this.get(auth, type, id);
    auth.require(type === 'extensions' ? 'manage_extensions' : 'develop', `change ${type}`);
    this.assertEditableHead(head);
    const values = await this.resolve(auth, head.property_id, type, attrs, links, head);
    return this.db.transaction().execute(async (tx) => {
      const row = await this.repository.update(tx, id, { ...values, dirty: true });
      await this.touchRule(tx, row);
      if (type === 'extensions' && row.extension_package_id !== null && row.extension_package_id !== head.extension_package_id) {
        await this.staleness.markExtensionUpgraded(tx, row.origin_id, row.extension_package_id);
      }
      await this.record(tx, auth, row, 'updated');
      return row;
    });
  }

  /** `meta.action: revise`: snapshot the head into a new resource with the next revision number. */
  async revise(auth: AuthContext, type: RevisionedType, id: string): Promise<RevisionedRow> {
    const head = await this.get(auth, type, id);
    auth.require(type === 'extensions' ? 'manage_extensions' : 'develop', `revise ${type}`);
    this.assertEditableHead(head);
    return this.db.transaction().execute(async (tx) => {
      const revision = await this.snapshot(tx, head, type, null);
      if (type === 'rules') {
        for (const component of await this.repository.components(tx, head.id)) {
          await this.snapshot(tx, component, 'rule_components', revision.id);
        }
      }
      await this.record(tx, auth, revision, 'created');
      return revision;
    });
  }

  /** Soft delete: GET still answers, with `deleted_at`. */
  async remove(auth: AuthContext, type: RevisionedType, id: string): Promise<void> {
    const row = await this.get(auth, type, id);
    auth.require(type === 'extensions' ? 'manage_extensions' : 'develop', `delete ${type}`);
    if (row.deleted_at !== null) {
      return;
    }
    await this.db.transaction().execute(async (tx) => {
      const deleted = await this.repository.update(tx, id, { deleted_at: new Date() });
      await this.touchRule(tx, deleted);
      await this.record(tx, auth, deleted, 'deleted');
    });
  }

  libraryIds(id: string): Promise<string[]> {
    return this.repository.libraryIds(id);
  }

  private async snapshot(tx: Db, head: RevisionedRow, type: RevisionedType, ruleId: string | null): Promise<RevisionedRow> {
    const next = head.latest_revision_number + 1;
    await this.repository.update(tx, head.id, { latest_revision_number: next, dirty: false });
    const { id: _id, created_at: _c, updated_at: _u, ...copy } = head;
    return this.repository.insert(
      tx,
      { ...copy, origin_id: head.origin_id, revision_number: next, latest_revision_number: next, dirty: false, ...(ruleId !== null ? { rule_id: ruleId } : {}) },
      type,
    );
  }

  private assertEditableHead(row: RevisionedRow): void {
    if (row.revision_number !== 0) {
      throw new ReactorError('read-only', `${row.id} is revision ${row.revision_number}; revisions cannot change. Edit the head ${row.origin_id}.`);
    }
    if (row.deleted_at !== null) {
      throw new ReactorError('read-only', `${row.id} was deleted.`);
    }
  }

  /** Updating a rule component bumps its rule's `updated_at` (release notes 2020-03-18). */
  private async touchRule(tx: Db, row: RevisionedRow): Promise<void> {
    if (row.type === 'rule_components' && row.rule_id !== null) {
      await tx.updateTable('revisioned').set({ updated_at: new Date(), dirty: true }).where('id', '=', row.rule_id).execute();
    }
  }

  /** Validates relationships, descriptor and settings; returns the columns to write. */
  private async resolve(auth: AuthContext, propertyId: string, type: RevisionedType, attrs: RevisionedAttributes, links: RevisionedLinks, current: RevisionedRow | null) {
    const settings = attrs.settings !== undefined ? attrs.settings : (current?.settings ?? null);
    parseSettings(settings);
    const base = {
      name: attrs.name ?? current?.name ?? '',
      enabled: attrs.enabled ?? current?.enabled ?? true,
      settings,
      delegate_descriptor_id: attrs.delegate_descriptor_id !== undefined ? attrs.delegate_descriptor_id : (current?.delegate_descriptor_id ?? null),
    };
    if (type === 'rules') {
      return { ...base, settings: null, delegate_descriptor_id: null };
    }
    if (type === 'extensions') {
      return this.resolveExtension(auth, propertyId, base, links, current);
    }
    const extensionRef = links.extensionId ?? current?.extension_id ?? null;
    if (extensionRef === null) {
      throw new ReactorError('validation-error', 'relationships.extension is required.', { pointer: '/data/relationships' });
    }
    const extension = await this.scope.revisioned('extensions', auth.companyId, extensionRef, '/data/relationships/extension/data/id');
    if (extension.property_id !== propertyId) {
      throw notFound('extensions', extensionRef, '/data/relationships/extension/data/id');
    }
    const pkg = await this.repository.package(extension.extension_package_id ?? '');
    if (pkg?.manifestParsed == null || base.delegate_descriptor_id === null) {
      throw new ReactorError('delegate-descriptor-unresolved', `Extension ${extensionRef} has no usable package.`, { pointer: '/data/attributes/delegate_descriptor_id' });
    }
    this.delegates.check(type, base.delegate_descriptor_id, settings, pkg.id, pkg.manifestParsed);
    if (type === 'data_elements') {
      if (current === null || (attrs.name !== undefined && attrs.name !== current.name)) {
        const clash = await this.repository.findHeadByName(propertyId, 'data_elements', base.name);
        if (clash !== undefined) {
          throw new ReactorError('not-unique', `A data element named "${base.name}" already exists (${clash.id}).`, { pointer: '/data/attributes/name' });
        }
      }
      return {
        ...base,
        extension_id: extension.origin_id,
        default_value: attrs.default_value !== undefined ? attrs.default_value : (current?.default_value ?? null),
        force_lower_case: attrs.force_lower_case ?? current?.force_lower_case ?? false,
        clean_text: attrs.clean_text ?? current?.clean_text ?? false,
        storage_duration: attrs.storage_duration !== undefined ? attrs.storage_duration : (current?.storage_duration ?? null),
      };
    }
    const ruleId = links.ruleIds[0] ?? current?.rule_id ?? null;
    if (ruleId === null || links.ruleIds.length > 1) {
      throw new ReactorError('validation-error', 'relationships.rules must hold exactly one rule.', { pointer: '/data/relationships' });
    }
    const rule = await this.scope.revisioned('rules', auth.companyId, ruleId, '/data/relationships/rules/data/0/id');
    if (rule.property_id !== propertyId || rule.revision_number !== 0) {
      throw new ReactorError('invalid-rule', `Rule ${ruleId} is not a rule head of this property.`, { pointer: '/data/relationships/rules/data/0/id' });
    }
    return {
      ...base,
      extension_id: extension.origin_id,
      rule_id: rule.id,
      order: attrs.order ?? current?.order ?? 0,
      rule_order: attrs.rule_order ?? current?.rule_order ?? 50,
      negate: attrs.negate ?? current?.negate ?? false,
      timeout: attrs.timeout !== undefined ? attrs.timeout : (current?.timeout ?? 2000),
      delay_next: attrs.delay_next ?? current?.delay_next ?? true,
    };
  }

  private async resolveExtension(auth: AuthContext, propertyId: string, base: { name: string; enabled: boolean; settings: string | null; delegate_descriptor_id: string | null }, links: RevisionedLinks, current: RevisionedRow | null) {
    const packageId = links.extensionPackageId ?? current?.extension_package_id ?? null;
    if (packageId === null) {
      throw new ReactorError('validation-error', 'relationships.extension_package is required.', { pointer: '/data/relationships' });
    }
    const pkg = await this.repository.package(packageId);
    const visible = pkg !== undefined && (pkg.availability !== 'development' || pkg.owner_company_id === auth.companyId) && (pkg.availability === 'public' || pkg.owner_company_id === auth.companyId || pkg.owner_company_id === null);
    if (pkg === undefined || !visible) {
      throw notFound('extension_packages', packageId, '/data/relationships/extension_package/data/id');
    }
    const manifest: ExtensionManifest | null = pkg.manifestParsed;
    if (pkg.status !== 'succeeded' || manifest === null) {
      throw new ReactorError('invalid-extension', `Extension package ${packageId} has not been processed successfully (${pkg.status}).`, {
        pointer: '/data/relationships/extension_package/data/id',
      });
    }
    if (current === null) {
      const clash = await this.repository.findHeadByName(propertyId, 'extensions', manifest.name);
      if (clash !== undefined) {
        throw new ReactorError('not-unique', `Extension ${manifest.name} is already installed (${clash.id}).`, { pointer: '/data/relationships/extension_package' });
      }
    } else if (pkg.id !== current.extension_package_id) {
      checkUpgrade(current, manifest);
    }
    if (base.delegate_descriptor_id !== null) {
      this.delegates.check('extensions', base.delegate_descriptor_id, base.settings, pkg.id, manifest);
    }
    return { ...base, name: manifest.name, display_name: manifest.displayName, version: manifest.version, extension_package_id: pkg.id };
  }

  private record(tx: Db, auth: AuthContext, row: RevisionedRow, action: AuditAction): Promise<void> {
    const type = row.type as RevisionedType;
    return this.audit.record(tx, { companyId: auth.companyId, propertyId: row.property_id, entityType: type, singular: SINGULAR[type], action, view: row });
  }
}

/** An installed extension moves only to a newer version of the same package (§2.8). */
function checkUpgrade(current: RevisionedRow, manifest: ExtensionManifest): void {
  const pointer = '/data/relationships/extension_package/data/id';
  if (manifest.name !== current.name) {
    throw new ReactorError('validation-error', `Extension ${current.id} is ${current.name}; it can only be upgraded to a version of the ${current.name} package, not ${manifest.name}.`, { pointer });
  }
  const order = compareVersions(manifest.version, current.version ?? '');
  if (order === null || order <= 0) {
    throw new ReactorError('validation-error', `An upgrade needs a newer version than the installed ${current.name} ${current.version ?? '?'}; this package is ${manifest.version}.`, { pointer });
  }
}

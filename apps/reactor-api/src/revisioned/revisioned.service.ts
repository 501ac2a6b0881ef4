import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { AuditService, type AuditAction } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { Db } from '../database/database';
import { Transactions } from '../database/transactions';
import type { RevisionedRow } from '../database/schema';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { RevisionedEvents } from './revisioned-events';
import { RevisionedValues } from './revisioned-values';
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
    private readonly transactions: Transactions,
    private readonly scope: ScopeRepository,
    private readonly repository: RevisionedRepository,
    private readonly values: RevisionedValues,
    private readonly audit: AuditService,
    private readonly events: RevisionedEvents,
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

  /** `GET /rule_components/{id}/rules`: the component's rule, with the list grammar. */
  async rulesOf(auth: AuthContext, componentId: string, query: unknown): Promise<Page<RevisionedRow>> {
    const component = await this.get(auth, 'rule_components', componentId);
    return this.repository.listRules(component.rule_id, parseListQuery(query, REVISIONED_COLUMNS));
  }

  async create(auth: AuthContext, propertyId: string, type: RevisionedType, attrs: RevisionedAttributes, links: RevisionedLinks): Promise<RevisionedRow> {
    await this.scope.property(auth.companyId, propertyId);
    auth.require(type === 'extensions' ? 'manage_extensions' : 'develop', `create ${type}`);
    const values = await this.values.resolve({ auth, propertyId, type, attrs, links, current: null });
    return this.transactions.run(async (tx) => {
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
    const values = await this.values.resolve({ auth, propertyId: head.property_id, type, attrs, links, current: head });
    return this.transactions.run(async (tx) => {
      const row = await this.repository.update(tx, id, { ...values, dirty: true });
      await this.touchRule(tx, row);
      if (type === 'extensions' && row.extension_package_id !== null && row.extension_package_id !== head.extension_package_id) {
        await this.events.extensionUpgraded(tx, row.origin_id, row.extension_package_id);
      }
      await this.record(tx, auth, row, 'updated');
      return row;
    });
  }

  /** `meta.action: revise`: snapshot the head into a new resource with the next revision number. */
  async revise(auth: AuthContext, type: RevisionedType, id: string): Promise<RevisionedRow> {
    const head = await this.get(auth, type, id);
    return this.transactions.run((tx) => this.reviseIn(tx, auth, head));
  }

  /**
   * Revises `head` inside the caller's transaction (a library linking `meta.action: "revise"` items,
   * §2.5): the right for its type, a head that is not deleted, the rule's components with a rule.
   */
  async reviseIn(tx: Db, auth: AuthContext, head: RevisionedRow): Promise<RevisionedRow> {
    const type = head.type as RevisionedType;
    auth.require(type === 'extensions' ? 'manage_extensions' : 'develop', `revise ${type}`);
    this.assertEditableHead(head);
    const revision = await this.snapshot(tx, head, type, null);
    if (type === 'rules') {
      for (const component of await this.repository.components(tx, head.id)) {
        await this.snapshot(tx, component, 'rule_components', revision.id);
      }
    }
    await this.record(tx, auth, revision, 'created');
    return revision;
  }

  /** Soft delete: GET still answers, with `deleted_at`. */
  async remove(auth: AuthContext, type: RevisionedType, id: string): Promise<void> {
    const row = await this.get(auth, type, id);
    auth.require(type === 'extensions' ? 'manage_extensions' : 'develop', `delete ${type}`);
    if (row.deleted_at !== null) {
      return;
    }
    await this.transactions.run(async (tx) => {
      const deleted = await this.repository.update(tx, id, { deleted_at: new Date() });
      await this.touchRule(tx, deleted);
      await this.record(tx, auth, deleted, 'deleted');
    });
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
      await this.repository.touchRule(tx, row.rule_id);
    }
  }

  private record(tx: Db, auth: AuthContext, row: RevisionedRow, action: AuditAction): Promise<void> {
    const type = row.type as RevisionedType;
    return this.audit.record(tx, { companyId: auth.companyId, propertyId: row.property_id, entityType: type, singular: SINGULAR[type], action, view: row });
  }
}

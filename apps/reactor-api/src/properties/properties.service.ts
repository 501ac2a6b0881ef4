import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { newId, newToken } from '../common/ids';
import { ScopeRepository } from '../common/scope.repository';
import { Transactions } from '../database/transactions';
import type { PropertyRow } from '../database/schema';
import { CoreInstaller, hasCore } from '../extensions/core-installer';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { PROPERTY_COLUMNS, type PropertyCreate, type PropertyUpdate } from './properties.dto';
import { presentProperty } from './properties.presenter';
import { PropertiesRepository } from './properties.repository';

@Injectable()
export class PropertiesService implements OnModuleInit {
  constructor(
    private readonly properties: PropertiesRepository,
    private readonly transactions: Transactions,
    private readonly scope: ScopeRepository,
    private readonly audit: AuditService,
    private readonly core: CoreInstaller,
  ) {}

  onModuleInit(): void {
    this.audit.register<PropertyRow>('properties', (row, links) => presentProperty(row, links));
  }

  async list(auth: AuthContext, companyId: string, query: unknown): Promise<Page<PropertyRow>> {
    await this.scope.company(auth.companyId, companyId);
    return this.properties.listInCompany(companyId, parseListQuery(query, PROPERTY_COLUMNS));
  }

  get(auth: AuthContext, id: string): Promise<PropertyRow> {
    return this.scope.property(auth.companyId, id);
  }

  /** A new web or edge property comes with the seeded `core` of its platform installed (§2.2); a mobile one with none. */
  async create(auth: AuthContext, companyId: string, input: PropertyCreate): Promise<PropertyRow> {
    await this.scope.company(auth.companyId, companyId);
    auth.require('develop', 'create properties');
    const now = new Date();
    return this.transactions.run(async (tx) => {
      const row = await this.properties.insert(tx, {
        id: newId('properties'),
        company_id: companyId,
        name: input.name,
        platform: input.platform,
        domains: JSON.stringify(input.domains ?? []),
        development: input.development ?? false,
        privacy: input.privacy ?? 'optin',
        rule_component_sequencing_enabled: input.rule_component_sequencing_enabled ?? false,
        ssl_enabled: input.ssl_enabled ?? true,
        undefined_vars_return_empty: input.undefined_vars_return_empty ?? false,
        enabled: input.enabled ?? true,
        token: newToken(),
        created_at: now,
        updated_at: now,
      });
      await this.audit.record(tx, { companyId, propertyId: row.id, entityType: 'properties', singular: 'property', action: 'created', view: row });
      if (hasCore(row.platform)) {
        await this.core.install(tx, auth.companyId, row.id, row.platform);
      }
      return row;
    });
  }

  async update(auth: AuthContext, id: string, input: PropertyUpdate): Promise<PropertyRow> {
    await this.scope.property(auth.companyId, id);
    auth.require('develop', 'change properties');
    return this.transactions.run(async (tx) => {
      const { domains, ...rest } = input;
      const row = await this.properties.update(tx, id, { ...rest, ...(domains !== undefined ? { domains: JSON.stringify(domains) } : {}), updated_at: new Date() });
      await this.audit.record(tx, { companyId: auth.companyId, propertyId: id, entityType: 'properties', singular: 'property', action: 'updated', view: row });
      return row;
    });
  }

  /** Hard delete: everything inside goes with it; a later GET is 404. */
  async remove(auth: AuthContext, id: string): Promise<void> {
    const row = await this.scope.property(auth.companyId, id);
    auth.require('develop', 'delete properties');
    await this.transactions.run(async (tx) => {
      await this.properties.deleteWithContents(tx, id);
      await this.audit.record(tx, { companyId: auth.companyId, propertyId: null, entityType: 'properties', singular: 'property', action: 'deleted', view: row });
    });
  }
}

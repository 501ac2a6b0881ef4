import { Injectable } from '@nestjs/common';
import { notFound, ScopeRepository } from '../common/scope.repository';
import type { AuthContext } from '../auth/rights';
import type { AuditEventRow } from '../database/schema';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { AUDIT_COLUMNS, AuditRepository } from './audit.repository';

/** Reading the audit trail: a caller sees its own company's events only. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly events: AuditRepository,
    private readonly scope: ScopeRepository,
  ) {}

  /** `/properties/{id}/audit_events`: one property's events (404 for another company's property). */
  async listForProperty(auth: AuthContext, propertyId: string, query: unknown): Promise<Page<AuditEventRow>> {
    await this.scope.property(auth.companyId, propertyId);
    return this.list(auth, query, propertyId);
  }

  /** The company's events, or one property's. */
  list(auth: AuthContext, query: unknown, propertyId?: string): Promise<Page<AuditEventRow>> {
    return this.events.list(auth.companyId, propertyId, parseListQuery(query, AUDIT_COLUMNS));
  }

  async get(auth: AuthContext, id: string): Promise<AuditEventRow> {
    const row = await this.events.findInCompany(auth.companyId, id);
    if (row === undefined) {
      throw notFound('audit_events', id);
    }
    return row;
  }
}

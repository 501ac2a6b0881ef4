import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { CompanyRow } from '../database/schema';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { COMPANY_COLUMNS, CompaniesRepository } from './companies.repository';

@Injectable()
export class CompaniesService {
  constructor(
    private readonly companies: CompaniesRepository,
    private readonly scope: ScopeRepository,
  ) {}

  /** A token belongs to one company: the list holds that company (filters still apply). */
  list(auth: AuthContext, query: unknown): Promise<Page<CompanyRow>> {
    return this.companies.listOne(auth.companyId, parseListQuery(query, COMPANY_COLUMNS));
  }

  get(auth: AuthContext, id: string): Promise<CompanyRow> {
    return this.scope.company(auth.companyId, id);
  }
}

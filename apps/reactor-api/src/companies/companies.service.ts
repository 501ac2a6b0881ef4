import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import { DB, type Db } from '../database/database';
import type { CompanyRow } from '../database/schema';
import { parseListQuery, type ListColumns, type Page } from '../jsonapi/list-query';
import { runList } from '../database/list-sql';

export const COMPANY_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', name: 'text', org_id: 'text', token: 'text' };

@Injectable()
export class CompaniesService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly scope: ScopeRepository,
  ) {}

  /** A token belongs to one company: the list holds that company (filters still apply). */
  list(auth: AuthContext, query: unknown): Promise<Page<CompanyRow>> {
    const base = this.db.selectFrom('companies').selectAll('companies').where('companies.id', '=', auth.companyId);
    return runList(base, 'companies', parseListQuery(query, COMPANY_COLUMNS), COMPANY_COLUMNS);
  }

  get(auth: AuthContext, id: string): Promise<CompanyRow> {
    return this.scope.company(auth.companyId, id);
  }
}

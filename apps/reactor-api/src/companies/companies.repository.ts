import { Inject, Injectable } from '@nestjs/common';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { CompanyRow } from '../database/schema';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';

/** The attributes a companies list filters and sorts on. */
export const COMPANY_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', name: 'text', org_id: 'text', token: 'text' };

/** The `companies` table, as the API reads it (companies are created and toggled by AuthRepository). */
@Injectable()
export class CompaniesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The list of one company (a token sees only its own), filtered and paged by `query`. */
  listOne(companyId: string, query: ListQuery): Promise<Page<CompanyRow>> {
    const base = this.db.selectFrom('companies').selectAll('companies').where('companies.id', '=', companyId);
    return runList(base, 'companies', query, COMPANY_COLUMNS);
  }
}

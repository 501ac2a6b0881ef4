import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { DB, type Db } from '../database/database';
import type { Database, EnvironmentRow } from '../database/schema';
import type { EnvironmentView } from './environment-view';

/** Adds the joined facts an environment's presentation needs. */
@Injectable()
export class EnvironmentsRepository {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
  ) {}

  async views(rows: EnvironmentRow[], db: Kysely<Database> = this.db): Promise<EnvironmentView[]> {
    if (rows.length === 0) {
      return [];
    }
    const facts = await db
      .selectFrom('environments')
      .innerJoin('properties', 'properties.id', 'environments.property_id')
      .innerJoin('companies', 'companies.id', 'properties.company_id')
      .innerJoin('hosts', 'hosts.id', 'environments.host_id')
      .leftJoin('libraries', 'libraries.environment_id', 'environments.id')
      .select([
        'environments.id',
        'companies.token as company_token',
        'properties.token as property_token',
        'hosts.type_of',
        'libraries.id as library_id',
      ])
      .where(
        'environments.id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const byId = new Map(facts.map((f) => [f.id, f]));
    const hosted = `${this.config.publicBaseUrl}/hosted`;
    return rows.flatMap((row) => {
      const f = byId.get(row.id);
      if (f === undefined) {
        return [];
      }
      const managed = f.type_of === 'akamai';
      // A managed host ignores `path`, except as the self-hosting path of an archive environment.
      const selfHosted = managed && row.archive && row.path !== null && row.path !== '' ? row.path : undefined;
      return [
        {
          row,
          companyToken: f.company_token,
          propertyToken: f.property_token,
          hostTypeOf: f.type_of,
          libraryId: f.library_id,
          publicPath: managed ? (selfHosted ?? hosted) : (row.path ?? ''),
          deliveryPath: managed ? hosted : (row.path ?? ''),
        },
      ];
    });
  }

  async view(row: EnvironmentRow, db: Kysely<Database> = this.db): Promise<EnvironmentView> {
    const [view] = await this.views([row], db);
    if (view === undefined) {
      throw new Error(`environment ${row.id} vanished while being read`);
    }
    return view;
  }
}

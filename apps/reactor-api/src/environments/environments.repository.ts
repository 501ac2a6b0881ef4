import { Inject, Injectable } from '@nestjs/common';
import type { Insertable, Kysely, Updateable } from 'kysely';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { DB, type Db } from '../database/database';
import { runList } from '../database/list-sql';
import type { Database, EnvironmentRow, EnvironmentsTable } from '../database/schema';
import type { ListColumns, ListQuery, Page } from '../jsonapi/list-query';
import { EnvironmentEvents } from './environment-events';
import type { EnvironmentView } from './environment-view';

/** Rows of `environments`, and the joined facts an environment's presentation needs. */
@Injectable()
export class EnvironmentsRepository {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    private readonly events: EnvironmentEvents,
  ) {}

  listInProperty(propertyId: string, query: ListQuery, columns: ListColumns): Promise<Page<EnvironmentRow>> {
    const base = this.db.selectFrom('environments').selectAll('environments').where('environments.property_id', '=', propertyId);
    return runList(base, 'environments', query, columns);
  }

  findById(id: string, db: Db = this.db): Promise<EnvironmentRow | undefined> {
    return db.selectFrom('environments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The property's environment of `stage`, locked until the transaction ends (one per stage). */
  findStageForUpdate(tx: Db, propertyId: string, stage: string): Promise<Pick<EnvironmentRow, 'id'> | undefined> {
    return tx.selectFrom('environments').select('id').where('property_id', '=', propertyId).where('stage', '=', stage).forUpdate().executeTakeFirst();
  }

  insert(tx: Db, row: Insertable<EnvironmentsTable>): Promise<EnvironmentRow> {
    return tx.insertInto('environments').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(tx: Db, id: string, changes: Updateable<EnvironmentsTable>): Promise<EnvironmentRow> {
    return tx.updateTable('environments').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  async delete(tx: Db, id: string): Promise<void> {
    await tx.deleteFrom('environments').where('id', '=', id).execute();
  }

  async views(rows: EnvironmentRow[], db: Kysely<Database> = this.db): Promise<EnvironmentView[]> {
    const byId = new Map((await this.facts(rows, db)).map((f) => [f.id, f]));
    // The libraries context answers which library is assigned (environments do not read its table).
    const libraries = rows.length === 0 ? new Map<string, string>() : await this.events.assignedLibraries(db, rows.map((r) => r.id));
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
          libraryId: libraries.get(row.id) ?? null,
          publicPath: managed ? (selfHosted ?? hosted) : (row.path ?? ''),
          deliveryPath: managed ? hosted : (row.path ?? ''),
        },
      ];
    });
  }

  /** Tokens and host type of each environment, in one query. */
  private async facts(rows: EnvironmentRow[], db: Kysely<Database>) {
    if (rows.length === 0) {
      return [];
    }
    return db
      .selectFrom('environments')
      .innerJoin('properties', 'properties.id', 'environments.property_id')
      .innerJoin('companies', 'companies.id', 'properties.company_id')
      .innerJoin('hosts', 'hosts.id', 'environments.host_id')
      .select([
        'environments.id',
        'companies.token as company_token',
        'properties.token as property_token',
        'hosts.type_of',
      ])
      .where(
        'environments.id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  }

  async view(row: EnvironmentRow, db: Kysely<Database> = this.db): Promise<EnvironmentView> {
    const [view] = await this.views([row], db);
    if (view === undefined) {
      throw new Error(`environment ${row.id} vanished while being read`);
    }
    return view;
  }
}

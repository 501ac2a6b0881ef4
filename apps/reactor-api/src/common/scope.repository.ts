import { Inject, Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import { DB, type Db } from '../database/database';
import { PreparedQuery } from '../database/prepared-query';
import type { BuildRow, CallbackRow, CompanyRow, EnvironmentRow, HostRow, LibraryRow, NoteRow, PropertyRow, RevisionedRow, SecretRow } from '../database/schema';

/** Resource types that live inside a property. */
export type PropertyScopedTable = 'hosts' | 'environments' | 'libraries' | 'builds' | 'callbacks' | 'secrets' | 'notes';

const LABEL: Record<string, string> = {
  properties: 'property',
  hosts: 'host',
  environments: 'environment',
  libraries: 'library',
  builds: 'build',
  extensions: 'extension',
  data_elements: 'data element',
  rules: 'rule',
  rule_components: 'rule component',
  callbacks: 'callback',
  secrets: 'secret',
  notes: 'note',
  companies: 'company',
};

/** "No property PR… exists" — the same answer for a missing id and another company's. */
export function notFound(type: string, id: string, pointer?: string): ReactorError {
  return new ReactorError('not-found', `No ${(Object.hasOwn(LABEL, type) ? LABEL[type] : undefined) ?? type} with id ${id} was found.`, pointer === undefined ? {} : { pointer });
}

// Every request reads one of these: built and compiled once (see PreparedQuery).
const PROPERTY_IN_COMPANY = new PreparedQuery((db, a: { id: string; companyId: string }) =>
  db.selectFrom('properties').selectAll().where('id', '=', a.id).where('company_id', '=', a.companyId),
);
const REVISIONED_IN_COMPANY = new PreparedQuery((db, a: { id: string; type: string; companyId: string }) =>
  db
    .selectFrom('revisioned')
    .innerJoin('properties', 'properties.id', 'revisioned.property_id')
    .selectAll('revisioned')
    .where('revisioned.id', '=', a.id)
    .where('revisioned.type', '=', a.type)
    .where('properties.company_id', '=', a.companyId),
);

/**
 * Loads resources only through the caller's company: another company's resource is `not-found`,
 * indistinguishable from a missing one.
 */
@Injectable()
export class ScopeRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async company(companyId: string, id: string): Promise<CompanyRow> {
    const row = id === companyId ? await this.db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (row === undefined) {
      throw notFound('companies', id);
    }
    return row;
  }

  async property(companyId: string, id: string, pointer?: string): Promise<PropertyRow> {
    const row = await PROPERTY_IN_COMPANY.executeTakeFirst(this.db, { id, companyId });
    if (row === undefined) {
      throw notFound('properties', id, pointer);
    }
    return row;
  }

  async host(companyId: string, id: string, pointer?: string): Promise<HostRow> {
    return this.inProperty('hosts', companyId, id, pointer) as Promise<HostRow>;
  }
  async environment(companyId: string, id: string, pointer?: string): Promise<EnvironmentRow> {
    return this.inProperty('environments', companyId, id, pointer) as Promise<EnvironmentRow>;
  }
  async library(companyId: string, id: string, pointer?: string): Promise<LibraryRow> {
    return this.inProperty('libraries', companyId, id, pointer) as Promise<LibraryRow>;
  }
  async build(companyId: string, id: string): Promise<BuildRow> {
    return this.inProperty('builds', companyId, id) as Promise<BuildRow>;
  }
  async callback(companyId: string, id: string): Promise<CallbackRow> {
    return this.inProperty('callbacks', companyId, id) as Promise<CallbackRow>;
  }
  async secret(companyId: string, id: string): Promise<SecretRow> {
    return this.inProperty('secrets', companyId, id) as Promise<SecretRow>;
  }
  async note(companyId: string, id: string): Promise<NoteRow> {
    return this.inProperty('notes', companyId, id) as Promise<NoteRow>;
  }

  /** A head or revision of `type` in the caller's company (soft-deleted ones included). */
  async revisioned(type: string, companyId: string, id: string, pointer?: string): Promise<RevisionedRow> {
    const row = await REVISIONED_IN_COMPANY.executeTakeFirst(this.db, { id, type, companyId });
    if (row === undefined) {
      throw notFound(type, id, pointer);
    }
    return row;
  }

  /**
   * Any resource a request document may name in its relationships, looked up in the caller's company.
   * @returns the property it belongs to (null for a company)
   * @throws ReactorError `not-found` at `pointer`: missing, another company's, or a type no relationship takes
   */
  async related(type: string, companyId: string, id: string, pointer: string): Promise<{ propertyId: string | null }> {
    switch (type) {
      case 'companies':
        if (id !== companyId) {
          throw notFound(type, id, pointer);
        }
        return { propertyId: null };
      case 'properties':
        return { propertyId: (await this.property(companyId, id, pointer)).id };
      case 'extensions':
      case 'data_elements':
      case 'rules':
      case 'rule_components':
        return { propertyId: (await this.revisioned(type, companyId, id, pointer)).property_id };
      case 'hosts':
      case 'environments':
      case 'libraries':
      case 'builds':
      case 'callbacks':
      case 'secrets':
      case 'notes':
        return { propertyId: ((await this.inProperty(type, companyId, id, pointer)) as { property_id: string }).property_id };
      default:
        throw notFound(type, id, pointer);
    }
  }

  private async inProperty(table: PropertyScopedTable, companyId: string, id: string, pointer?: string): Promise<unknown> {
    const row = await this.db
      .selectFrom(table)
      .innerJoin('properties', 'properties.id', `${table}.property_id`)
      .selectAll(table)
      .where(`${table}.id`, '=', id)
      .where('properties.company_id', '=', companyId)
      .executeTakeFirst();
    if (row === undefined) {
      throw notFound(table, id, pointer);
    }
    return row;
  }
}

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { Insertable } from 'kysely';
import type { ServerKeys } from '@openexp/server-keys';
import { AuditService, type AuditAction } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { newId, newToken } from '../common/ids';
import { ScopeRepository } from '../common/scope.repository';
import type { Db } from '../database/database';
import type { EnvironmentsTable, HostRow } from '../database/schema';
import { Transactions } from '../database/transactions';
import { SERVER_KEYS } from '../keys/server-keys.provider';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { archivePassphraseColumn } from './archive-passphrase';
import { EnvironmentEvents } from './environment-events';
import type { EnvironmentView } from './environment-view';
import { ENVIRONMENT_COLUMNS, type EnvironmentCreate, type EnvironmentUpdate } from './environments.dto';
import { presentEnvironment } from './environments.presenter';
import { EnvironmentsRepository } from './environments.repository';

@Injectable()
export class EnvironmentsService implements OnModuleInit {
  constructor(
    private readonly transactions: Transactions,
    private readonly scope: ScopeRepository,
    private readonly repository: EnvironmentsRepository,
    private readonly audit: AuditService,
    private readonly events: EnvironmentEvents,
    @Inject(SERVER_KEYS) private readonly keys: ServerKeys,
  ) {}

  onModuleInit(): void {
    this.audit.register<EnvironmentView>('environments', (view, links) => presentEnvironment(view, links));
  }

  async list(auth: AuthContext, propertyId: string, query: unknown): Promise<Page<EnvironmentView>> {
    await this.scope.property(auth.companyId, propertyId);
    const page = await this.repository.listInProperty(propertyId, parseListQuery(query, ENVIRONMENT_COLUMNS), ENVIRONMENT_COLUMNS);
    return { ...page, items: await this.repository.views(page.items) };
  }

  async get(auth: AuthContext, id: string): Promise<EnvironmentView> {
    return this.repository.view(await this.scope.environment(auth.companyId, id));
  }

  /** One staging and one production environment per property; a host is required. */
  async create(auth: AuthContext, propertyId: string, input: EnvironmentCreate, hostId: string | null, hostPointer: string): Promise<EnvironmentView> {
    await this.scope.property(auth.companyId, propertyId);
    auth.require('manage_environments', 'create environments');
    const host = await this.hostFor(auth, propertyId, hostId, hostPointer);
    const encryptedPassphrase = await archivePassphraseColumn(this.keys, input.archive_passphrase ?? null);
    return this.transactions.run(async (tx) => {
      if (input.stage !== 'development') {
        const existing = await this.repository.findStageForUpdate(tx, propertyId, input.stage);
        if (existing !== undefined) {
          throw new ReactorError('validation-error', `This property already has a ${input.stage} environment (${existing.id}); only one is allowed.`, {
            pointer: '/data/attributes/stage',
          });
        }
      }
      const row = await this.repository.insert(tx, newEnvironment(propertyId, host.id, input, encryptedPassphrase, new Date()));
      const view = await this.repository.view(row, tx);
      await this.record(tx, auth, view, 'created');
      return view;
    });
  }

  /** The named host: required, of the caller's company and of this property. */
  private async hostFor(auth: AuthContext, propertyId: string, hostId: string | null, hostPointer: string): Promise<HostRow> {
    if (hostId === null) {
      throw new ReactorError('validation-error', 'An environment needs a host: relationships.host is required.', { pointer: hostPointer });
    }
    const host = await this.scope.host(auth.companyId, hostId, `${hostPointer}/data/id`);
    if (host.property_id !== propertyId) {
      throw new ReactorError('validation-error', `Host ${hostId} belongs to another property.`, { pointer: `${hostPointer}/data/id` });
    }
    return host;
  }

  async update(auth: AuthContext, id: string, input: EnvironmentUpdate): Promise<EnvironmentView> {
    await this.scope.environment(auth.companyId, id);
    auth.require('manage_environments', 'change environments');
    const { archive_passphrase: passphrase, ...rest } = input;
    const secret = passphrase === undefined ? {} : { archive_passphrase: null, archive_passphrase_encrypted: await archivePassphraseColumn(this.keys, passphrase) };
    return this.transactions.run(async (tx) => {
      const row = await this.repository.update(tx, id, { ...rest, ...secret, updated_at: new Date() });
      const view = await this.repository.view(row, tx);
      await this.record(tx, auth, view, 'updated');
      return view;
    });
  }

  /** Hard delete; a library assigned to it loses its environment (libraries listen to EnvironmentEvents). */
  async remove(auth: AuthContext, id: string): Promise<void> {
    const view = await this.get(auth, id);
    auth.require('manage_environments', 'delete environments');
    await this.transactions.run(async (tx) => {
      await this.events.beforeRemove(tx, id);
      await this.repository.delete(tx, id);
      await this.record(tx, auth, view, 'deleted');
    });
  }

  private record(tx: Db, auth: AuthContext, view: EnvironmentView, action: AuditAction): Promise<void> {
    return this.audit.record(tx, {
      companyId: auth.companyId,
      propertyId: view.row.property_id,
      entityType: 'environments',
      singular: 'environment',
      action,
      view,
    });
  }
}

function newEnvironment(propertyId: string, hostId: string, input: EnvironmentCreate, encryptedPassphrase: string | null, now: Date): Insertable<EnvironmentsTable> {
  return {
    id: newId('environments'),
    property_id: propertyId,
    host_id: hostId,
    name: input.name,
    stage: input.stage,
    archive: input.archive ?? false,
    archive_passphrase: null,
    archive_passphrase_encrypted: encryptedPassphrase,
    // Managed hosts use a path only as an archive environment's self-hosting path.
    path: input.path ?? null,
    include_debug_library: input.include_debug_library ?? false,
    token: newToken(),
    created_at: now,
    updated_at: now,
  };
}

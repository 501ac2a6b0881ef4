import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ReactorError, ReactorErrors } from '@openexp/errors';
import { JobName } from '@openexp/queue-contracts';
import { AuditService, type AuditAction } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { newId } from '../common/ids';
import { ScopeRepository } from '../common/scope.repository';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import type { Db } from '../database/database';
import type { HostRow } from '../database/schema';
import { Transactions } from '../database/transactions';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { WorkQueue } from '../queues/work-queue';
import { HOST_COLUMNS, type HostAttributes, type HostUpdate } from './hosts.dto';
import { presentHost } from './hosts.presenter';
import { encryptedKeyProblem } from './encrypted-key-check';
import { sftpHostSnapshot } from './host-snapshot';
import { HostsRepository } from './hosts.repository';

/** The columns an SFTP host's update may change (besides status, revision and time). */
type HostChange = Partial<Pick<HostRow, 'name' | 'server' | 'path' | 'port' | 'username' | 'skip_symlinks' | 'encrypted_private_key'>>;
/** What re-runs the pretest when it changes. */
const CREDENTIALS = ['server', 'path', 'port', 'username', 'encrypted_private_key'] as const;

@Injectable()
export class HostsService implements OnModuleInit {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly transactions: Transactions,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    private readonly scope: ScopeRepository,
    private readonly audit: AuditService,
    private readonly queue: WorkQueue,
  ) {}

  onModuleInit(): void {
    this.audit.register<HostRow>('hosts', (row, links) => presentHost(row, links));
  }

  async list(auth: AuthContext, propertyId: string, query: unknown): Promise<Page<HostRow>> {
    await this.scope.property(auth.companyId, propertyId);
    return this.hosts.listInProperty(propertyId, parseListQuery(query, HOST_COLUMNS));
  }

  get(auth: AuthContext, id: string): Promise<HostRow> {
    return this.scope.host(auth.companyId, id);
  }

  /** Akamai (managed) hosts are ready at once; SFTP hosts start `pending` and are pretested. */
  async create(auth: AuthContext, propertyId: string, input: HostAttributes): Promise<HostRow> {
    await this.scope.property(auth.companyId, propertyId);
    auth.require('manage_environments', 'create hosts');
    const sftp = input.type_of === 'sftp';
    await this.checkInput(input, sftp);
    const now = new Date();
    const row = await this.transactions.run(async (tx) => {
      const created = await this.hosts.insert(tx, {
        id: newId('hosts'),
        property_id: propertyId,
        name: input.name,
        type_of: input.type_of,
        server: sftp ? (input.server ?? null) : null,
        path: sftp ? (input.path ?? null) : null,
        port: sftp ? (input.port ?? 22) : null,
        username: sftp ? (input.username ?? null) : null,
        encrypted_private_key: sftp ? (input.encrypted_private_key ?? null) : null,
        skip_symlinks: sftp ? (input.skip_symlinks ?? false) : false,
        status: sftp ? 'pending' : 'succeeded',
        status_details: null,
        revision: 1,
        created_at: now,
        updated_at: now,
      });
      await this.record(tx, auth, created, 'created');
      return created;
    });
    return sftp ? this.pretest(row) : row;
  }

  /** Only SFTP hosts change; credential or location changes (and `meta.action: test`) re-run the pretest. */
  async update(auth: AuthContext, id: string, input: HostUpdate, action: string | undefined): Promise<HostRow> {
    const host = await this.scope.host(auth.companyId, id);
    auth.require('manage_environments', 'change hosts');
    if (action !== undefined) {
      return this.retest(auth, host, action);
    }
    if (host.type_of !== 'sftp') {
      throw new ReactorError('read-only', `Host ${id} is a managed host and cannot be modified.`);
    }
    const set = await this.changes(host, input);
    if (!CREDENTIALS.some((k) => input[k] !== undefined)) {
      return this.transactions.run(async (tx) => {
        const row = await this.hosts.update(tx, id, { ...set, updated_at: new Date() });
        await this.record(tx, auth, row, 'updated');
        return row;
      });
    }
    return this.pretest(await this.bump(auth, host, set));
  }

  /** `meta.action: test`: a new revision of an SFTP host, pretested again. */
  private async retest(auth: AuthContext, host: HostRow, action: string): Promise<HostRow> {
    if (action !== 'test') {
      throw new ReactorError('invalid-action', `Hosts support meta.action "test", not "${action}".`, { pointer: '/data/meta/action' });
    }
    if (host.type_of !== 'sftp') {
      throw new ReactorError('host-type-error', `Host ${host.id} is a managed (${host.type_of}) host; only SFTP hosts can be tested.`, {
        pointer: '/data/meta/action',
      });
    }
    return this.pretest(await this.bump(auth, host, {}));
  }

  /** The SFTP host as `input` changes it, checked whole (every problem at once) before anything is stored. */
  private async changes(host: HostRow, input: HostUpdate): Promise<HostChange> {
    const merged: HostAttributes = {
      name: input.name ?? host.name,
      type_of: input.type_of ?? 'sftp',
      server: input.server !== undefined ? input.server : host.server,
      path: input.path !== undefined ? input.path : host.path,
      port: input.port !== undefined ? input.port : host.port,
      username: input.username !== undefined ? input.username : host.username,
      skip_symlinks: input.skip_symlinks ?? host.skip_symlinks,
    };
    if (merged.type_of !== 'sftp') {
      throw new ReactorError('read-only', 'An SFTP host cannot become a managed host; create a new host.', { pointer: '/data/attributes/type_of' });
    }
    await this.checkInput({ ...merged, encrypted_private_key: input.encrypted_private_key }, true);
    return {
      name: merged.name,
      server: merged.server ?? null,
      path: merged.path ?? null,
      port: merged.port ?? 22,
      username: merged.username ?? null,
      skip_symlinks: merged.skip_symlinks ?? false,
      ...(input.encrypted_private_key !== undefined ? { encrypted_private_key: input.encrypted_private_key } : {}),
    };
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    const host = await this.scope.host(auth.companyId, id);
    auth.require('manage_environments', 'delete hosts');
    await this.transactions.run(async (tx) => {
      const used = await this.hosts.environmentIdsUsing(tx, id);
      if (used.length > 0) {
        throw new ReactorError('host-in-use', `Host ${id} is used by environment(s) ${used.join(', ')}; delete or move them first.`);
      }
      await this.hosts.delete(tx, id);
      await this.record(tx, auth, host, 'deleted');
    });
  }

  /** A new revision of the host, `pending` until its pretest answers. */
  private async bump(auth: AuthContext, host: HostRow, set: HostChange): Promise<HostRow> {
    return this.transactions.run(async (tx) => {
      const row = await this.hosts.update(tx, host.id, { ...set, status: 'pending', status_details: null, revision: host.revision + 1, updated_at: new Date() });
      await this.record(tx, auth, row, 'updated');
      return row;
    });
  }

  /** Enqueues the pretest of the host's current revision; a queue failure marks the host failed. */
  private async pretest(host: HostRow): Promise<HostRow> {
    await this.queue.enqueueOrMarkFailed(
      {
        name: JobName.PretestHost,
        data: {
          hostId: host.id,
          hostRevision: host.revision,
          host: sftpHostSnapshot(host),
        },
      },
      (details) => this.hosts.markFailed(host.id, host.revision, details),
    );
    return host;
  }

  /**
   * Every problem at once, before anything is stored: SFTP fields, and a key sent in clear (refused
   * whatever the host type, so it is never written nor queued).
   */
  private async checkInput(input: HostAttributes, sftp: boolean): Promise<void> {
    const keyProblem = await encryptedKeyProblem(input.encrypted_private_key);
    ReactorErrors.throwIfAny([...(sftp ? this.sftpProblems(input) : []), ...(keyProblem === undefined ? [] : [keyProblem])]);
  }

  private sftpProblems(input: HostAttributes): ReactorError[] {
    const problems: ReactorError[] = [];
    for (const field of ['server', 'path', 'username'] as const) {
      if (input[field] == null || input[field] === '') {
        problems.push(new ReactorError('validation-error', `${field} is required for SFTP hosts.`, { pointer: `/data/attributes/${field}` }));
      }
    }
    const port = input.port ?? 22;
    if (!this.config.sftpAllowedPorts.includes(port)) {
      problems.push(
        new ReactorError('validation-error', `port ${port} is not allowed; use one of ${this.config.sftpAllowedPorts.join(', ')}.`, {
          pointer: '/data/attributes/port',
        }),
      );
    }
    return problems;
  }

  private record(tx: Db, auth: AuthContext, row: HostRow, action: AuditAction): Promise<void> {
    return this.audit.record(tx, { companyId: auth.companyId, propertyId: row.property_id, entityType: 'hosts', singular: 'host', action, view: row });
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { Insertable } from 'kysely';
import { AuditService, type AuditAction } from '../audit/audit.service';
import type { AuthContext } from '../auth/rights';
import { newId } from '../common/ids';
import { relationshipPointer } from '../common/request-relationships';
import { ScopeRepository } from '../common/scope.repository';
import type { Db } from '../database/database';
import type { EnvironmentRow, LibrariesTable, LibraryRow } from '../database/schema';
import { Transactions } from '../database/transactions';
import { EnvironmentEvents } from '../environments/environment-events';
import { parseListQuery, type ListColumns, type Page } from '../jsonapi/list-query';
import type { LinkageItem } from '../jsonapi/request-document';
import { LibrariesRepository } from './libraries.repository';
import { LIBRARY_RESOURCE_TYPES, LibraryContents, type LibraryResourceType } from './library-contents';
import { LibraryResolver } from './library-resolver';
import { LibraryStaleness } from './library-staleness';
import { assertEditable, assertTransitionReady, stageFor, transitionChanges, transitionFor } from './library-lifecycle';
import { presentLibrary, type LibraryView } from './libraries.presenter';

/** Relationships a library is created with (§2.5), each applied or refused at its pointer; `revise` items are revised first. */
export interface LibraryCreateInput {
  name: string;
  environmentId: string | null;
  resources: Readonly<Record<LibraryResourceType, readonly LinkageItem[]>>;
}

export const LIBRARY_COLUMNS: ListColumns = { created_at: 'timestamp', updated_at: 'timestamp', name: 'text', published_at: 'timestamp', stale: 'text', state: 'text' };

@Injectable()
export class LibrariesService implements OnModuleInit {
  constructor(
    private readonly transactions: Transactions,
    private readonly repository: LibrariesRepository,
    private readonly scope: ScopeRepository,
    private readonly resolver: LibraryResolver,
    private readonly audit: AuditService,
    private readonly staleness: LibraryStaleness,
    private readonly contents: LibraryContents,
    private readonly environments: EnvironmentEvents,
  ) {}

  onModuleInit(): void {
    this.audit.register<LibraryView>('libraries', (view, links) => presentLibrary(view, links));
    // A deleted environment is let go of by every library assigned to it.
    this.environments.onRemoving((tx, environmentId) => this.repository.releaseEnvironment(tx, environmentId));
    this.environments.answerAssignedLibraries((db, environmentIds) => this.repository.assignedTo(db, environmentIds));
  }

  async list(auth: AuthContext, propertyId: string, query: unknown): Promise<Page<LibraryView>> {
    await this.scope.property(auth.companyId, propertyId);
    const page = await this.repository.listInProperty(propertyId, parseListQuery(query, LIBRARY_COLUMNS), LIBRARY_COLUMNS);
    return { ...page, items: await Promise.all(page.items.map((row) => this.view(row))) };
  }

  /** The libraries holding a revision the caller was allowed to see (`GET /{rules|…}/{id}/libraries`). */
  async listHolding(resourceId: string, query: unknown): Promise<Page<LibraryView>> {
    const page = await this.repository.listHolding(resourceId, parseListQuery(query, LIBRARY_COLUMNS), LIBRARY_COLUMNS);
    return { ...page, items: await Promise.all(page.items.map((row) => this.view(row))) };
  }

  async get(auth: AuthContext, id: string): Promise<LibraryView> {
    return this.view(await this.scope.library(auth.companyId, id));
  }

  async view(row: LibraryRow, db?: Db): Promise<LibraryView> {
    const upstream = await this.resolver.upstreamOf(row, db);
    const buildStatus = await this.repository.lastBuildStatus(row.last_build_id, db);
    return { row, upstreamId: upstream?.id ?? null, buildStatus: buildStatus ?? null };
  }

  /**
   * The library and the relationships it is created with, in one transaction: an environment or a
   * resource that cannot be used refuses the whole request (nothing is created), never drops it.
   */
  async create(auth: AuthContext, propertyId: string, input: LibraryCreateInput): Promise<LibraryView> {
    await this.scope.property(auth.companyId, propertyId);
    auth.require('develop', 'create libraries');
    const environmentPointer = relationshipPointer('environment');
    const environment = input.environmentId === null ? null : await this.usableEnvironment(auth, propertyId, 'development', input.environmentId, environmentPointer);
    return this.transactions.run(async (tx) => {
      let row = await this.repository.insert(tx, newLibrary(propertyId, input.name, new Date()));
      for (const type of LIBRARY_RESOURCE_TYPES) {
        const pointerOf = (i: number) => relationshipPointer(type, i);
        const ids = await this.contents.revised(tx, auth, row, type, input.resources[type], pointerOf);
        const rows = await this.contents.resolve(tx, auth.companyId, row, type, ids, pointerOf);
        this.contents.checkOrigins(type, rows, `/data/relationships/${type}`);
        await this.contents.insert(tx, row.id, type, rows);
      }
      if (environment !== null) {
        row = await this.claim(tx, row.id, environment.id, environmentPointer);
      }
      return this.recorded(tx, auth, row, 'created');
    });
  }

  async rename(auth: AuthContext, id: string, name: string | undefined): Promise<LibraryView> {
    const library = await this.scope.library(auth.companyId, id);
    auth.require('develop', 'change libraries');
    assertEditable(library);
    return this.transactions.run(async (tx) => {
      const row = await this.repository.update(tx, id, { name: name ?? library.name, updated_at: new Date() });
      return this.recorded(tx, auth, row, 'updated');
    });
  }

  /** `meta.action`: the transition and its precondition and marks come from the lifecycle (library-lifecycle.ts). */
  async transition(auth: AuthContext, id: string, action: string): Promise<LibraryView> {
    const library = await this.scope.library(auth.companyId, id);
    const transition = transitionFor(library.state, action);
    auth.require(transition.right, `${action} libraries`);
    if (transition.needsBuild) {
      const lastBuildStatus = await this.repository.lastBuildStatus(library.last_build_id);
      assertTransitionReady(transition, id, { lastBuildStatus, buildRequired: library.build_required });
    }
    return this.transactions.run(async (tx) => {
      const before = transition.marks.upstreamChanged ? await this.staleness.upstreams(tx, library.property_id) : undefined;
      const row = await this.repository.update(tx, id, transitionChanges(transition, new Date()));
      if (before !== undefined) {
        await this.staleness.markUpstreamChanged(tx, library.property_id, before, id);
      }
      return this.recorded(tx, auth, row, 'updated');
    });
  }

  async setEnvironment(auth: AuthContext, id: string, environmentId: string | null): Promise<LibraryRow> {
    const library = await this.scope.library(auth.companyId, id);
    auth.require('develop', 'assign environments');
    if (environmentId === null) {
      return this.transactions.run((tx) => this.repository.update(tx, id, { environment_id: null, updated_at: new Date() }));
    }
    await this.usableEnvironment(auth, library.property_id, library.state, environmentId, '/data/id');
    return this.transactions.run((tx) => this.claim(tx, id, environmentId, '/data/id'));
  }

  /** An environment of the library's property (`not-found` otherwise), of the stage its state allows. */
  private async usableEnvironment(auth: AuthContext, propertyId: string, state: LibraryRow['state'], environmentId: string, pointer: string): Promise<EnvironmentRow> {
    const environment = await this.scope.environment(auth.companyId, environmentId, pointer);
    if (environment.property_id !== propertyId) {
      throw new ReactorError('not-found', `No environment with id ${environmentId} was found in this property.`, { pointer });
    }
    const stage = stageFor(state);
    if (stage !== environment.stage) {
      throw new ReactorError('validation-error', `A ${state} library can only use a ${stage ?? 'no'} environment; ${environmentId} is ${environment.stage}.`, { pointer });
    }
    return environment;
  }

  /** Assigns the environment unless another (unpublished) library uses it. */
  private async claim(tx: Db, libraryId: string, environmentId: string, pointer: string): Promise<LibraryRow> {
    const other = await this.repository.otherClaim(tx, environmentId, libraryId);
    if (other !== undefined) {
      throw new ReactorError('environment-in-use', `Environment ${environmentId} is assigned to library ${other.id}.`, { pointer });
    }
    // A published library keeps no claim on the environment it was built on.
    await this.repository.releaseEnvironment(tx, environmentId, libraryId);
    return this.repository.update(tx, libraryId, { environment_id: environmentId, updated_at: new Date() });
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    const library = await this.scope.library(auth.companyId, id);
    auth.require('develop', 'delete libraries');
    await this.transactions.run(async (tx) => {
      const view = await this.view(library, tx);
      const before = await this.staleness.upstreams(tx, library.property_id);
      await this.repository.delete(tx, id);
      await this.staleness.markUpstreamChanged(tx, library.property_id, before, id);
      await this.audit.record(tx, { companyId: auth.companyId, propertyId: library.property_id, entityType: 'libraries', singular: 'library', action: 'deleted', view });
    });
  }

  private async recorded(tx: Db, auth: AuthContext, row: LibraryRow, action: AuditAction): Promise<LibraryView> {
    const view = await this.view(row, tx);
    await this.audit.record(tx, { companyId: auth.companyId, propertyId: row.property_id, entityType: 'libraries', singular: 'library', action, view });
    return view;
  }
}

/** A new library: in development, without environment, to be built. */
function newLibrary(propertyId: string, name: string, now: Date): Insertable<LibrariesTable> {
  return {
    id: newId('libraries'),
    property_id: propertyId,
    environment_id: null,
    name,
    state: 'development',
    published_at: null,
    build_required: true,
    build_required_detail: 'No build found since the library was created',
    stale: null,
    last_build_id: null,
    state_changed_at: now,
    created_at: now,
    updated_at: now,
  };
}

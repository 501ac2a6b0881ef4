import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { newId } from '../common/ids';
import { ScopeRepository } from '../common/scope.repository';
import type { CallbackRow } from '../database/schema';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { CALLBACK_COLUMNS, type CallbackAttributes, type CallbackUpdate } from './callbacks.dto';
import { CallbacksRepository } from './callbacks.repository';

/** Callbacks (§2.11): hard-deleted (a later GET is 404); removed with their property. */
@Injectable()
export class CallbacksService {
  constructor(
    private readonly callbacks: CallbacksRepository,
    private readonly scope: ScopeRepository,
  ) {}

  async list(auth: AuthContext, propertyId: string, query: unknown): Promise<Page<CallbackRow>> {
    await this.scope.property(auth.companyId, propertyId);
    return this.callbacks.listInProperty(propertyId, parseListQuery(query, CALLBACK_COLUMNS));
  }

  /** Another company's callback is `not-found`, like a missing one. */
  async get(auth: AuthContext, id: string): Promise<CallbackRow> {
    return this.scope.callback(auth.companyId, id);
  }

  async create(auth: AuthContext, propertyId: string, input: CallbackAttributes): Promise<CallbackRow> {
    await this.scope.property(auth.companyId, propertyId);
    auth.require('develop', 'create callbacks');
    const now = new Date();
    return this.callbacks.insert({ id: newId('callbacks'), property_id: propertyId, url: input.url, subscriptions: JSON.stringify(input.subscriptions), created_at: now, updated_at: now });
  }

  async update(auth: AuthContext, id: string, input: CallbackUpdate): Promise<CallbackRow> {
    await this.get(auth, id);
    auth.require('develop', 'change callbacks');
    return this.callbacks.update(id, {
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.subscriptions !== undefined ? { subscriptions: JSON.stringify(input.subscriptions) } : {}),
      updated_at: new Date(),
    });
  }

  /** Deliveries not yet queued go with it; queued ones find it gone and are dropped. */
  async remove(auth: AuthContext, id: string): Promise<void> {
    await this.get(auth, id);
    auth.require('develop', 'delete callbacks');
    await this.callbacks.delete(id);
  }
}

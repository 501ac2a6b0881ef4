import { Injectable } from '@nestjs/common';
import { ReactorError, toStatusDetails } from '@openexp/errors';
import type { AuthContext } from '../auth/rights';
import { newId } from '../common/ids';
import { notFound, ScopeRepository } from '../common/scope.repository';
import type { SecretRow } from '../database/schema';
import { parseListQuery, type Page } from '../jsonapi/list-query';
import { EXCHANGE_TIMEOUT_MS } from './secret-exchange.job';
import { SecretExchangeQueue } from './secret-exchange.queue';
import { SecretCipher } from './secret-cipher';
import { EXCHANGED_TYPES, SECRET_COLUMNS, type SecretCredentials, type SecretType } from './secrets.dto';
import { SecretsInput, type SecretCreateInput, type SecretUpdateInput } from './secrets.input';
import { SecretsRepository } from './secrets.repository';
import { ExchangeError, TokenExchange } from './token-exchange';

/** What `meta.action: test` reports: the exchange's outcome, never the token. */
export interface TestExchange {
  status: 'succeeded' | 'failed';
  expires_in?: number | null;
  token_type?: string | null;
  errors?: unknown[];
}

/**
 * The state of a secret whose credentials were just set: OAuth2 ones wait for their exchange
 * (`pending`), the others are usable at once. Nothing of earlier credentials is kept.
 */
function freshCredentials(exchanged: boolean, now: Date) {
  return {
    status: exchanged ? 'pending' : 'succeeded',
    status_details: null,
    refresh_status_details: null,
    activated_at: exchanged ? null : now,
    expires_at: null,
    refresh_at: null,
  };
}

/**
 * Secrets (§2.11), edge properties only. token and simple-http secrets are usable at once
 * (`succeeded`); OAuth2 secrets start `pending` and are exchanged at their token URL by reactor-api's
 * own `secret-exchanges` queue (SecretExchangeWorker). Credentials are write-only and stored
 * encrypted to the server key.
 */
@Injectable()
export class SecretsService {
  constructor(
    private readonly secrets: SecretsRepository,
    private readonly scope: ScopeRepository,
    private readonly cipher: SecretCipher,
    private readonly exchanger: TokenExchange,
    private readonly exchanges: SecretExchangeQueue,
    private readonly input: SecretsInput,
  ) {}

  async list(auth: AuthContext, propertyId: string, query: unknown): Promise<Page<SecretRow>> {
    await this.scope.property(auth.companyId, propertyId);
    return this.secrets.listInProperty(propertyId, parseListQuery(query, SECRET_COLUMNS));
  }

  async listForEnvironment(auth: AuthContext, environmentId: string, query: unknown): Promise<Page<SecretRow>> {
    await this.scope.environment(auth.companyId, environmentId);
    return this.secrets.listInEnvironment(environmentId, parseListQuery(query, SECRET_COLUMNS));
  }

  async get(auth: AuthContext, id: string): Promise<SecretRow> {
    return this.scope.secret(auth.companyId, id);
  }

  async create(auth: AuthContext, propertyId: string, input: SecretCreateInput): Promise<SecretRow> {
    const property = await this.scope.property(auth.companyId, propertyId);
    auth.require('manage_environments', 'create secrets');
    if (property.platform !== 'edge') {
      throw new ReactorError('validation-error', `Secrets exist only in event forwarding (edge) properties; ${propertyId} is a ${property.platform} property.`);
    }
    await this.environmentOf(auth, propertyId, input.environmentId);
    const now = new Date();
    const exchanged = EXCHANGED_TYPES.includes(input.secret.type_of);
    const row = await this.secrets.insert({
      id: newId('secrets'),
      property_id: propertyId,
      environment_id: input.environmentId,
      name: input.name,
      type_of: input.secret.type_of,
      credentials_encrypted: await this.cipher.encrypt(input.secret),
      ...freshCredentials(exchanged, now),
      revision: 1,
      created_at: now,
      updated_at: now,
    });
    return exchanged ? this.exchanges.enqueue(row) : row;
  }

  async update(auth: AuthContext, id: string, input: SecretUpdateInput): Promise<SecretRow> {
    const current = await this.get(auth, id);
    auth.require('manage_environments', 'change secrets');
    if (input.typeOf !== undefined && input.typeOf !== current.type_of) {
      throw new ReactorError('validation-error', `type_of cannot change (this secret is ${current.type_of}); create a new secret.`, { pointer: '/data/attributes/type_of' });
    }
    if (input.environmentId !== undefined && input.environmentId !== current.environment_id) {
      // Resolved first: another company's environment is not-found, never "belongs to another".
      if (input.environmentId !== null) {
        await this.environmentOf(auth, current.property_id, input.environmentId);
      }
      if (current.environment_id !== null || input.environmentId === null) {
        throw new ReactorError('read-only', `Secret ${id} belongs to environment ${current.environment_id ?? '(deleted)'}; a secret's environment is set once.`, { pointer: '/data/relationships/environment' });
      }
    }
    const secret = input.credentials === undefined ? undefined : this.input.credentials(current.type_of as SecretType, input.credentials);
    const now = new Date();
    const exchanged = EXCHANGED_TYPES.includes(current.type_of as SecretType);
    const set = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.environmentId != null ? { environment_id: input.environmentId } : {}),
      // New credentials make a new revision (counted in SQL: two edits at once get two).
      ...(secret === undefined ? {} : { credentials_encrypted: await this.cipher.encrypt(secret), ...freshCredentials(exchanged, now) }),
      updated_at: now,
    };
    const row = await this.secrets.update(id, set, secret !== undefined);
    return secret !== undefined && exchanged ? this.exchanges.enqueue(row) : row;
  }

  /** `retry`: exchange again (OAuth2 secrets). `test`: exchange now, report, change nothing. */
  async act(auth: AuthContext, id: string, action: string): Promise<{ row: SecretRow; test?: TestExchange }> {
    const current = await this.get(auth, id);
    auth.require('manage_environments', `${action} secrets`);
    if (action !== 'retry' && action !== 'test') {
      throw new ReactorError('invalid-action', `Secrets support meta.action "retry" and "test", not "${action}".`, { pointer: '/data/meta/action' });
    }
    if (!EXCHANGED_TYPES.includes(current.type_of as SecretType)) {
      throw new ReactorError('invalid-action', `${current.type_of} secrets have nothing to exchange; only OAuth2 secrets can ${action}.`, { pointer: '/data/meta/action' });
    }
    if (action === 'test') {
      return { row: current, test: await this.test(current) };
    }
    // Allowed while pending too (a lost job would otherwise leave it pending for good): the new
    // revision supersedes the job in flight, which the worker then drops.
    const row = await this.secrets.update(id, { status: 'pending', status_details: null, refresh_status_details: null, updated_at: new Date() }, true);
    return { row: await this.exchanges.enqueue(row) };
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    await this.get(auth, id);
    auth.require('manage_environments', 'delete secrets');
    await this.secrets.delete(id);
  }

  private async test(row: SecretRow): Promise<TestExchange> {
    let secret: SecretCredentials;
    try {
      secret = await this.cipher.decrypt(row.credentials_encrypted);
      const result = await this.exchanger.exchange(secret, EXCHANGE_TIMEOUT_MS);
      return { status: 'succeeded', expires_in: result.expiresIn, token_type: result.tokenType };
    } catch (error) {
      const failure = error instanceof ExchangeError ? { code: error.code, detail: error.detail } : { code: 'internal-error' as const, detail: 'The credentials could not be read.' };
      return { status: 'failed', errors: toStatusDetails([failure], { meta: { secret_id: row.id, step: 'test' } }).errors };
    }
  }

  private async environmentOf(auth: AuthContext, propertyId: string, environmentId: string): Promise<void> {
    const pointer = '/data/relationships/environment/data/id';
    const environment = await this.scope.environment(auth.companyId, environmentId, pointer);
    if (environment.property_id !== propertyId) {
      throw notFound('environments', environmentId, pointer);
    }
  }
}

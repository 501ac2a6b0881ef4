import { ReactorError } from '@openexp/errors';
import { AuthContext, RIGHTS } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { EnvironmentRow, PropertyRow, SecretRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import { SecretCipher } from './secret-cipher';
import { SecretExchangeQueue } from './secret-exchange.queue';
import type { SecretCredentials } from './secrets.dto';
import { SecretsInput } from './secrets.input';
import { SecretsRepository } from './secrets.repository';
import { SecretsService } from './secrets.service';
import { ExchangeError, TokenExchange } from './token-exchange';

const manager = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ops', new Set(RIGHTS));
const developer = new AuthContext('CO1', 'org@AdobeOrg', 'AT2', 'dev', new Set(['develop'] as const));
const token: SecretCredentials = { type_of: 'token', credentials: { token: 't0k3n' } };
const oauth = { type_of: 'oauth2-client_credentials', credentials: { client_id: 'c', client_secret: 's', token_url: 'https://idp.test/token' } } as SecretCredentials;
const tokenSecret = { id: 'SE1', property_id: 'PR1', environment_id: 'EN1', type_of: 'token', status: 'succeeded', revision: 2, credentials_encrypted: 'pgp' } as SecretRow;
const oauthSecret = { ...tokenSecret, id: 'SE2', type_of: 'oauth2-client_credentials' } as SecretRow;

function setup(secret: SecretRow = tokenSecret, platform = 'edge') {
  const { sut, mocks } = newTestService(SecretsService);
  const secrets = mocks.get(SecretsRepository);
  const scope = mocks.get(ScopeRepository);
  const exchanges = mocks.get(SecretExchangeQueue);
  scope.property.mockResolvedValue({ id: 'PR1', platform } as PropertyRow);
  scope.environment.mockResolvedValue({ id: 'EN1', property_id: 'PR1' } as EnvironmentRow);
  scope.secret.mockResolvedValue(secret);
  mocks.get(SecretCipher).encrypt.mockResolvedValue('encrypted');
  mocks.get(SecretsInput).credentials.mockImplementation((type_of, credentials) => ({ type_of, credentials }) as SecretCredentials);
  secrets.insert.mockImplementation((row) => Promise.resolve(row as SecretRow));
  secrets.update.mockImplementation((id, set, newRevision) => Promise.resolve({ ...secret, ...set, id, revision: secret.revision + (newRevision ? 1 : 0) } as SecretRow));
  secrets.delete.mockResolvedValue(undefined);
  exchanges.enqueue.mockImplementation((row) => Promise.resolve(row));
  return { sut, secrets, scope, exchanges, mocks };
}

describe('SecretsService', () => {
  it('creates a token secret usable at once, its credentials stored encrypted, with no exchange', async () => {
    const { sut, exchanges } = setup();
    const row = await sut.create(manager, 'PR1', { name: 'api', secret: token, environmentId: 'EN1' });
    expect(row).toMatchObject({ property_id: 'PR1', environment_id: 'EN1', status: 'succeeded', credentials_encrypted: 'encrypted', revision: 1, activated_at: expect.any(Date) });
    expect(exchanges.enqueue).not.toHaveBeenCalled();
  });

  it('creates an OAuth2 secret pending and queues its exchange', async () => {
    const { sut, exchanges } = setup();
    const row = await sut.create(manager, 'PR1', { name: 'idp', secret: oauth, environmentId: 'EN1' });
    expect(row).toMatchObject({ status: 'pending', activated_at: null });
    expect(exchanges.enqueue).toHaveBeenCalledWith(row);
  });

  it('refuses secrets outside edge properties and in an environment of another property', async () => {
    const web = setup(tokenSecret, 'web');
    await expect(web.sut.create(manager, 'PR1', { name: 'x', secret: token, environmentId: 'EN1' })).rejects.toMatchObject({ code: 'validation-error' });
    const other = setup();
    other.scope.environment.mockResolvedValue({ id: 'EN9', property_id: 'PR9' } as EnvironmentRow);
    await expect(other.sut.create(manager, 'PR1', { name: 'x', secret: token, environmentId: 'EN9' })).rejects.toMatchObject({ code: 'not-found' });
    expect(web.secrets.insert).not.toHaveBeenCalled();
    expect(other.secrets.insert).not.toHaveBeenCalled();
  });

  it('needs manage_environments to create, change, act on or delete a secret', async () => {
    const { sut, secrets } = setup();
    await expect(sut.create(developer, 'PR1', { name: 'x', secret: token, environmentId: 'EN1' })).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.update(developer, 'SE1', { name: 'y' })).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.act(developer, 'SE1', 'retry')).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.remove(developer, 'SE1')).rejects.toMatchObject({ code: 'not-authorized' });
    expect(secrets.insert).not.toHaveBeenCalled();
    expect(secrets.update).not.toHaveBeenCalled();
    expect(secrets.delete).not.toHaveBeenCalled();
  });

  it('renames a secret in place: no new revision, no exchange', async () => {
    const { sut, secrets, exchanges } = setup(oauthSecret);
    await sut.update(manager, 'SE2', { name: 'renamed' });
    expect(secrets.update).toHaveBeenCalledWith('SE2', { name: 'renamed', updated_at: expect.any(Date) }, false);
    expect(exchanges.enqueue).not.toHaveBeenCalled();
  });

  it('makes new OAuth2 credentials a new revision, pending again, with its exchange queued', async () => {
    const { sut, secrets, exchanges } = setup(oauthSecret);
    const row = await sut.update(manager, 'SE2', { credentials: oauth.credentials });
    const [, set, newRevision] = secrets.update.mock.calls[0] ?? [];
    expect(newRevision).toBe(true);
    expect(set).toMatchObject({ credentials_encrypted: 'encrypted', status: 'pending', status_details: null, refresh_status_details: null, expires_at: null, refresh_at: null });
    expect(exchanges.enqueue).toHaveBeenCalledWith(row);
    expect(row.revision).toBe(3);
  });

  it.each([
    ['its type', { typeOf: 'simple-http' as const }, 'validation-error'],
    ['its environment once set', { environmentId: 'EN1b' }, 'read-only'],
    ['its environment to none', { environmentId: null }, 'read-only'],
  ])('refuses to change %s', async (_, input, code) => {
    const { sut, secrets, scope } = setup({ ...tokenSecret, environment_id: 'EN1' } as SecretRow);
    scope.environment.mockResolvedValue({ id: 'EN1b', property_id: 'PR1' } as EnvironmentRow);
    await expect(sut.update(manager, 'SE1', input)).rejects.toMatchObject({ code });
    expect(secrets.update).not.toHaveBeenCalled();
  });

  it('sets the environment of a secret whose environment was deleted', async () => {
    const { sut, secrets } = setup({ ...tokenSecret, environment_id: null } as SecretRow);
    await sut.update(manager, 'SE1', { environmentId: 'EN1' });
    expect(secrets.update).toHaveBeenCalledWith('SE1', expect.objectContaining({ environment_id: 'EN1' }), false);
  });

  it('retries an OAuth2 secret as a new pending revision', async () => {
    const { sut, secrets, exchanges } = setup(oauthSecret);
    const { row } = await sut.act(manager, 'SE2', 'retry');
    expect(secrets.update).toHaveBeenCalledWith('SE2', { status: 'pending', status_details: null, refresh_status_details: null, updated_at: expect.any(Date) }, true);
    expect(exchanges.enqueue).toHaveBeenCalledWith(row);
  });

  it('tests an exchange without changing the secret, reporting the failure as status details', async () => {
    const { sut, secrets, mocks } = setup(oauthSecret);
    mocks.get(SecretCipher).decrypt.mockResolvedValue(oauth);
    mocks.get(TokenExchange).exchange.mockRejectedValue(new ExchangeError('unknown-error', 'The token endpoint refused the client.', false));
    const { row, test } = await sut.act(manager, 'SE2', 'test');
    expect(row).toBe(oauthSecret);
    expect(test).toMatchObject({ status: 'failed', errors: [expect.objectContaining({ code: 'unknown-error', detail: 'The token endpoint refused the client.', meta: expect.objectContaining({ secret_id: 'SE2', step: 'test' }) })] });
    expect(secrets.update).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown action', oauthSecret, 'rotate'],
    ['a retry of a secret with nothing to exchange', tokenSecret, 'retry'],
  ])('refuses %s', async (_, secret, action) => {
    const { sut, secrets } = setup(secret);
    await expect(sut.act(manager, secret.id, action)).rejects.toBeInstanceOf(ReactorError);
    await expect(sut.act(manager, secret.id, action)).rejects.toMatchObject({ code: 'invalid-action' });
    expect(secrets.update).not.toHaveBeenCalled();
  });
});

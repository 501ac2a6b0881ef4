import type { ReactorApiConfig } from '../config/reactor-api.config';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { hashClientSecret } from './client-secret';
import { ImsCredentialsRepository, type ImsCredential } from './ims-credentials.repository';
import { readTokenRequest, type TokenRequest } from './ims-token-request';
import { ImsTokenService } from './ims-token.service';

const NOW = new Date('2026-06-01T00:00:00Z');
const config = { imsTokenTtlSeconds: 3600 } as ReactorApiConfig;
let secretHash = '';
beforeAll(async () => {
  secretHash = await hashClientSecret('p8e-secret');
});

function credential(overrides: Partial<ImsCredential> = {}): ImsCredential {
  return { client_id: 'c1', company_id: 'CO1', org_id: 'ORG@AdobeOrg', name: 'ci', secret_hash: secretHash, rights: ['develop'], scopes: null, created_at: NOW, revoked_at: null, ...overrides };
}

const good: TokenRequest = { grantType: 'client_credentials', clientId: 'c1', clientSecret: 'p8e-secret', scope: 'openid,AdobeID', basic: false };

/** `setup()` finds `credential()`; `setup(undefined)` finds no credential. */
function setup(...args: [] | [ImsCredential | undefined]) {
  const found = args.length === 0 ? credential() : args[0];
  const { sut, mocks } = newTestService(ImsTokenService, { 2: config });
  const repository = mocks.get(ImsCredentialsRepository);
  repository.find.mockResolvedValue(found);
  repository.saveToken.mockResolvedValue('AT1');
  repository.lockUnrevoked.mockResolvedValue(found !== undefined && found.revoked_at === null);
  return { sut, repository };
}

describe('ImsTokenService', () => {
  it('issues a bearer token for the configured lifetime, stored in the transaction with the credential, rights and scope', async () => {
    const { sut, repository } = setup();
    const reply = await sut.issue(good, NOW);
    expect(reply).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(repository.lockUnrevoked).toHaveBeenCalledWith(TEST_TX, 'c1');
    expect(repository.saveToken).toHaveBeenCalledWith(
      TEST_TX,
      { token: reply.access_token, clientId: 'c1', companyId: 'CO1', name: 'ci', rights: ['develop'], scope: 'openid,AdobeID', expiresAt: new Date(NOW.getTime() + 3_600_000) },
      NOW,
    );
  });

  it.each([
    ['no grant_type', { ...good, grantType: undefined }, 'invalid_request', 400],
    ['another grant', { ...good, grantType: 'password' }, 'unsupported_grant_type', 400],
    ['no client_id', { ...good, clientId: undefined }, 'invalid_request', 400],
    ['no client_secret', { ...good, clientSecret: undefined }, 'invalid_request', 400],
    ['a wrong secret', { ...good, clientSecret: 'p8e-other' }, 'invalid_client', 401],
    ['a scope the credential does not allow', { ...good, scope: 'openid write_all' }, 'invalid_scope', 400],
  ])('refuses %s', async (_, request, error, status) => {
    const { sut, repository } = setup();
    await expect(sut.issue(request, NOW)).rejects.toMatchObject({ error, status });
    expect(repository.saveToken).not.toHaveBeenCalled();
  });

  it('refuses an unknown or revoked client with invalid_client, and limits scopes to the credential\'s own list', async () => {
    const revokedMeanwhile = setup();
    revokedMeanwhile.repository.lockUnrevoked.mockResolvedValue(false);
    await expect(revokedMeanwhile.sut.issue(good, NOW)).rejects.toMatchObject({ error: 'invalid_client', description: 'the client credential has been revoked' });
    expect(revokedMeanwhile.repository.saveToken).not.toHaveBeenCalled();
    await expect(setup(undefined).sut.issue(good, NOW)).rejects.toMatchObject({ error: 'invalid_client', description: 'invalid client_id parameter' });
    await expect(setup(credential({ revoked_at: NOW })).sut.issue(good, NOW)).rejects.toMatchObject({ error: 'invalid_client' });
    await expect(setup(credential({ scopes: ['openid'] })).sut.issue(good, NOW)).rejects.toMatchObject({ error: 'invalid_scope' });
    await expect(setup(credential({ scopes: ['openid'] })).sut.issue({ ...good, scope: 'openid' }, NOW)).resolves.toMatchObject({ expires_in: 3600 });
  });
});

describe('readTokenRequest', () => {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('reads parameters from the query and the body, and client credentials from HTTP Basic (form-urlencoded inside)', () => {
    expect(readTokenRequest({ query: { grant_type: 'client_credentials' }, body: { scope: 'openid' }, headers: { authorization: basic('my%20id:s+e') } })).toEqual({
      grantType: 'client_credentials',
      clientId: 'my id',
      clientSecret: 's e',
      scope: 'openid',
      basic: true,
    });
  });

  it.each([
    ['a repeated parameter', { query: { client_id: 'a' }, body: { client_id: 'b' }, headers: {} }, 'invalid_request'],
    ['a non-string parameter', { query: {}, body: { client_id: { x: 1 } }, headers: {} }, 'invalid_request'],
    ['Basic without a colon', { query: {}, body: {}, headers: { authorization: basic('nocolon') } }, 'invalid_client'],
    ['Basic and a different client_id', { query: {}, body: { client_id: 'b' }, headers: { authorization: basic('a:s') } }, 'invalid_request'],
  ])('refuses %s', (_, request, error) => {
    expect(() => readTokenRequest(request)).toThrow(expect.objectContaining({ error }) as Error);
  });
});

import { sha256Hex } from '../common/ids';
import { newTestService } from '../test/new-test-service';
import { AuthRepository, type TokenRecord } from './auth.repository';
import { AuthService } from './auth.service';
import { TOKEN_CACHE_TTL_MS } from './token-cache';

const NOW = new Date('2026-06-01T00:00:00Z');
const record: TokenRecord = { id: 'AT1', name: 'ci', companyId: 'CO1', orgId: 'ORG@AdobeOrg', rights: ['develop', 'not-a-right'], expiresAt: null, tagsAccess: true };
const good = { authorization: 'Bearer s3cret', apiKey: 'client', orgId: undefined };

/** `setup()` finds `record`; `setup(undefined)` finds no token. */
function setup(...args: [] | [TokenRecord | undefined]) {
  const found = args.length === 0 ? record : args[0];
  const { sut, mocks } = newTestService(AuthService);
  const repository = mocks.get(AuthRepository);
  repository.findToken.mockResolvedValue(found);
  return { sut, repository };
}

describe('AuthService', () => {
  it('resolves a bearer token, looked up by its sha256, to the caller with the rights it knows', async () => {
    const { sut, repository } = setup();
    const auth = await sut.authenticate(good, NOW);
    expect(repository.findToken).toHaveBeenCalledWith(sha256Hex('s3cret'));
    expect(auth).toMatchObject({ companyId: 'CO1', orgId: 'ORG@AdobeOrg', tokenId: 'AT1', tokenName: 'ci' });
    expect([...auth.rights]).toEqual(['develop']);
  });

  it.each([
    ['no bearer token', { ...good, authorization: 'Basic abc' }, 'authentication-failure'],
    ['no client id', { ...good, apiKey: ' ' }, 'authentication-failure'],
    ['another org', { ...good, orgId: 'OTHER@AdobeOrg' }, 'invalid-org'],
  ])('refuses %s', async (_, credentials, code) => {
    const { sut } = setup();
    await expect(sut.authenticate(credentials, NOW)).rejects.toMatchObject({ code });
  });

  it.each([
    ['an unknown token', undefined, 'authentication-failure'],
    ['an expired token', { ...record, expiresAt: NOW }, 'session-timeout'],
    ['a token of an org without Tags', { ...record, tagsAccess: false }, 'invalid-org'],
  ])('refuses %s', async (_, found, code) => {
    const { sut } = setup(found);
    await expect(sut.authenticate(good, NOW)).rejects.toMatchObject({ code });
  });

  it('reads a known token once per cache lifetime, and an unknown one every time', async () => {
    const known = setup();
    await known.sut.authenticate(good, NOW);
    await known.sut.authenticate(good, new Date(NOW.getTime() + TOKEN_CACHE_TTL_MS - 1));
    expect(known.repository.findToken).toHaveBeenCalledTimes(1);
    await known.sut.authenticate(good, new Date(NOW.getTime() + TOKEN_CACHE_TTL_MS + 1));
    expect(known.repository.findToken).toHaveBeenCalledTimes(2);
    const unknown = setup(undefined);
    await expect(unknown.sut.authenticate(good, NOW)).rejects.toMatchObject({ code: 'authentication-failure' });
    unknown.repository.findToken.mockResolvedValue(record);
    await expect(unknown.sut.authenticate(good, NOW)).resolves.toMatchObject({ tokenId: 'AT1' });
  });

  it('checks expiry on every request, cached or not', async () => {
    const { sut } = setup({ ...record, expiresAt: new Date(NOW.getTime() + 1000) });
    await sut.authenticate(good, NOW);
    await expect(sut.authenticate(good, new Date(NOW.getTime() + 1000))).rejects.toMatchObject({ code: 'session-timeout' });
  });
});

import { AuthService } from '../src/auth/auth.service';
import { AuthRepository } from '../src/auth/auth.repository';
import { ImsCredentialsAdmin, type CreatedCredential } from '../src/auth/ims-credentials.admin';
import { runClientCommand } from '../src/auth/ims-credentials.cli';
import { ImsCredentialsRepository } from '../src/auth/ims-credentials.repository';
import { RIGHTS } from '../src/auth/rights';
import { TOKEN_CACHE_TTL_MS } from '../src/auth/token-cache';
import { sha256Hex } from '../src/common/ids';
import { DB, type Db } from '../src/database/database';
import { Transactions } from '../src/database/transactions';
import { TestApi, dataOf, expectError, type TestResponse } from './harness';

/**
 * Issue 19 item 7: `POST /ims/token/v3` as Adobe IMS answers server-to-server credentials, over
 * real HTTP on the real app (PGlite or TEST_DATABASE_URL), with credentials made by the CLI's code.
 */

const SCOPE = 'openid,AdobeID,read_organizations,additional_info.projectedProductContext,session';

interface TokenJson {
  access_token: string;
  token_type: string;
  expires_in: number;
  error?: string;
  error_description?: string;
}

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** Asserts an OAuth2 error reply (RFC 6749 §5.2 as IMS sends it), never a JSON:API document. */
function expectOAuth2Error(res: TestResponse, status: number, error: string): string {
  if (res.status !== status) {
    throw new Error(`expected ${status} ${error}, got ${res.status}: ${res.text}`);
  }
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const body = res.body as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  expect(body['error']).toBe(error);
  expect(typeof body['error_description']).toBe('string');
  return body['error_description'] as string;
}

describe('reactor-api IMS-shaped token endpoint (POST /ims/token/v3)', () => {
  const api = new TestApi();
  let admin: ImsCredentialsAdmin;
  let db: Db;
  let client: CreatedCredential;

  /** What a CI script sends: a urlencoded form, no bearer token, no x-api-key. */
  const tokenRequest = (body: string, headers: Record<string, string> = {}, query = ''): Promise<TestResponse> =>
    api.request('POST', `/ims/token/v3${query}`, undefined, { token: null, raw: body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  const issue = async (credential: CreatedCredential): Promise<TokenJson> => {
    const res = await tokenRequest(form({ grant_type: 'client_credentials', client_id: credential.client_id, client_secret: credential.client_secret, scope: SCOPE }));
    expect(res.status).toBe(200);
    return res.body as TokenJson;
  };

  /** A Reactor call as scripts make it after fetching their token. */
  const companies = (token: string, clientId: string, org = api.org): Promise<TestResponse> =>
    api.request('GET', '/companies', undefined, { token, headers: { 'x-api-key': clientId, 'x-gw-ims-org-id': org } });

  beforeAll(async () => {
    await api.start();
    db = api.app.get<Db>(DB);
    admin = new ImsCredentialsAdmin(api.app.get(AuthRepository), api.app.get(ImsCredentialsRepository), api.app.get(Transactions));
    client = await admin.create({ org: api.org, name: 'ci-pipeline', rights: ['develop'], scopes: undefined });
  });
  afterAll(() => api.stop());

  it('issues a token to a urlencoded form; the token works on Reactor routes with the credential\'s company and rights', async () => {
    const res = await tokenRequest(form({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret, scope: SCOPE }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = res.body as TokenJson;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(86_400);
    // Shaped like an IMS access token: a JWT whose payload says when it was made and for how long (ms).
    const payload = JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, string>;
    expect(payload).toMatchObject({ type: 'access_token', client_id: client.client_id, org: api.org, scope: SCOPE, expires_in: '86400000' });
    expect(Math.abs(Number(payload['created_at']) - Date.now())).toBeLessThan(60_000);

    const list = await companies(body.access_token, client.client_id);
    expect(dataOf<Array<{ attributes: { org_id: string } }>>(list)[0]?.attributes.org_id).toBe(api.org);
    // The token carries the credential's rights and name.
    const auth = await api.app.get(AuthService).authenticate({ authorization: `Bearer ${body.access_token}`, apiKey: client.client_id, orgId: api.org });
    expect([...auth.rights]).toEqual(['develop']);
    expect(auth.tokenName).toBe('ci-pipeline');

    // The token is stored like every API token (sha256), linked to its credential with the scope granted.
    const row = await db
      .selectFrom('ims_tokens')
      .innerJoin('api_tokens', 'api_tokens.id', 'ims_tokens.token_id')
      .select(['ims_tokens.scope', 'api_tokens.token_hash', 'api_tokens.expires_at'])
      .where('ims_tokens.client_id', '=', client.client_id)
      .executeTakeFirstOrThrow();
    expect(row.scope).toBe(SCOPE);
    expect(row.token_hash).toBe(sha256Hex(body.access_token));
    expect(Math.abs((row.expires_at?.getTime() ?? 0) - (Date.now() + 86_400_000))).toBeLessThan(60_000);
  });

  it('accepts HTTP Basic client authentication, JSON bodies, query parameters and multipart fields', async () => {
    const viaBasic = await tokenRequest(form({ grant_type: 'client_credentials', scope: 'openid' }), { authorization: basic(client.client_id, client.client_secret) });
    expect(viaBasic.status).toBe(200);
    expect((await companies((viaBasic.body as TokenJson).access_token, client.client_id)).status).toBe(200);
    const viaJson = await api.request('POST', '/ims/token/v3', undefined, {
      token: null,
      raw: JSON.stringify({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret }),
      headers: { 'content-type': 'application/json' },
    });
    expect(viaJson.status).toBe(200);
    const viaQuery = await tokenRequest('', {}, `?${form({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret, scope: 'AdobeID' })}`);
    expect(viaQuery.status).toBe(200);
    const multipart = new FormData();
    multipart.append('grant_type', 'client_credentials');
    multipart.append('client_id', client.client_id);
    multipart.append('client_secret', client.client_secret);
    const viaMultipart = await api.request('POST', '/ims/token/v3', undefined, { token: null, raw: multipart });
    expect(viaMultipart.status).toBe(200);
    // Basic and parameters naming different clients: refused.
    expectOAuth2Error(await tokenRequest(form({ grant_type: 'client_credentials', client_id: 'someone-else' }), { authorization: basic(client.client_id, client.client_secret) }), 400, 'invalid_request');
  });

  it('refuses bad requests with RFC 6749 §5.2 errors, not JSON:API documents', async () => {
    const good = { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret };
    expect(expectOAuth2Error(await tokenRequest(form({ ...good, client_secret: 'wrong' })), 401, 'invalid_client')).toMatch(/client_secret/);
    const basicWrong = await tokenRequest(form({ grant_type: 'client_credentials' }), { authorization: basic(client.client_id, 'wrong') });
    expectOAuth2Error(basicWrong, 401, 'invalid_client');
    expect(basicWrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(expectOAuth2Error(await tokenRequest(form({ ...good, client_id: 'no-such-client' })), 401, 'invalid_client')).toBe('invalid client_id parameter');
    expectOAuth2Error(await tokenRequest(form({ ...good, grant_type: 'authorization_code' })), 400, 'unsupported_grant_type');
    expect(expectOAuth2Error(await tokenRequest(form({ grant_type: 'client_credentials', client_secret: 'x' })), 400, 'invalid_request')).toBe('missing client_id parameter');
    expectOAuth2Error(await tokenRequest(form({ client_id: client.client_id, client_secret: client.client_secret })), 400, 'invalid_request');
    expectOAuth2Error(await tokenRequest(`${form(good)}&client_id=other`), 400, 'invalid_request');
    expectOAuth2Error(await tokenRequest(form({ ...good, scope: 'openid,write_everything' })), 400, 'invalid_scope');
    // Errors raised before the handler (body parsing, input hygiene, media types) keep the OAuth2 shape too.
    expectOAuth2Error(await tokenRequest(form({ ...good, client_id: 'a\u0000b' })), 400, 'invalid_request');
    expectOAuth2Error(await api.request('POST', '/ims/token/v3', undefined, { token: null, raw: '{"grant_type":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_request');
    expectOAuth2Error(await api.request('POST', '/ims/token/v3', undefined, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } }), 400, 'invalid_request');
    // Every other route still answers a form with 415 in JSON:API.
    expectError(await api.request('POST', '/companies', undefined, { raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported-media-type');
  });

  it('an expired token gets the usual session-timeout', async () => {
    const { access_token: token } = await issue(client);
    // One second after the token's lifetime, as the guard sees it (the same lookup, cached or not).
    const later = new Date(Date.now() + 86_400_000 + 1000);
    await expect(api.app.get(AuthService).authenticate({ authorization: `Bearer ${token}`, apiKey: client.client_id, orgId: api.org }, later)).rejects.toMatchObject({ code: 'session-timeout' });
    // Over HTTP, with the row's expiry moved into the past (this token was never used, so not cached).
    const fresh = (await issue(client)).access_token;
    await db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', sha256Hex(fresh)).execute();
    expectError(await companies(fresh, client.client_id), 401, 'session-timeout');
    // A shorter lifetime can be configured.
    const shortLived = await new TestApi().start({ IMS_TOKEN_TTL_SECONDS: '600' });
    try {
      const other = await new ImsCredentialsAdmin(shortLived.app.get(AuthRepository), shortLived.app.get(ImsCredentialsRepository), shortLived.app.get(Transactions)).create({ org: shortLived.org, name: undefined, rights: [...RIGHTS], scopes: ['openid'] });
      const res = await shortLived.request('POST', '/ims/token/v3', undefined, {
        token: null,
        raw: form({ grant_type: 'client_credentials', client_id: other.client_id, client_secret: other.client_secret, scope: 'openid' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect((res.body as TokenJson).expires_in).toBe(600);
      // This credential allows only its own scope list.
      const refused = await shortLived.request('POST', '/ims/token/v3', undefined, {
        token: null,
        raw: form({ grant_type: 'client_credentials', client_id: other.client_id, client_secret: other.client_secret, scope: 'AdobeID' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectOAuth2Error(refused, 400, 'invalid_scope');
    } finally {
      await shortLived.stop();
    }
  });

  it('revoking a credential refuses new tokens and deletes the ones it issued (a cached one within TOKEN_CACHE_TTL_MS)', async () => {
    const doomed = await admin.create({ org: api.org, name: 'doomed', rights: ['develop'], scopes: undefined });
    const used = (await issue(doomed)).access_token;
    const unused = (await issue(doomed)).access_token;
    expect((await companies(used, doomed.client_id)).status).toBe(200);
    const revoked = await admin.revoke(doomed.client_id);
    expect(revoked?.tokens_deleted).toBe(2);
    expect(revoked?.credential.revoked_at).not.toBeNull();
    expect(expectOAuth2Error(await tokenRequest(form({ grant_type: 'client_credentials', client_id: doomed.client_id, client_secret: doomed.client_secret })), 401, 'invalid_client')).toMatch(/revoked/);
    // A token this server has not seen since: refused at once.
    expectError(await companies(unused, doomed.client_id), 401, 'authentication-failure');
    // The one it authenticated a moment ago is cached; past the cache lifetime it is refused as well.
    const later = new Date(Date.now() + TOKEN_CACHE_TTL_MS + 1);
    await expect(api.app.get(AuthService).authenticate({ authorization: `Bearer ${used}`, apiKey: doomed.client_id, orgId: api.org }, later)).rejects.toMatchObject({ code: 'authentication-failure' });
    // The other credential is untouched.
    expect((await companies((await issue(client)).access_token, client.client_id)).status).toBe(200);
    expect(await admin.revoke('no-such-client')).toBeUndefined();
  });

  it('the CLI prints the secret once, stores only a salted scrypt hash, lists without secrets', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
    const command = { verb: 'create', org: api.org, name: 'from-cli', rights: ['develop' as const, 'approve' as const], scopes: undefined, clientId: undefined };
    expect(await runClientCommand(admin, command, io)).toBe(0);
    expect(out).toHaveLength(1);
    const created = JSON.parse(out[0] ?? '') as CreatedCredential;
    expect(created).toMatchObject({ name: 'from-cli', org_id: api.org, rights: ['develop', 'approve'], scopes: null });
    expect(created.client_id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.client_secret).toMatch(/^p8e-[A-Za-z0-9_-]{43}$/);

    const row = await db.selectFrom('ims_credentials').selectAll().where('client_id', '=', created.client_id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(row)).not.toContain(created.client_secret);
    // Salted: the same secret hashed twice differs (two credentials never share a hash).
    const hashes = await db.selectFrom('ims_credentials').select('secret_hash').execute();
    expect(new Set(hashes.map((h) => h.secret_hash)).size).toBe(hashes.length);
    // The printed secret is the one that works.
    expect((await issue(created)).token_type).toBe('bearer');

    out.length = 0;
    expect(await runClientCommand(admin, { ...command, verb: 'list' }, io)).toBe(0);
    expect(out.join('\n')).not.toContain(created.client_secret);
    expect(out.join('\n')).not.toContain('scrypt');
    const listed = out.map((l) => JSON.parse(l) as { client_id: string; live_tokens: number });
    expect(listed.find((c) => c.client_id === created.client_id)?.live_tokens).toBe(1);

    out.length = 0;
    expect(await runClientCommand(admin, { ...command, verb: 'revoke', clientId: created.client_id }, io)).toBe(0);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ client_id: created.client_id, tokens_deleted: 1 });
    expect(await runClientCommand(admin, { ...command, verb: 'revoke', clientId: 'nope' }, io)).toBe(1);
    expect(await runClientCommand(admin, { ...command, verb: 'create', scopes: 'bad scope!' }, io)).toBe(2);
    expect(err).toHaveLength(2);
  });
});

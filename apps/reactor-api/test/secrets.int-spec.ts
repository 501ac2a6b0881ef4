import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { sql } from 'kysely';
import { DB, type Db } from '../src/database/database';
import { TestApi, createAkamaiHost, createEnvironment, createProperty, dataOf, expectError } from './harness';
import { LoopbackServer } from './loopback-server';

interface Secret {
  id: string;
  attributes: { name: string; type_of: string; status: string; activated_at: string | null; expires_at: string | null; refresh_at: string | null; updated_at: string };
  relationships: { environment: { data: { id: string } | null } };
  meta: {
    status_details: { errors: Array<{ code: string; title: string; detail: string }> } | null;
    refresh_status_details: { errors: Array<{ code: string; title: string; detail: string; meta?: Record<string, unknown> }> } | null;
    test_exchange?: Record<string, unknown>;
  };
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const RSA_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const EC_PEM = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Verifies a compact JWS with node:crypto (the endpoint's side of RFC 7523). */
function verifiedClaims(assertion: string, publicKey: ReturnType<typeof createPublicKey>, es: boolean): Record<string, unknown> | null {
  const [header, payload, signature] = assertion.split('.');
  if (header === undefined || payload === undefined || signature === undefined) {
    return null;
  }
  const ok = verify('sha256', Buffer.from(`${header}.${payload}`), es ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey, Buffer.from(signature, 'base64url'));
  return ok ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>) : null;
}

/** A real OAuth2 token endpoint on loopback. */
class TokenEndpoint {
  readonly requests: Array<{ path: string; form: URLSearchParams }> = [];
  private readonly server = new LoopbackServer((req, body, res) => {
    const form = new URLSearchParams(body.toString());
    const path = req.url ?? '';
    this.requests.push({ path, form });
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const seen = this.requests.filter((r) => r.path === path).length;
    if (path === '/token' && form.get('grant_type') === 'client_credentials' && form.get('client_id') === 'cid' && form.get('client_secret') === 'c-secret-value') {
      return reply(200, { access_token: 'at-client', expires_in: 36000, token_type: 'Bearer' });
    }
    if (path === '/token') {
      return reply(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    if (path === '/short') {
      return reply(200, { access_token: 'at-short', expires_in: 3 });
    }
    if (path === '/short-once') {
      return seen === 1 ? reply(200, { access_token: 'at-once', expires_in: 6 }) : reply(400, { error: 'invalid_grant', error_description: 'Client credentials revoked' });
    }
    if (path === '/flaky') {
      return seen === 1 ? reply(503, { error: 'temporarily_unavailable' }) : reply(200, { access_token: 'at-flaky', expires_in: 36000 });
    }
    if (path === '/jwt' || path === '/google') {
      const es = path === '/jwt';
      const claims = form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' ? verifiedClaims(form.get('assertion') ?? '', createPublicKey(es ? ec.privateKey : rsa.privateKey), es) : null;
      const expected = es ? { iss: 'svc@example', aud: `${this.url}/jwt`, tenant: 'acme' } : { iss: 'robot@project.iam.gserviceaccount.com', aud: `${this.url}/google`, scope: 'a b' };
      if (claims === null || Object.entries(expected).some(([k, v]) => claims[k] !== v)) {
        return reply(400, { error: 'invalid_grant' });
      }
      return reply(200, { access_token: `at-${path.slice(1)}`, expires_in: 3600 });
    }
    return reply(404, {});
  });

  get url(): string {
    return this.server.url;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

describe('secrets (§2.11)', () => {
  const api = new TestApi();
  const endpoint = new TokenEndpoint();
  let property: string;
  let env: string;

  beforeAll(async () => {
    await endpoint.start();
    await api.start({ SECRETS_ALLOW_HTTP: 'true', SECRETS_REFRESH_SWEEP_MS: '200' });
    const company = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id;
    property = dataOf<{ id: string }>(await api.post(`/companies/${company}/properties`, { data: { type: 'properties', attributes: { name: 'Edge', platform: 'edge' } } }), 201).id;
    env = await createEnvironment(api, property, await createAkamaiHost(api, property), 'development');
  });
  afterAll(async () => {
    await api.stop();
    await endpoint.stop();
  });

  const body = (type_of: string, credentials: Record<string, unknown>, environment: string | null = env, name = type_of) => ({
    data: { type: 'secrets', attributes: { name, type_of, credentials }, ...(environment === null ? {} : { relationships: { environment: { data: { id: environment, type: 'environments' } } } }) },
  });
  const create = (type_of: string, credentials: Record<string, unknown>) => api.post(`/properties/${property}/secrets`, body(type_of, credentials));

  async function until(id: string, done: (secret: Secret) => boolean, what: string): Promise<Secret> {
    for (let i = 0; i < 150; i++) {
      const secret = dataOf<Secret>(await api.get(`/secrets/${id}`));
      if (done(secret)) {
        return secret;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`secret ${id}: ${what} did not happen within 15 s`);
  }

  async function settled(id: string): Promise<Secret> {
    for (let i = 0; i < 200; i++) {
      const secret = dataOf<Secret>(await api.get(`/secrets/${id}`));
      if (secret.attributes.status !== 'pending') {
        return secret;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`secret ${id} stayed pending`);
  }

  it('token and simple-http secrets are succeeded at once; credentials are write-only and encrypted at rest', async () => {
    const res = await create('token', { token: 'tok-plain-value' });
    const token = dataOf<Secret>(res, 201);
    expect(token.id).toMatch(/^SE[0-9a-f]{32}$/);
    expect(token.attributes).toMatchObject({ name: 'token', type_of: 'token', status: 'succeeded', expires_at: null, refresh_at: null });
    expect(token.attributes.activated_at).not.toBeNull();
    expect(token.relationships.environment.data?.id).toBe(env);
    expect(res.text).not.toContain('tok-plain-value');
    expect(res.text).not.toContain('credentials');
    const basic = await create('simple-http', { username: 'u', password: 'pw-plain-value' });
    expect(dataOf<Secret>(basic, 201).attributes.status).toBe('succeeded');
    expect((await api.get(`/secrets/${token.id}`)).text).not.toContain('tok-plain-value');

    const db = api.app.get<Db>(DB);
    const rows = await db.selectFrom('secrets').select('credentials_encrypted').where('property_id', '=', property).execute();
    for (const row of rows) {
      expect(row.credentials_encrypted).toMatch(/^-----BEGIN PGP MESSAGE-----/);
      expect(row.credentials_encrypted).not.toMatch(/plain-value/);
    }
    const listed = dataOf<Secret[]>(await api.get(`/properties/${property}/secrets?filter[type_of]=EQ token`)).map((s) => s.id);
    expect(listed).toEqual([token.id]);
    expect(dataOf<Secret[]>(await api.get(`/environments/${env}/secrets`)).map((s) => s.id)).toEqual(expect.arrayContaining([token.id]));
    expect(dataOf<{ id: string }>(await api.get(`/secrets/${token.id}/environment`)).id).toBe(env);
    expect(dataOf<{ id: string }>(await api.get(`/secrets/${token.id}/property`)).id).toBe(property);
    const note = dataOf<{ id: string }>(await api.post(`/secrets/${token.id}/notes`, { data: { type: 'notes', attributes: { text: 'rotated' } } }), 201);
    expect(dataOf<Array<{ id: string }>>(await api.get(`/secrets/${token.id}/notes`)).map((n) => n.id)).toEqual([note.id]);
  });

  it('validation: edge properties only, an environment of the property, credentials per type with pointers', async () => {
    const web = await createProperty(api, 'Web');
    const webEnv = await createEnvironment(api, web, await createAkamaiHost(api, web), 'development');
    expectError(await api.post(`/properties/${web}/secrets`, body('token', { token: 't' }, webEnv)), 422, 'validation-error');
    const foreignEnv = body('token', { token: 't' }, webEnv);
    expect(expectError(await api.post(`/properties/${property}/secrets`, foreignEnv), 404, 'not-found', foreignEnv)['source']).toEqual({ pointer: '/data/relationships/environment/data/id' });
    const noEnv = body('token', { token: 't' }, null);
    expect(expectError(await api.post(`/properties/${property}/secrets`, noEnv), 422, 'validation-error', noEnv)['source']).toEqual({ pointer: '/data/relationships' });

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['oauth2-saml', { token: 't' }, '/data/attributes/type_of'],
      ['simple-http', { username: 'u' }, '/data/attributes/credentials/password'],
      ['simple-http', { username: 'u', password: 'p', passwd: 'p' }, '/data/attributes/credentials/passwd'],
      ['token', { token: '' }, '/data/attributes/credentials/token'],
      ['oauth2-client_credentials', { client_id: 'c', client_secret: 's', token_url: 'ftp://x/token' }, '/data/attributes/credentials/token_url'],
      ['oauth2-client_credentials', { client_id: 'c', client_secret: 's', token_url: 'https://x/token', refresh_offset: -1 }, '/data/attributes/credentials/refresh_offset'],
      ['oauth2-client_credentials', { client_id: 'c', client_secret: 's', token_url: 'https://x/token', options: { scope: 'a', grant: 'b' } }, '/data/attributes/credentials/options'],
      ['oauth2-jwt', { token_url: 'https://x/token', iss: 'i', private_key: 'not a key' }, '/data/attributes/credentials/private_key'],
      ['oauth2-google', { scopes: ['s'], key_file_json: '{"client_email":"x"}' }, '/data/attributes/credentials/key_file_json'],
    ];
    for (const [type, credentials, pointer] of cases) {
      const doc = body(type, credentials);
      const error = expectError(await api.post(`/properties/${property}/secrets`, doc), 422, 'validation-error', doc);
      expect([type, error['source']]).toEqual([type, { pointer }]);
    }
  });

  it('oauth2-client_credentials: pending, exchanged at the token URL by reactor-api, succeeded with expires_at and refresh_at', async () => {
    const created = dataOf<Secret>(await create('oauth2-client_credentials', { client_id: 'cid', client_secret: 'c-secret-value', token_url: `${endpoint.url}/token`, options: { scope: 'events' } }), 201);
    expect(created.attributes).toMatchObject({ status: 'pending', activated_at: null, expires_at: null });
    const done = await settled(created.id);
    expect(done.attributes.status).toBe('succeeded');
    const activated = Date.parse(done.attributes.activated_at ?? '');
    expect(Date.parse(done.attributes.expires_at ?? '')).toBe(activated + 36000 * 1000);
    expect(Date.parse(done.attributes.refresh_at ?? '')).toBe(activated + (36000 - 14400) * 1000);
    expect(done.meta.status_details).toBeNull();
    const request = endpoint.requests.find((r) => r.path === '/token' && r.form.get('client_id') === 'cid');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'c-secret-value', scope: 'events' });

    const test = dataOf<Secret>(await api.patch(`/secrets/${created.id}`, { data: { id: created.id, type: 'secrets', meta: { action: 'test' } } }));
    expect(test.meta.test_exchange).toEqual({ status: 'succeeded', expires_in: 36000, token_type: 'Bearer' });
    expect(JSON.stringify(test)).not.toContain('at-client');
  });

  it('a refused exchange fails with status_details (no secret in them); new credentials exchange again; retry re-runs it', async () => {
    const created = dataOf<Secret>(await create('oauth2-client_credentials', { client_id: 'cid', client_secret: 'wrong-secret-value', token_url: `${endpoint.url}/token` }), 201);
    const failed = await settled(created.id);
    expect(failed.attributes.status).toBe('failed');
    const error = failed.meta.status_details?.errors[0];
    expect(error).toMatchObject({ code: 'unknown-error', title: 'Unknown Error' });
    expect(error?.detail).toContain('answered 401: invalid_client (Client authentication failed)');
    expect(JSON.stringify(failed)).not.toContain('wrong-secret-value');

    const fixed = { data: { id: created.id, type: 'secrets', attributes: { credentials: { client_id: 'cid', client_secret: 'c-secret-value', token_url: `${endpoint.url}/token` } } } };
    expect(dataOf<Secret>(await api.patch(`/secrets/${created.id}`, fixed)).attributes.status).toBe('pending');
    expect((await settled(created.id)).attributes.status).toBe('succeeded');
    const retried = dataOf<Secret>(await api.patch(`/secrets/${created.id}`, { data: { id: created.id, type: 'secrets', meta: { action: 'retry' } } }));
    expect(retried.attributes.status).toBe('pending');
    expect((await settled(created.id)).attributes.status).toBe('succeeded');

    const token = dataOf<Secret>(await create('token', { token: 't' }), 201);
    const retry = { data: { id: token.id, type: 'secrets', meta: { action: 'retry' } } };
    expectError(await api.patch(`/secrets/${token.id}`, retry), 422, 'invalid-action', retry);
    const move = { data: { id: token.id, type: 'secrets', relationships: { environment: { data: { id: await createEnvironment(api, property, await createAkamaiHost(api, property), 'development', 'other'), type: 'environments' } } } } };
    expectError(await api.patch(`/secrets/${token.id}`, move), 403, 'read-only', move);
    const retype = { data: { id: token.id, type: 'secrets', attributes: { type_of: 'simple-http' } } };
    expectError(await api.patch(`/secrets/${token.id}`, retype), 422, 'validation-error', retype);
    expect((await api.delete(`/secrets/${token.id}`)).status).toBe(204);
    expectError(await api.get(`/secrets/${token.id}`), 404, 'not-found');
  });

  it('retry is accepted while pending (a lost job never leaves a secret pending for good), and two at once both settle', async () => {
    const created = dataOf<Secret>(await create('oauth2-client_credentials', { client_id: 'cid', client_secret: 'c-secret-value', token_url: `${endpoint.url}/token` }), 201);
    expect(created.attributes.status).toBe('pending');
    const retry = { data: { id: created.id, type: 'secrets', meta: { action: 'retry' } } };
    const answers = await Promise.all([api.patch(`/secrets/${created.id}`, retry), api.patch(`/secrets/${created.id}`, retry)]);
    for (const answer of answers) {
      expect(dataOf<Secret>(answer).attributes.status).toBe('pending');
    }
    expect((await settled(created.id)).attributes.status).toBe('succeeded');
  });

  it('transient failures (503) are retried while the secret stays pending', async () => {
    const created = dataOf<Secret>(await create('oauth2-client_credentials', { client_id: 'a', client_secret: 'b', token_url: `${endpoint.url}/flaky` }), 201);
    expect((await settled(created.id)).attributes.status).toBe('succeeded');
    expect(endpoint.requests.filter((r) => r.path === '/flaky')).toHaveLength(2);
  });

  it('oauth2-jwt (ES256 assertion) and oauth2-google (service account, RS256) are exchanged with signed JWTs', async () => {
    const jwt = dataOf<Secret>(
      await create('oauth2-jwt', { token_url: `${endpoint.url}/jwt`, iss: 'svc@example', private_key: EC_PEM, algorithm: 'ES256', custom_claims: { tenant: 'acme' }, refresh_offset: 600 }),
      201,
    );
    const jwtDone = await settled(jwt.id);
    expect([jwtDone.attributes.status, jwtDone.meta.status_details]).toEqual(['succeeded', null]);
    expect(Date.parse(jwtDone.attributes.refresh_at ?? '')).toBe(Date.parse(jwtDone.attributes.activated_at ?? '') + 3000 * 1000);

    const keyFile = JSON.stringify({ type: 'service_account', client_email: 'robot@project.iam.gserviceaccount.com', private_key: RSA_PEM, token_uri: `${endpoint.url}/google` });
    const google = dataOf<Secret>(await create('oauth2-google', { scopes: ['a', 'b'], key_file_json: keyFile, refresh_offset: 600 }), 201);
    expect((await settled(google.id)).attributes.status).toBe('succeeded');

    // Without refresh_offset, a 1 h token is refreshed halfway (the 4 h default does not fit it).
    const byDefault = await settled(dataOf<Secret>(await create('oauth2-google', { scopes: ['a', 'b'], key_file_json: keyFile }), 201).id);
    expect(byDefault.attributes.status).toBe('succeeded');
    expect(Date.parse(byDefault.attributes.refresh_at ?? '')).toBe(Date.parse(byDefault.attributes.activated_at ?? '') + 1800 * 1000);
    // A refresh_offset the user chose that does not fit the token: failed, and said why.
    const tooShort = dataOf<Secret>(await create('oauth2-google', { scopes: ['a', 'b'], key_file_json: keyFile, refresh_offset: 7200 }), 201);
    const failed = await settled(tooShort.id);
    expect(failed.attributes.status).toBe('failed');
    expect(failed.meta.status_details?.errors[0]?.detail).toContain('refresh_offset');
    const stored = await api.app.get<Db>(DB).selectFrom('secrets').select(sql<string>`credentials_encrypted`.as('c')).where('id', '=', google.id).executeTakeFirstOrThrow();
    expect(stored.c).not.toContain('PRIVATE KEY');
  });
  it('refreshes a succeeded OAuth2 secret when refresh_at comes: expires_at and refresh_at move on, activated_at stays', async () => {
    const created = dataOf<Secret>(await create('oauth2-client_credentials', { client_id: 'cid', client_secret: 's', token_url: `${endpoint.url}/short`, refresh_offset: 2 }), 201);
    const first = await settled(created.id);
    expect(first.attributes.status).toBe('succeeded');
    const firstExpiry = Date.parse(first.attributes.expires_at ?? '');
    expect(Date.parse(first.attributes.refresh_at ?? '')).toBe(firstExpiry - 2000);
    expect(first.meta.refresh_status_details).toBeNull();

    const refreshed = await until(created.id, (s) => Date.parse(s.attributes.expires_at ?? '') > firstExpiry, 'a refresh');
    expect(refreshed.attributes.status).toBe('succeeded');
    expect(refreshed.attributes.activated_at).toBe(first.attributes.activated_at);
    // Refreshed when due (refresh_at, plus at most a sweep and the exchange), not before.
    expect(Date.parse(refreshed.attributes.expires_at ?? '') - 3000).toBeGreaterThanOrEqual(Date.parse(first.attributes.refresh_at ?? ''));
    expect(Date.parse(refreshed.attributes.refresh_at ?? '')).toBe(Date.parse(refreshed.attributes.expires_at ?? '') - 2000);
    expect(refreshed.meta.refresh_status_details).toBeNull();
    expect(endpoint.requests.filter((r) => r.path === '/short').length).toBeGreaterThanOrEqual(2);
    expect((await api.delete(`/secrets/${created.id}`)).status).toBe(204);
  });

  it('a failed refresh sets meta.refresh_status_details and tries again by expires_at; failing then, once expired, fails the secret', async () => {
    const created = dataOf<Secret>(await create('oauth2-client_credentials', { client_id: 'cid', client_secret: 's', token_url: `${endpoint.url}/short-once`, refresh_offset: 4 }), 201);
    const first = await settled(created.id);
    expect(first.attributes.status).toBe('succeeded');
    const expiry = Date.parse(first.attributes.expires_at ?? '');
    // Due 2 s after the exchange, 4 s before expiry: room for a slow machine to try it before then.
    expect(Date.parse(first.attributes.refresh_at ?? '')).toBe(expiry - 4000);

    const noted = await until(created.id, (s) => s.meta.refresh_status_details !== null, 'a refresh failure');
    expect(noted.attributes.status).toBe('succeeded');
    expect(noted.meta.status_details).toBeNull();
    const error = noted.meta.refresh_status_details?.errors[0];
    expect(error).toMatchObject({ code: 'unknown-error', meta: expect.objectContaining({ secret_id: created.id, step: 'refresh' }) });
    expect(error?.detail).toContain('invalid_grant (Client credentials revoked)');
    // The next try is 5 minutes later, but never after the token expires.
    expect(Date.parse(noted.attributes.refresh_at ?? '')).toBe(expiry);
    expect(noted.attributes.expires_at).toBe(first.attributes.expires_at);

    const failed = await until(created.id, (s) => s.attributes.status === 'failed', 'the secret failing');
    expect(Date.parse(failed.attributes.updated_at)).toBeGreaterThanOrEqual(expiry);
    expect(failed.meta.status_details?.errors[0]).toMatchObject({ code: 'unknown-error' });
    expect(failed.meta.status_details?.errors[0]?.detail).toContain('invalid_grant');
    expect(failed.attributes.refresh_at).toBeNull();
    expect(JSON.stringify(failed)).not.toContain('at-once');
  });
});

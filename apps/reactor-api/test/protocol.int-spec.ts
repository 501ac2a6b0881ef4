import { Reflector } from '@nestjs/core';
import { RequestMethod } from '@nestjs/common';
import { HealthController } from '@openexp/service-runtime';
import { PUBLIC_ROUTE } from '../src/auth/public.decorator';
import { AuthRepository } from '../src/auth/auth.repository';
import { AuthService } from '../src/auth/auth.service';
import { TOKEN_CACHE_TTL_MS } from '../src/auth/token-cache';
import { TestApi, controllerRoutes, createAkamaiHost, createProperty, dataOf, expectError } from './harness';

describe('reactor-api protocol: media types, errors, auth, guards', () => {
  const api = new TestApi();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('malformed JSON → 400, other media types → 415, unknown params → 415, unknown route → 404', async () => {
    const companyId = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id;
    expectError(await api.request('POST', `/companies/${companyId}/properties`, undefined, { raw: '{"data":', headers: { 'content-type': 'application/vnd.api+json' } }), 400, 'malformed-json');
    expectError(await api.request('POST', `/companies/${companyId}/properties`, undefined, { raw: 'name=x', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported-media-type');
    expectError(
      await api.request('POST', `/companies/${companyId}/properties`, undefined, { raw: '{}', headers: { 'content-type': 'application/vnd.api+json; ext=bulk' } }),
      415,
      'unsupported-media-type',
    );
    expectError(await api.get('/no/such/route'), 404, 'route-not-found');
    expectError(await api.post(`/companies/${companyId}/properties`, [1, 2]), 400, 'invalid-document');
  });

  it('accepts application/json bodies and the revision Accept parameter; bodiless POST with a JSON content type', async () => {
    const companyId = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id;
    const res = await api.request('POST', `/companies/${companyId}/properties`, { data: { type: 'properties', attributes: { name: 'J', platform: 'web', domains: ['a.b'] } } }, { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
    const property = await createProperty(api);
    const library = dataOf<{ id: string }>(await api.post(`/properties/${property}/libraries`, { data: { type: 'libraries', attributes: { name: 'L' } } }), 201).id;
    const build = await api.request('POST', `/libraries/${library}/builds`, undefined, { headers: { 'content-type': 'application/vnd.api+json' } });
    expectError(build, 422, 'environment-required');
  });

  it('2: expired token → session-timeout; wrong org header or org without Tags access → invalid-org; missing right → not-authorized; missing x-api-key → 401', async () => {
    const repository = api.app.get(AuthRepository);
    const company = await repository.ensureCompany(api.org);
    await repository.saveToken(company.id, 'expired-token-0123456789', 'old', ['develop'], new Date(Date.now() - 1000));
    expectError(await api.get('/companies', { token: 'expired-token-0123456789' }), 401, 'session-timeout');
    expectError(await api.request('GET', '/companies', undefined, { headers: { 'x-gw-ims-org-id': 'OTHER@AdobeOrg' } }), 403, 'invalid-org');
    await repository.saveToken(company.id, 'reader-token-0123456789', 'reader', [], null);
    const property = await createProperty(api);
    const host = { data: { type: 'hosts', attributes: { name: 'A', type_of: 'akamai' } } };
    expectError(await api.post(`/properties/${property}/hosts`, host, { token: 'reader-token-0123456789' }), 403, 'not-authorized', host);
    const noKey = await fetch(`${api.baseUrl}/companies`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(noKey.status).toBe(401);
    expectError(await api.get('/companies', { token: 'not-a-token' }), 401, 'authentication-failure');

    // A valid token of an org whose Tags access an administrator disabled (cli.js company disable-tags,
    // another process): 403 invalid-org. A token this server has not seen yet is refused at once; one
    // it used a moment ago (cached) within TOKEN_CACHE_TTL_MS; enabling again works the same way.
    const noTagsOrg = `NOTAGS${company.id.slice(2, 10).toUpperCase()}@AdobeOrg`;
    const noTags = await repository.ensureCompany(noTagsOrg);
    await repository.saveToken(noTags.id, 'no-tags-token-0123456789', 'no-tags', ['develop'], null);
    expect(dataOf<Array<{ id: string }>>(await api.get('/companies', { token: 'no-tags-token-0123456789' }))[0]?.id).toBe(noTags.id);
    expect((await repository.setTagsAccess(noTagsOrg, false))?.tags_access).toBe(false);
    await repository.saveToken(noTags.id, 'no-tags-fresh-0123456789', 'fresh', ['develop'], null);
    const denied = expectError(await api.get('/companies', { token: 'no-tags-fresh-0123456789' }), 403, 'invalid-org');
    expect(denied['detail']).toContain(noTagsOrg);
    expect(denied['detail']).toMatch(/no access to Tags/);
    const auth = api.app.get(AuthService);
    const credentials = (token: string) => ({ authorization: `Bearer ${token}`, apiKey: 'test', orgId: undefined });
    const later = () => new Date(Date.now() + TOKEN_CACHE_TTL_MS + 1);
    await expect(auth.authenticate(credentials('no-tags-token-0123456789'), later())).rejects.toMatchObject({ code: 'invalid-org' });
    expect((await api.get('/companies')).status).toBe(200);
    await repository.setTagsAccess(noTagsOrg, true);
    await expect(auth.authenticate(credentials('no-tags-fresh-0123456789'), new Date(Date.now() + 2 * TOKEN_CACHE_TTL_MS + 2))).resolves.toMatchObject({ companyId: noTags.id });
    expect(await repository.setTagsAccess('NOSUCHORG@AdobeOrg', false)).toBeUndefined();
  });

  it('every route except the declared public ones requires a token', async () => {
    const reflector = api.app.get(Reflector);
    const routes = controllerRoutes(api)
      .filter((r) => r.controller !== HealthController)
      .map((r) => ({ method: RequestMethod[r.method], path: r.path, isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [r.handler, r.controller]) === true }));
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => r.isPublic).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /encryption_key', 'GET /extensions/:id/*', 'GET /heartbeat', 'GET /hosted/*', 'POST /ims/token/v3']);
    for (const route of routes.filter((r) => !r.isPublic)) {
      const url = route.path.replace(/:id/g, `PR${'0'.repeat(32)}`).replace('*', 'x');
      const res = await api.request(route.method, url, undefined, { token: null });
      if (res.status !== 401) {
        throw new Error(`${route.method} ${route.path} answered ${res.status} without a token`);
      }
    }
    const board = await fetch(`${api.baseUrl}/admin/queues`);
    expect(board.status).toBe(401);
    const boardOk = await fetch(`${api.baseUrl}/admin/queues`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(boardOk.status).toBe(200);
  });

  it('heartbeat, encryption key and hosted files need no token', async () => {
    const heartbeat = await api.get('/heartbeat', { token: null });
    expect(heartbeat.status).toBe(200);
    const key = await api.get('/encryption_key', { token: null });
    expect(key.status).toBe(200);
    expect(key.text).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expectError(await api.get('/hosted/abc/def/launch-x.min.js', { token: null }), 404, 'not-found');
    expectError(await api.get('/hosted/../../etc/passwd', { token: null }), 404, 'route-not-found');
  });

  it('cross-company access is not-found on every resource type', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const env = dataOf<{ id: string }>(
      await api.post(`/properties/${property}/environments`, { data: { type: 'environments', attributes: { name: 'd', stage: 'development' }, relationships: { host: { data: { id: host, type: 'hosts' } } } } }),
      201,
    ).id;
    const ext = dataOf<Array<{ id: string; relationships: { extension_package: { data: { id: string } } } }>>(await api.get(`/properties/${property}/extensions`))[0];
    const rule = dataOf<{ id: string }>(await api.post(`/properties/${property}/rules`, { data: { type: 'rules', attributes: { name: 'R' } } }), 201).id;
    const de = dataOf<{ id: string }>(
      await api.post(`/properties/${property}/data_elements`, {
        data: { type: 'data_elements', attributes: { name: 'd', delegate_descriptor_id: 'core::dataElements::javascript-variable', settings: '{"path":"a"}' }, relationships: { extension: { data: { id: ext?.id, type: 'extensions' } } } },
      }),
      201,
    ).id;
    const rc = dataOf<{ id: string }>(
      await api.post(`/rules/${rule}/rule_components`, {
        data: { type: 'rule_components', attributes: { name: 'c', delegate_descriptor_id: 'core::events::click', settings: '{"elementSelector":"a"}' }, relationships: { extension: { data: { id: ext?.id, type: 'extensions' } } } },
      }),
      201,
    ).id;
    const library = dataOf<{ id: string }>(await api.post(`/properties/${property}/libraries`, { data: { type: 'libraries', attributes: { name: 'L' } } }), 201).id;
    const note = dataOf<{ id: string }>(await api.post(`/properties/${property}/notes`, { data: { type: 'notes', attributes: { text: 'hi' } } }), 201).id;
    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: env, type: 'environments' } });
    const build = dataOf<{ id: string }>(await api.post(`/libraries/${library}/builds`), 201).id;
    const companyId = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id;
    const event = dataOf<Array<{ id: string }>>(await api.get('/audit_events'))[0]?.id;
    const callback = dataOf<{ id: string }>(await api.post(`/properties/${property}/callbacks`, { data: { attributes: { url: 'https://hooks.example/x', subscriptions: ['environment.deleted'] } } }), 201).id;
    const edge = dataOf<{ id: string }>(await api.post(`/companies/${companyId}/properties`, { data: { type: 'properties', attributes: { name: 'E', platform: 'edge' } } }), 201).id;
    const edgeHost = await createAkamaiHost(api, edge);
    const edgeEnv = dataOf<{ id: string }>(
      await api.post(`/properties/${edge}/environments`, { data: { type: 'environments', attributes: { name: 'e', stage: 'development' }, relationships: { host: { data: { id: edgeHost, type: 'hosts' } } } } }),
      201,
    ).id;
    const secret = dataOf<{ id: string }>(
      await api.post(`/properties/${edge}/secrets`, { data: { type: 'secrets', attributes: { name: 's', type_of: 'token', credentials: { token: 't' } }, relationships: { environment: { data: { id: edgeEnv, type: 'environments' } } } } }),
      201,
    ).id;

    const repository = api.app.get(AuthRepository);
    const other = await repository.ensureCompany('OTHER0000000@AdobeOrg');
    await repository.saveToken(other.id, 'other-company-token-0123', 'other', ['develop', 'approve', 'publish', 'manage_environments', 'manage_extensions'], null);
    const token = 'other-company-token-0123';
    for (const path of [
      `/companies/${companyId}`,
      `/companies/${companyId}/properties`,
      `/properties/${property}`,
      `/hosts/${host}`,
      `/environments/${env}`,
      `/extensions/${ext?.id}`,
      `/data_elements/${de}`,
      `/rules/${rule}`,
      `/rule_components/${rc}`,
      `/libraries/${library}`,
      `/builds/${build}`,
      `/notes/${note}`,
      `/audit_events/${event}`,
      `/properties/${property}/rules`,
      `/libraries/${library}/relationships/rules`,
      `/callbacks/${callback}`,
      `/callbacks/${callback}/property`,
      `/properties/${property}/callbacks`,
      `/secrets/${secret}`,
      `/secrets/${secret}/environment`,
      `/secrets/${secret}/notes`,
      `/properties/${edge}/secrets`,
      `/environments/${edgeEnv}/secrets`,
      `/properties/${property}/audit_events`,
    ]) {
      expectError(await api.get(path, { token }), 404, 'not-found');
    }
    const patch = { data: { id: property, type: 'properties', attributes: { name: 'stolen' } } };
    expectError(await api.patch(`/properties/${property}`, patch, { token }), 404, 'not-found', patch);
    expectError(await api.delete(`/hosts/${host}`, undefined, { token }), 404, 'not-found');
    const callbackPatch = { data: { id: callback, type: 'callbacks', attributes: { url: 'https://attacker.example/' } } };
    expectError(await api.patch(`/callbacks/${callback}`, callbackPatch, { token }), 404, 'not-found', callbackPatch);
    expectError(await api.delete(`/callbacks/${callback}`, undefined, { token }), 404, 'not-found');
    expectError(await api.post(`/properties/${property}/callbacks`, { data: { attributes: { url: 'https://attacker.example/', subscriptions: ['rule.created'] } } }, { token }), 404, 'not-found');
    expect(dataOf<{ attributes: { url: string } }>(await api.get(`/callbacks/${callback}`)).attributes.url).toBe('https://hooks.example/x');
    const secretPatch = { data: { id: secret, type: 'secrets', meta: { action: 'retry' } } };
    expectError(await api.patch(`/secrets/${secret}`, secretPatch, { token }), 404, 'not-found', secretPatch);
    expectError(await api.delete(`/secrets/${secret}`, undefined, { token }), 404, 'not-found');
    expect(dataOf<{ attributes: { status: string } }>(await api.get(`/secrets/${secret}`)).attributes.status).toBe('succeeded');
    expect(dataOf<unknown[]>(await api.get('/audit_events', { token }))).toEqual([]);
  });
});

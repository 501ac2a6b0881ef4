import { AuthRepository } from '../src/auth/auth.repository';
import { uploadPackage } from './package-fixtures';
import { WorkerDouble } from './worker-double';
import { TestApi, createProperty, dataOf, expectError, type TestResponse } from './harness';

const B_TOKEN = 'package-sharing-company-b-0123456789';
const B_ORG = 'SHARINGB0000@AdobeOrg';
const C_TOKEN = 'package-sharing-company-c-0123456789';
const C_ORG = 'SHARINGC0000@AdobeOrg';
const TYPE = 'extension_package_usage_authorizations';

interface Pkg {
  id: string;
  attributes: { name: string; version: string };
}

/*
 * Issue 19 item 5: `GET /extension_packages/{id}/versions` lists every version of the package's
 * name the caller sees (the list grammar applies), and another company's unreleased or private
 * package stays 404 there as everywhere else.
 */
describe('extension package versions across two companies', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  const b = { token: B_TOKEN };
  const pkgs = {} as Record<'v1' | 'v2' | 'v3' | 'bOwn', string>;

  beforeAll(async () => {
    await api.start();
    pkgs.v1 = (await uploadPackage(api, worker, 'acme-shared', '1.0.0')).id;
    pkgs.v2 = (await uploadPackage(api, worker, 'acme-shared', '1.1.0')).id;
    pkgs.v3 = (await uploadPackage(api, worker, 'acme-shared', '2.0.0')).id;
    const repository = api.app.get(AuthRepository);
    const companyB = await repository.ensureCompany(B_ORG);
    await repository.saveToken(companyB.id, B_TOKEN, 'b', ['develop', 'manage_extensions'], null);
    const companyC = await repository.ensureCompany(C_ORG);
    await repository.saveToken(companyC.id, C_TOKEN, 'c', ['develop', 'manage_extensions'], null);
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  const versions = async (id: string, query = '', token?: { token: string }) =>
    dataOf<Pkg[]>(await api.get(`/extension_packages/${id}/versions${query}`, token)).map((p) => `${p.attributes.name}@${p.attributes.version}`);

  it('lists every version of the name from any of its versions, with filter, sort and paging', async () => {
    const all = ['acme-shared@1.0.0', 'acme-shared@1.1.0', 'acme-shared@2.0.0'];
    expect((await versions(pkgs.v2, '?sort=version')).sort()).toEqual(all);
    expect(await versions(pkgs.v1, '?sort=-version')).toEqual([...all].reverse());
    expect(await versions(pkgs.v3, '?filter[version]=EQ 1.1.0')).toEqual(['acme-shared@1.1.0']);
    expect(await versions(pkgs.v3, '?sort=version&page[size]=1&page[number]=2')).toEqual(['acme-shared@1.1.0']);
  });

  it('does not mix in packages of other names', async () => {
    pkgs.bOwn = (await uploadPackage(api, worker, 'beta-own', '1.0.0')).id;
    expect(await versions(pkgs.bOwn)).toEqual(['beta-own@1.0.0']);
  });

  it('answers another company 404 for a package it cannot see', async () => {
    expectError(await api.get(`/extension_packages/${pkgs.v1}/versions`, b), 404, 'not-found');
    expectError(await api.get(`/extension_packages/EP00000000000000000000000000000099/versions`), 404, 'not-found');
  });

  it('shows the public seeded core’s versions to every company', async () => {
    const core = dataOf<Pkg[]>(await api.get('/extension_packages?filter[name]=EQ core', b))[0];
    expect(core).toBeDefined();
    expect((await versions(core?.id ?? '', '', b)).every((v) => v.startsWith('core@'))).toBe(true);
  });
});

interface Grant {
  id: string;
  attributes: { name: string; state: string; authorized_org_id: string; owner_org_id: string };
}

/*
 * Issue 19 item 5: usage authorizations (§2.7). Company A releases a package privately and
 * authorizes B's org; B sees and installs the package only once it approves, C (not authorized, or
 * having rejected) never does, and a deleted authorization hides the package again.
 */
describe('sharing a private extension package with another org', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  const b = { token: B_TOKEN };
  const c = { token: C_TOKEN };
  let pkg = '';
  let grantB = '';
  let propertyB = '';
  let propertyC = '';

  const release = async (id: string) =>
    dataOf(await api.patch(`/extension_packages/${id}`, { data: { id, type: 'extension_packages', attributes: {}, meta: { action: 'release_private' } } }));
  const grantFor = (org: unknown) => ({ data: { type: TYPE, attributes: { authorized_org_id: org } } });
  const install = (property: string, token: { token: string }) =>
    api.post(`/properties/${property}/extensions`, { data: { type: 'extensions', attributes: {}, relationships: { extension_package: { data: { id: pkg, type: 'extension_packages' } } } } }, token);
  const decide = (id: string, body: Record<string, unknown>, token: { token: string }) =>
    api.request('PATCH', `/extension_package_usage_authorizations/${id}`, { data: { id, type: TYPE, ...body } }, token);
  const seesPackage = async (token: { token: string }): Promise<boolean> => {
    const one = await api.get(`/extension_packages/${pkg}`, token);
    const listed = dataOf<Array<{ id: string }>>(await api.get('/extension_packages?filter[name]=EQ acme-private&page[size]=100', token)).map((p) => p.id);
    expect(listed.includes(pkg)).toBe(one.status === 200);
    return one.status === 200;
  };
  const pointerOf = (res: TestResponse, status: number, code: string): unknown => (expectError(res, status, code)['source'] as { pointer?: string } | undefined)?.pointer;

  beforeAll(async () => {
    await api.start();
    const repository = api.app.get(AuthRepository);
    await repository.saveToken((await repository.ensureCompany(B_ORG)).id, B_TOKEN, 'b', ['develop', 'manage_extensions'], null);
    await repository.saveToken((await repository.ensureCompany(C_ORG)).id, C_TOKEN, 'c', ['develop', 'manage_extensions'], null);
    propertyB = await createProperty(api, 'B', B_TOKEN);
    propertyC = await createProperty(api, 'C', C_TOKEN);
    pkg = (await uploadPackage(api, worker, 'acme-private', '1.0.0')).id;
    await release(pkg);
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  it('hides a private package from other companies before any authorization', async () => {
    expect(await seesPackage(b)).toBe(false);
    expectError(await install(propertyB, b), 404, 'not-found');
    expectError(await api.get(`/extension_packages/${pkg}/extension_package_usage_authorizations`, b), 404, 'not-found');
  });

  it('refuses bad documents with pointers, and creation by a company that does not own the package', async () => {
    const path = `/extension_packages/${pkg}/extension_package_usage_authorizations`;
    expect(pointerOf(await api.post(path, { data: { type: TYPE, attributes: {} } }), 422, 'validation-error')).toBe('/data/attributes/authorized_org_id');
    expect(pointerOf(await api.post(path, grantFor(42)), 422, 'validation-error')).toBe('/data/attributes/authorized_org_id');
    expect(pointerOf(await api.post(path, grantFor(api.org)), 422, 'validation-error')).toBe('/data/attributes/authorized_org_id');
    expect((await api.post(path, { data: { type: 'extension_packages', attributes: { authorized_org_id: B_ORG } } })).status).toBe(409);
    expectError(await api.post(path, grantFor(C_ORG), b), 404, 'not-found');
    const core = dataOf<Array<{ id: string }>>(await api.get('/extension_packages?filter[name]=EQ core', b))[0]?.id ?? '';
    expectError(await api.post(`/extension_packages/${core}/extension_package_usage_authorizations`, grantFor(C_ORG), b), 403, 'not-authorized');
  });

  it('creates a pending authorization that shows nothing until the authorized org approves it', async () => {
    const created = dataOf<Grant>(await api.post(`/extension_packages/${pkg}/extension_package_usage_authorizations`, grantFor(B_ORG)), 201);
    grantB = created.id;
    expect(created.id).toMatch(/^EA[0-9a-f]{32}$/);
    expect(created.attributes).toMatchObject({ name: 'acme-private', state: 'pending_approval', authorized_org_id: B_ORG, owner_org_id: api.org });
    expectError(await api.post(`/extension_packages/${pkg}/extension_package_usage_authorizations`, grantFor(B_ORG)), 422, 'not-unique');
    expect(dataOf<Grant>(await api.get(`/extension_package_usage_authorizations/${grantB}`, b)).attributes.state).toBe('pending_approval');
    expect(dataOf<Grant[]>(await api.get(`/extension_packages/${pkg}/extension_package_usage_authorizations`, b)).map((g) => g.id)).toEqual([grantB]);
    expect(await seesPackage(b)).toBe(false);
    expectError(await install(propertyB, b), 404, 'not-found');
    expectError(await api.get(`/extension_package_usage_authorizations/${grantB}`, c), 404, 'not-found');
  });

  it('lets only the authorized org approve; then it sees and installs every private version, others still do not', async () => {
    expectError(await decide(grantB, { attributes: { state: 'approved' } }, { token: api.token }), 403, 'not-authorized');
    expectError(await decide(grantB, { attributes: { state: 'approved' } }, c), 404, 'not-found');
    expect(pointerOf(await decide(grantB, { attributes: { state: 'accepted!' } }, b), 422, 'validation-error')).toBe('/data/attributes/state');
    expect(dataOf<Grant>(await decide(grantB, { attributes: { state: 'approved' } }, b)).attributes.state).toBe('approved');
    expect(await seesPackage(b)).toBe(true);
    expect((await install(propertyB, b)).status).toBe(201);
    const v2 = (await uploadPackage(api, worker, 'acme-private', '1.1.0')).id;
    const versions = async () => dataOf<Array<{ id: string }>>(await api.get(`/extension_packages/${pkg}/versions`, b)).map((p) => p.id);
    expect(await versions()).toEqual([pkg]);
    await release(v2);
    expect((await versions()).sort()).toEqual([pkg, v2].sort());
    expect(await seesPackage(c)).toBe(false);
    expectError(await install(propertyC, c), 404, 'not-found');
    expectError(await decide(grantB, { attributes: { state: 'rejected' } }, b), 422, 'invalid-action');
  });

  it('a rejected authorization shows nothing; deleting an approved one hides the package again', async () => {
    const grantC = dataOf<Grant>(await api.post(`/extension_packages/${pkg}/extension_package_usage_authorizations`, grantFor(C_ORG)), 201).id;
    expect(dataOf<Grant>(await decide(grantC, { meta: { action: 'reject' } }, c)).attributes.state).toBe('rejected');
    expect(await seesPackage(c)).toBe(false);
    expect(dataOf<Grant[]>(await api.get(`/extension_packages/${pkg}/extension_package_usage_authorizations?sort=created_at`)).map((g) => g.id)).toEqual([grantB, grantC]);
    expectError(await api.request('DELETE', `/extension_package_usage_authorizations/${grantB}`, undefined, b), 403, 'not-authorized');
    expect((await api.request('DELETE', `/extension_package_usage_authorizations/${grantB}`)).status).toBe(204);
    expect(await seesPackage(b)).toBe(false);
    expectError(await api.get(`/extension_package_usage_authorizations/${grantB}`, b), 404, 'not-found');
  });
});

import { AuthRepository } from '../src/auth/auth.repository';
import { uploadPackage } from './package-fixtures';
import { WorkerDouble } from './worker-double';
import { TestApi, dataOf, expectError } from './harness';

const B_TOKEN = 'package-sharing-company-b-0123456789';
const B_ORG = 'SHARINGB0000@AdobeOrg';

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

import { TestApi, createAkamaiHost, createEnvironment, createLibrary, createProperty, createRule, dataOf, expectError, revise } from './harness';
import { uploadPackage } from './package-fixtures';
import { WorkerDouble } from './worker-double';

interface Extension {
  id: string;
  attributes: { name: string; version: string; dirty: boolean; revision_number: number };
  relationships: { extension_package: { data: { id: string } } };
}

describe('extension upgrades, stale libraries and upgraded-extension-required (§2.5, §2.8, §3.3, §4.1)', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  let property: string;
  let host: string;
  let v1: string;
  let v2: string;
  let extension: string;
  let rev1: string;

  beforeAll(async () => {
    await api.start();
    property = await createProperty(api);
    host = await createAkamaiHost(api, property);
    v1 = (await uploadPackage(api, worker, 'acme-upgrade', '1.0.0')).id;
    v2 = (await uploadPackage(api, worker, 'acme-upgrade', '1.1.0')).id;
    extension = dataOf<{ id: string }>(
      await api.post(`/properties/${property}/extensions`, { data: { type: 'extensions', attributes: {}, relationships: { extension_package: { data: { id: v1, type: 'extension_packages' } } } } }),
      201,
    ).id;
    rev1 = await revise(api, 'extensions', extension);
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  const upgradeTo = (packageId: string) => {
    const body = { data: { id: extension, type: 'extensions', relationships: { extension_package: { data: { id: packageId, type: 'extension_packages' } } } } };
    return { body, response: api.patch(`/extensions/${extension}`, body) };
  };

  /** A development library on its own development environment, holding `ids` (extension revisions). */
  async function library(name: string, extensions: string[]): Promise<{ id: string; env: string }> {
    const id = await createLibrary(api, property, name);
    const env = await createEnvironment(api, property, host, 'development', `${name}-env`);
    dataOf(await api.patch(`/libraries/${id}/relationships/environment`, { data: { id: env, type: 'environments' } }));
    if (extensions.length > 0) {
      dataOf(await api.post(`/libraries/${id}/relationships/extensions`, { data: extensions.map((e) => ({ id: e, type: 'extensions' })) }));
    }
    return { id, env };
  }

  async function buildOk(lib: { id: string; env: string }): Promise<void> {
    const build = dataOf<{ id: string }>(await api.post(`/libraries/${lib.id}/builds`), 201).id;
    expect(await worker.post(worker.buildSucceeded(build, lib.id, lib.env))).toBe('applied');
  }

  const stale = async (id: string) => dataOf<{ attributes: { stale: string | null } }>(await api.get(`/libraries/${id}`)).attributes.stale;

  it('refuses an upgrade to another package, an older or equal version, or an unprocessed package (422 with a pointer)', async () => {
    const other = (await uploadPackage(api, worker, 'acme-other', '9.0.0')).id;
    const older = (await uploadPackage(api, worker, 'acme-upgrade', '0.9.0')).id;
    const pending = (await uploadPackage(api, worker, 'acme-upgrade', '3.0.0', false)).id;
    for (const [packageId, code] of [
      [other, 'validation-error'],
      [older, 'validation-error'],
      [v1, null],
      [pending, 'invalid-extension'],
    ] as const) {
      const { body, response } = upgradeTo(packageId);
      const res = await response;
      if (code === null) {
        // The same package is no upgrade: an ordinary PATCH.
        expect(dataOf<Extension>(res).attributes.version).toBe('1.0.0');
        continue;
      }
      const error = expectError(res, 422, code, body);
      expect(error['source']).toEqual({ pointer: '/data/relationships/extension_package/data/id' });
    }
    const head = dataOf<Extension>(await api.get(`/extensions/${extension}`));
    expect(head.attributes.version).toBe('1.0.0');
    expect(head.relationships.extension_package.data.id).toBe(v1);
  });

  it('an upgrade edits the head (same id, newer version, dirty); libraries holding the older revision become stale: extension_upgraded, a build clears it', async () => {
    const holding = await library('holding', [rev1]);
    await buildOk(holding);
    const untouched = await library('untouched', []);
    await buildOk(untouched);
    expect(await stale(holding.id)).toBeNull();

    const upgraded = dataOf<Extension>(await upgradeTo(v2).response);
    expect(upgraded).toMatchObject({ id: extension, attributes: { name: 'acme-upgrade', version: '1.1.0', dirty: true, revision_number: 0 }, relationships: { extension_package: { data: { id: v2 } } } });
    expect(dataOf<Extension>(await api.get(`/extensions/${rev1}`)).attributes.version).toBe('1.0.0');
    expect(await stale(holding.id)).toBe('extension_upgraded');
    expect(await stale(untouched.id)).toBeNull();
    const listed = dataOf<Array<{ id: string }>>(await api.get(`/properties/${property}/libraries?filter[stale]=EQ extension_upgraded`)).map((l) => l.id);
    expect(listed).toContain(holding.id);

    // Revised, the upgrade is required in every build until it reaches production.
    const rev2 = await revise(api, 'extensions', extension);
    expect(dataOf<Extension>(await api.get(`/extensions/${rev2}`)).attributes.version).toBe('1.1.0');
    const refused = expectError(await api.post(`/libraries/${holding.id}/builds`), 422, 'upgraded-extension-required');
    expect(String(refused['detail'])).toContain(rev2);
    expectError(await api.post(`/libraries/${untouched.id}/builds`), 422, 'upgraded-extension-required');

    dataOf(await api.patch(`/libraries/${holding.id}/relationships/extensions`, { data: [{ id: rev2, type: 'extensions' }] }));
    await buildOk(holding);
    expect(await stale(holding.id)).toBeNull();
  });

  it('upstream_changed: a library whose upstream becomes another library is stale until built', async () => {
    const rev = (await api.get(`/extensions/${extension}/revisions?filter[revision_number]=EQ 2`)).body as { data: Array<{ id: string }> };
    const upgradedRevision = rev.data[0]?.id ?? '';
    const first = await library('first', [upgradedRevision]);
    const rule = await revise(api, 'rules', await createRule(api, property, 'R'));
    dataOf(await api.post(`/libraries/${first.id}/relationships/rules`, { data: [{ id: rule, type: 'rules' }] }));
    const second = await library('second', [upgradedRevision]);
    await buildOk(first);
    await buildOk(second);
    expect(await stale(second.id)).toBeNull();

    dataOf(await api.patch(`/libraries/${first.id}`, { data: { id: first.id, type: 'libraries', meta: { action: 'submit' } } }));
    const view = dataOf<{ attributes: { stale: string | null }; relationships: { upstream_library: { data: { id: string } | null } } }>(await api.get(`/libraries/${second.id}`));
    expect(view.relationships.upstream_library.data?.id).toBe(first.id);
    expect(view.attributes.stale).toBe('upstream_changed');
    expect(await stale(first.id)).toBeNull();
    await buildOk(second);
    expect(await stale(second.id)).toBeNull();
  });
  it('upstream_changed on publish: an approved library whose upstream becomes the newly published one is stale', async () => {
    const own = await createProperty(api);
    const ownHost = await createAkamaiHost(api, own);
    const act = async (id: string, action: string) => dataOf(await api.patch(`/libraries/${id}`, { data: { id, type: 'libraries', meta: { action } } }));
    const buildOn = async (id: string, env: string) => {
      dataOf(await api.patch(`/libraries/${id}/relationships/environment`, { data: { id: env, type: 'environments' } }));
      const build = dataOf<{ id: string }>(await api.post(`/libraries/${id}/builds`), 201).id;
      expect(await worker.post(worker.buildSucceeded(build, id, env))).toBe('applied');
    };
    const staging = await createEnvironment(api, own, ownHost, 'staging');
    /** A library taken to `approved` through its own development environment and the staging one (released after). */
    const approved = async (name: string) => {
      const id = await createLibrary(api, own, name);
      await buildOn(id, await createEnvironment(api, own, ownHost, 'development', `${name}-dev`));
      await act(id, 'submit');
      await buildOn(id, staging);
      await act(id, 'approve');
      expect((await api.delete(`/libraries/${id}/relationships/environment`)).status).toBeLessThan(300);
      return id;
    };
    const first = await approved('first');
    const second = await approved('second');
    expect(await stale(second)).toBeNull();
    await buildOn(first, await createEnvironment(api, own, ownHost, 'production'));
    expect(dataOf<{ attributes: { state: string } }>(await api.get(`/libraries/${first}`)).attributes.state).toBe('published');
    const view = dataOf<{ attributes: { stale: string | null }; relationships: { upstream_library: { data: { id: string } | null } } }>(await api.get(`/libraries/${second}`));
    expect(view.relationships.upstream_library.data?.id).toBe(first);
    expect(view.attributes.stale).toBe('upstream_changed');
  });
});

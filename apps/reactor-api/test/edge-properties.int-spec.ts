import type { BlobStore } from '@openexp/blob-store';
import { JobName, QueueName, type BuildSnapshot, type HostPretestResult } from '@openexp/queue-contracts';
import { BLOB_STORE } from '../src/blobs/blob.provider';
import { DB, type Db } from '../src/database/database';
import { TestApi, coreExtension, createAkamaiHost, createEnvironment, createProperty, createRule, dataOf, expectError, revise } from './harness';
import { uploadPackage } from './package-fixtures';
import { WorkerDouble } from './worker-double';

interface Doc {
  id: string;
  attributes: Record<string, unknown>;
  relationships: { extension_package: { data: { id: string } } };
}

/*
 * Edge (event forwarding) properties (issue 19 item 6, API side): Adobe's core-edge package is
 * seeded from node_modules beside our web core, installed into new edge properties, validated with
 * its own schemas, kept off web properties (and web packages off edge ones), and an edge library
 * builds up to the queued job, whose snapshot says `platform: edge`.
 */
describe('edge properties', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  let companyId = '';
  let edgeCore: { id: string; files_prefix: string | null; trusted: boolean };
  let webCoreId = '';

  beforeAll(async () => {
    await api.start();
    companyId = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id ?? '';
    const rows = await api.app.get<Db>(DB).selectFrom('extension_packages').select(['id', 'platform', 'files_prefix', 'trusted']).where('name', '=', 'core').execute();
    edgeCore = rows.find((r) => r.platform === 'edge') ?? { id: '', files_prefix: null, trusted: false };
    webCoreId = rows.find((r) => r.platform === 'web')?.id ?? '';
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  const createOf = async (platform: 'edge' | 'mobile'): Promise<string> =>
    dataOf<{ id: string }>(await api.post(`/companies/${companyId}/properties`, { data: { type: 'properties', attributes: { name: `P ${platform}`, platform } } }), 201).id;
  const install = (packageId: string) => ({
    data: { type: 'extensions', attributes: {}, relationships: { extension_package: { data: { id: packageId, type: 'extension_packages' } } } },
  });
  const dataElement = (extension: string, delegate: string, settings: unknown) => ({
    data: {
      type: 'data_elements',
      attributes: { name: `DE ${delegate} ${JSON.stringify(settings)}`, delegate_descriptor_id: delegate, settings: JSON.stringify(settings) },
      relationships: { extension: { data: { id: extension, type: 'extensions' } } },
    },
  });
  const component = (extension: string, rule: string, delegate: string, settings: unknown) => ({
    data: {
      type: 'rule_components',
      attributes: { name: delegate, delegate_descriptor_id: delegate, settings: JSON.stringify(settings) },
      relationships: { extension: { data: { id: extension, type: 'extensions' } }, rules: { data: [{ id: rule, type: 'rules' }] } },
    },
  });

  it('seeds core-edge as public, trusted and succeeded, with only the files a package needs', async () => {
    const listed = dataOf<Doc[]>(await api.get('/extension_packages?filter[name]=EQ core&filter[platform]=EQ edge'));
    expect(listed.map((p) => p.id)).toEqual([edgeCore.id]);
    expect(listed[0]?.attributes).toMatchObject({ status: 'succeeded', availability: 'public', platform: 'edge', version: '1.4.0' });
    expect(edgeCore.trusted).toBe(true);
    const prefix = edgeCore.files_prefix ?? '';
    const files = (await api.app.get<BlobStore>(BLOB_STORE).list(prefix)).map((key) => key.slice(prefix.length + 1));
    expect(files).toEqual(
      expect.arrayContaining(['extension.json', 'LICENSE', 'src/lib/actions/customCode.js', 'src/lib/helpers/getValue.js', 'dist/actions/customCode.html', 'resources/icons/core.svg']),
    );
    expect(files.filter((f) => !/^(extension\.json|LICENSE|COPYRIGHT|(src|dist|resources)\/.+)$/.test(f))).toEqual([]);
  });

  it('keeps the web and edge core apart in versions (same name, another platform)', async () => {
    const versions = (id: string) => api.get(`/extension_packages/${id}/versions`).then((res) => dataOf<Doc[]>(res).map((p) => `${String(p.attributes['platform'])} ${String(p.attributes['version'])}`));
    expect(await versions(edgeCore.id)).toEqual(['edge 1.4.0']);
    expect(await versions(webCoreId)).toEqual(['web 1.0.0']);
  });

  it('installs core-edge into a new edge property and nothing into a mobile one', async () => {
    const edge = await createOf('edge');
    const extensions = dataOf<Doc[]>(await api.get(`/properties/${edge}/extensions`));
    expect(extensions.map((e) => [e.attributes['name'], e.attributes['version'], e.relationships.extension_package.data.id])).toEqual([['core', '1.4.0', edgeCore.id]]);
    expect(dataOf<Doc[]>(await api.get(`/properties/${await createOf('mobile')}/extensions`))).toEqual([]);
  });

  it('refuses a package of another platform on install and on upgrade: 422 extension-platform-mismatch at the relationship', async () => {
    const edge = await createOf('edge');
    const webPackage = (await uploadPackage(api, worker, 'acme-web', '1.0.0')).id;
    const onEdge = install(webPackage);
    const error = expectError(await api.post(`/properties/${edge}/extensions`, onEdge), 422, 'extension-platform-mismatch', onEdge);
    expect(error['source']).toEqual({ pointer: '/data/relationships/extension_package' });
    expect(error['meta']).toMatchObject({ package_platform: 'web', property_platform: 'edge' });
    expectError(await api.post(`/properties/${edge}/extensions`, install(webCoreId)), 422, 'extension-platform-mismatch');

    const web = await createProperty(api);
    const webCore = await coreExtension(api, web);
    const upgrade = { data: { id: webCore, type: 'extensions', relationships: { extension_package: { data: { id: edgeCore.id, type: 'extension_packages' } } } } };
    const refused = expectError(await api.patch(`/extensions/${webCore}`, upgrade), 422, 'extension-platform-mismatch', upgrade);
    expect(refused['meta']).toMatchObject({ package_platform: 'edge', property_platform: 'web' });
    expect(dataOf<Doc>(await api.get(`/extensions/${webCore}`)).relationships.extension_package.data.id).toBe(webCoreId);
  });

  it("validates core-edge settings with the package's own schemas; a web-only delegate is unresolved", async () => {
    const edge = await createOf('edge');
    const core = await coreExtension(api, edge);
    const rule = await createRule(api, edge, 'R');
    dataOf(await api.post(`/properties/${edge}/data_elements`, dataElement(core, 'core::dataElements::path', { path: 'arc.event.xdm.foo' })), 201);
    dataOf(await api.post(`/properties/${edge}/rule_components`, component(core, rule, 'core::actions::custom-code', { keyName: 'k', source: 'return 1;' })), 201);
    const click = component(core, rule, 'core::events::click', {});
    expectError(await api.post(`/properties/${edge}/rule_components`, click), 422, 'delegate-descriptor-unresolved', click);
    const noKey = component(core, rule, 'core::actions::custom-code', { source: 'return 1;' });
    expectError(await api.post(`/properties/${edge}/rule_components`, noKey), 422, 'invalid-settings', noKey);
  });

  it('refuses attributes an edge library cannot honour (storage_duration, delay_next false) instead of dropping them at build', async () => {
    const edge = await createOf('edge');
    const core = await coreExtension(api, edge);
    const rule = await createRule(api, edge, 'R');
    const stored = dataElement(core, 'core::dataElements::path', { path: 'arc.event.xdm.stored' });
    stored.data.attributes = { ...stored.data.attributes, storage_duration: 'session' } as typeof stored.data.attributes;
    const storedError = expectError(await api.post(`/properties/${edge}/data_elements`, stored), 422, 'validation-error', stored);
    expect(storedError['source']).toEqual({ pointer: '/data/attributes/storage_duration' });
    const parallel = component(core, rule, 'core::actions::custom-code', { keyName: 'p', source: 'return 1;' });
    parallel.data.attributes = { ...parallel.data.attributes, delay_next: false } as typeof parallel.data.attributes;
    const parallelError = expectError(await api.post(`/properties/${edge}/rule_components`, parallel), 422, 'validation-error', parallel);
    expect(parallelError['source']).toEqual({ pointer: '/data/attributes/delay_next' });
    // The values edge behaves as are accepted, sent or not.
    const sequential = component(core, rule, 'core::actions::custom-code', { keyName: 's', source: 'return 1;' });
    sequential.data.attributes = { ...sequential.data.attributes, delay_next: true } as typeof sequential.data.attributes;
    dataOf(await api.post(`/properties/${edge}/rule_components`, sequential), 201);
  });

  /** A succeeded SFTP host (the worker double answers its pretest). */
  const sftpHost = async (property: string): Promise<string> => {
    const attributes = { name: 'S', type_of: 'sftp', server: 'files.example.com', path: '/srv', port: 22, username: 'deploy', encrypted_private_key: '-----BEGIN PGP MESSAGE-----\n\nx\n-----END PGP MESSAGE-----' };
    const host = dataOf<{ id: string }>(await api.post(`/properties/${property}/hosts`, { data: { type: 'hosts', attributes } }), 201).id;
    const result: HostPretestResult = { hostId: host, hostRevision: 1, status: 'succeeded', failures: [], finishedAt: new Date().toISOString() };
    expect(await worker.post({ name: JobName.HostPretestResult, data: result })).toBe('applied');
    return host;
  };

  it.each([
    ['managed', 'akamai', (property: string) => createAkamaiHost(api, property)],
    ['SFTP', 'sftp', sftpHost],
  ] as const)('builds an edge library on a %s host up to the queued job: platform edge, core-edge with its manifest and files', async (_, hostType, createHost) => {
    const edge = await createOf('edge');
    const environment = await createEnvironment(api, edge, await createHost(edge), 'development');
    const core = await coreExtension(api, edge);
    const element = dataOf<{ id: string }>(await api.post(`/properties/${edge}/data_elements`, dataElement(core, 'core::dataElements::path', { path: 'arc.event.xdm.foo' })), 201).id;
    const rule = await createRule(api, edge, 'Forward');
    dataOf(await api.post(`/properties/${edge}/rule_components`, component(core, rule, 'core::actions::custom-code', { keyName: 'out', source: 'return "{{DE}}";' })), 201);
    const rel = (type: string, id: string) => ({ data: [{ id, type }] });
    const relationships = { extensions: rel('extensions', await revise(api, 'extensions', core)), data_elements: rel('data_elements', await revise(api, 'data_elements', element)), rules: rel('rules', await revise(api, 'rules', rule)) };
    const library = dataOf<{ id: string }>(await api.post(`/properties/${edge}/libraries`, { data: { type: 'libraries', attributes: { name: 'L' }, relationships } }), 201).id;
    expect((await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: environment, type: 'environments' } })).status).toBeLessThan(300);
    const build = dataOf<{ id: string; attributes: { status: string } }>(await api.post(`/libraries/${library}/builds`), 201);
    expect(build.attributes.status).toBe('pending');

    const snapshot = (await worker.job(QueueName.Builds, `build-${build.id}`))?.data.snapshot as BuildSnapshot;
    expect(snapshot.property).toMatchObject({ id: edge, platform: 'edge' });
    expect(snapshot.host.type).toBe(hostType);
    expect(snapshot.extensions.map((e) => e.extensionPackage)).toEqual([
      expect.objectContaining({ id: edgeCore.id, name: 'core', version: '1.4.0', filesPrefix: edgeCore.files_prefix, trusted: true, manifest: expect.objectContaining({ platform: 'edge' }) }),
    ]);
    expect(snapshot.dataElements.map((d) => [d.delegateDescriptorId, d.settings])).toEqual([['core::dataElements::path', JSON.stringify({ path: 'arc.event.xdm.foo' })]]);
    expect(snapshot.rules[0]?.components.map((c) => [c.delegateDescriptorId, c.settings])).toEqual([['core::actions::custom-code', JSON.stringify({ keyName: 'out', source: 'return "{{DE}}";' })]]);
  });
});

import { JobName, QueueName, type ExtensionManifest, type ExtensionPackageResult } from '@openexp/queue-contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsBlobStore } from '@openexp/blob-store';
import { TestApi, createAkamaiHost, createProperty, dataOf, expectError } from './harness';
import { manifestOf, packageForm, zip } from './package-fixtures';
import { WorkerDouble } from './worker-double';

const manifest = (version: string): ExtensionManifest => manifestOf('acme-tools', version, 'Acme Tools');

describe('reactor-api extension packages and managed delivery', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  beforeAll(() => api.start());
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  it('uploads a package (202-style 201, pending, zip stored, job), applies the result, re-uploads by PATCH, releases, then refuses uploads (32)', async () => {
    const upload = await zip({ 'extension.json': JSON.stringify(manifest('1.0.0')), 'src/lib/a.js': 'module.exports = 1;' });
    const created = dataOf<{ id: string; attributes: Record<string, unknown> }>(await api.request('POST', '/extension_packages', undefined, { raw: packageForm(upload) }), 201);
    expect(created.id).toMatch(/^EP[0-9a-f]{32}$/);
    expect(created.attributes).toMatchObject({ status: 'pending', availability: 'development', name: 'acme-tools', version: '1.0.0' });
    const jobs = await worker.queue(QueueName.ExtensionPackages).getJobs(['waiting', 'delayed', 'active']);
    const job = jobs.find((j) => j.data.extensionPackageId === created.id);
    expect(job?.data).toMatchObject({ extensionPackageId: created.id, trusted: false, ownerOrgId: api.org });
    const uploadKey = job?.data.uploadKey as string;
    expect(uploadKey).toMatch(new RegExp(`^packages/${created.id}/uploads/[0-9a-f]{32}\\.zip$`));
    const stored = readFileSync(join(api.config.blobRoot, uploadKey));
    expect(stored.equals(upload)).toBe(true);

    const discovery = await api.get(`/extension_packages?page[size]=1&page[number]=1&filter[name]=EQ acme-tools&filter[platform]=EQ web&filter[availability]=EQ development`);
    expect(dataOf<Array<{ id: string }>>(discovery).map((p) => p.id)).toEqual([created.id]);

    const data: ExtensionPackageResult = { extensionPackageId: created.id, uploadKey, status: 'succeeded', failures: [], manifest: manifest('1.0.0'), filesPrefix: String(job?.data.filesPrefix), finishedAt: new Date().toISOString() };
    const result = { name: JobName.ExtensionPackageResult, data } as const;
    expect(await worker.post(result)).toBe('applied');
    const succeeded = dataOf<{ attributes: { status: string; data_elements: Array<{ id: string }> } }>(await api.get(`/extension_packages/${created.id}`));
    expect(succeeded.attributes.status).toBe('succeeded');
    expect(succeeded.attributes.data_elements.map((d) => d.id)).toEqual(['acme-tools::dataElements::javascript-variable']);

    const second = await zip({ 'extension.json': JSON.stringify(manifest('1.0.1')) });
    const patched = dataOf<{ attributes: { status: string; version: string } }>(await api.request('PATCH', `/extension_packages/${created.id}`, undefined, { raw: packageForm(second) }));
    expect(patched.attributes).toMatchObject({ status: 'pending', version: '1.0.1' });
    expect(await worker.post(result, '-stale')).toBe('dropped');

    const newKey = (await worker.queue(QueueName.ExtensionPackages).getJobs(['waiting', 'delayed'])).map((j) => j.data).find((d) => d.extensionPackageId === created.id && d.uploadKey !== uploadKey);
    expect(newKey?.expected).toEqual({ name: 'acme-tools', platform: 'web' });
    const failureData: ExtensionPackageResult = { ...data, uploadKey: String(newKey?.uploadKey), filesPrefix: String(newKey?.filesPrefix), status: 'failed', failures: [{ code: 'library-file-not-found', detail: 'src/lib/x.js is not a file.' }] };
    expect(await worker.post({ name: JobName.ExtensionPackageResult, data: failureData })).toBe('applied');
    const failed = dataOf<{ attributes: { status: string }; meta: { status_details: { errors: Array<Record<string, unknown>> } } }>(await api.get(`/extension_packages/${created.id}`));
    expect(failed.attributes.status).toBe('failed');
    expect(failed.meta.status_details.errors[0]).toMatchObject({ code: 'library-file-not-found', title: 'Library File Not Found', detail: 'src/lib/x.js is not a file.' });

    const third = await zip({ 'extension.json': JSON.stringify(manifest('1.0.2')) });
    await api.request('POST', `/extension_packages/${created.id}`, undefined, { raw: packageForm(third) });
    const latest = (await worker.queue(QueueName.ExtensionPackages).getJobs(['waiting', 'delayed'])).map((j) => j.data).find((d) => d.extensionPackageId === created.id && d.uploadKey !== uploadKey && d.uploadKey !== newKey?.uploadKey);
    await worker.post({ name: JobName.ExtensionPackageResult, data: { ...data, uploadKey: String(latest?.uploadKey), filesPrefix: String(latest?.filesPrefix), manifest: manifest('1.0.2') } });
    const release = { id: created.id, type: 'extension_packages', attributes: {}, meta: { action: 'release_private' } };
    const released = dataOf<{ attributes: { availability: string } }>(await api.patch(`/extension_packages/${created.id}`, release));
    expect(released.attributes.availability).toBe('private');
    expectError(await api.request('PATCH', `/extension_packages/${created.id}`, undefined, { raw: packageForm(third) }), 403, 'read-only');
  });

  it('31: random bytes → immediate extension-package-zip-error; wrong field → 422', async () => {
    expectError(await api.request('POST', '/extension_packages', undefined, { raw: packageForm(Buffer.from('not a zip at all')) }), 422, 'extension-package-zip-error');
    expectError(await api.request('POST', '/extension_packages', undefined, { raw: packageForm(await zip({ 'a.txt': 'x' })) }), 422, 'extension-package-zip-error');
    expectError(await api.request('POST', '/extension_packages', undefined, { raw: packageForm(await zip({ 'extension.json': '{}' }), 'file') }), 422, 'validation-error');
  });

  it('serves managed-host files read-only with the agreed cache headers', async () => {
    const property = await createProperty(api);
    await createAkamaiHost(api, property);
    const blobs = new FsBlobStore(api.config.blobRoot);
    await blobs.put('hosted/aaaaaaaaaaaa/bbbbbbbbbbbb/cccccccccccc/launch-dddddddddddd-development.min.js', '// build');
    await blobs.put('hosted/aaaaaaaaaaaa/bbbbbbbbbbbb/launch-dddddddddddd-development.min.js', '// current');
    await blobs.put('hosted/aaaaaaaaaaaa/bbbbbbbbbbbb/launch-dddddddddddd.min.js', '// prod');
    const perBuild = await fetch(`${api.baseUrl}/hosted/aaaaaaaaaaaa/bbbbbbbbbbbb/cccccccccccc/launch-dddddddddddd-development.min.js`);
    expect(perBuild.status).toBe(200);
    expect(perBuild.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(perBuild.headers.get('content-type')).toMatch(/^text\/javascript; charset=utf-8$/);
    expect(await perBuild.text()).toBe('// build');
    const current = await fetch(`${api.baseUrl}/hosted/aaaaaaaaaaaa/bbbbbbbbbbbb/launch-dddddddddddd-development.min.js`);
    expect(current.headers.get('cache-control')).toBe('max-age=0, no-cache, no-store');
    const prod = await fetch(`${api.baseUrl}/hosted/aaaaaaaaaaaa/bbbbbbbbbbbb/launch-dddddddddddd.min.js`);
    expect(prod.headers.get('cache-control')).toBe('public, max-age=3600');
  });
});

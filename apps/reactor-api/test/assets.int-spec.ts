import { FsBlobStore } from '@openexp/blob-store';
import { request as httpRequest } from 'node:http';
import { TestApi, coreExtension, createProperty, dataOf, expectError } from './harness';
import { uploadPackage } from './package-fixtures';
import { WorkerDouble } from './worker-double';

/** GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('extension package assets at cdn_path (§2.7, §5.3)', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  let packageId: string;
  let filesPrefix: string;

  beforeAll(async () => {
    await api.start();
    ({ id: packageId, filesPrefix } = await uploadPackage(api, worker, 'acme-assets', '1.0.0'));
    // What the worker extracts from the zip.
    const blobs = new FsBlobStore(api.config.blobRoot);
    await blobs.put(`${filesPrefix}/extension.json`, '{"name":"acme-assets"}');
    await blobs.put(`${filesPrefix}/src/view/configuration.html`, '<!doctype html><script src="../lib/view.js"></script>');
    await blobs.put(`${filesPrefix}/src/lib/view.js`, 'window.x = 1;');
    await blobs.put(`${filesPrefix}/src/view/icon.png`, PNG);
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  it('cdn_path is {PUBLIC_BASE_URL}/extensions/{EP id} once processed, null before', async () => {
    const pkg = dataOf<{ attributes: { cdn_path: string | null } }>(await api.get(`/extension_packages/${packageId}`));
    expect(pkg.attributes.cdn_path).toBe(`http://reactor.test/extensions/${packageId}`);
    const pending = await uploadPackage(api, worker, 'acme-pending', '1.0.0', false);
    expect(dataOf<{ attributes: { cdn_path: string | null } }>(await api.get(`/extension_packages/${pending.id}`)).attributes.cdn_path).toBeNull();
    expectError(await api.get(`/extensions/${pending.id}/extension.json`, { token: null }), 404, 'not-found');
  });

  it('serves the extracted files without a token, with their content types; HTML sandboxed; development packages revalidate by ETag', async () => {
    const base = `${api.baseUrl}/extensions/${packageId}`;
    const html = await fetch(`${base}/src/view/configuration.html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toMatch(/^sandbox allow-scripts/);
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.headers.get('cache-control')).toBe('public, no-cache');
    expect(await html.text()).toContain('../lib/view.js');
    const etag = html.headers.get('etag') ?? '';
    expect(etag).toBe(`"${filesPrefix.split('/').pop()}"`);
    const again = await fetch(`${base}/src/view/configuration.html`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await fetch(`${base}/src/view/configuration.html`, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
    expect((await fetch(`${base}/src/view/configuration.html`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);

    const js = await fetch(`${base}/src/lib/view.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBeNull();
    expect(await js.text()).toBe('window.x = 1;');
    const png = await fetch(`${base}/src/view/icon.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).equals(PNG)).toBe(true);
    const json = await fetch(`${base}/extension.json`);
    // A stored file keeps its own type: API documents alone are application/vnd.api+json.
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await json.json()) as { name: string }).name).toBe('acme-assets');
    expectError(await api.get(`/extensions/${packageId}/src/view/missing.html`, { token: null }), 404, 'not-found');
    expectError(await api.get(`/extensions/EP${'0'.repeat(32)}/extension.json`, { token: null }), 404, 'not-found');
  });

  it('released (frozen) packages are cached for a year', async () => {
    dataOf(await api.patch(`/extension_packages/${packageId}`, { data: { id: packageId, type: 'extension_packages', meta: { action: 'release_private' } } }));
    const res = await fetch(`${api.baseUrl}/extensions/${packageId}/src/lib/view.js`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('paths that leave the package files are not found (the stored upload zip next to them included)', async () => {
    const uploads = await new FsBlobStore(api.config.blobRoot).list(`packages/${packageId}/uploads`);
    const zipName = uploads[0]?.split('/').pop() ?? '';
    expect(zipName).toMatch(/\.zip$/);
    for (const path of [
      `/extensions/${packageId}/../uploads/${zipName}`,
      `/extensions/${packageId}/src/..%2f..%2fuploads%2f${zipName}`,
      `/extensions/${packageId}/%2e%2e/%2e%2e/uploads/${zipName}`,
      `/extensions/${packageId}/src//lib/view.js`,
      `/extensions/${packageId}/src%5clib%5cview.js`,
      `/extensions/${packageId}/%2fetc%2fpasswd`,
    ]) {
      const res = await rawGet(api.baseUrl, path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body).not.toContain('PK');
    }
  });

  it('the seeded core package has a cdn_path too; extension resources under /extensions/{id} still need a token', async () => {
    const property = await createProperty(api);
    const core = await coreExtension(api, property);
    const ext = dataOf<{ relationships: { extension_package: { data: { id: string } } } }>(await api.get(`/extensions/${core}`));
    const corePackage = ext.relationships.extension_package.data.id;
    const cdnPath = dataOf<{ attributes: { cdn_path: string } }>(await api.get(`/extension_packages/${corePackage}`)).attributes.cdn_path;
    expect(cdnPath).toBe(`http://reactor.test/extensions/${corePackage}`);
    const manifest = await fetch(`${api.baseUrl}/extensions/${corePackage}/extension.json`);
    expect(manifest.status).toBe(200);
    expect(((await manifest.json()) as { name: string }).name).toBe('core');
    expect(manifest.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectError(await api.get(`/extensions/${core}`, { token: null }), 401, 'authentication-failure');
    expectError(await api.get(`/extensions/${core}/origin`, { token: null }), 401, 'authentication-failure');
    expect(dataOf<{ id: string }>(await api.get(`/extensions/${core}/origin`)).id).toBe(core);
  });
});

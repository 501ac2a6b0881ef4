import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '@openexp/blob-store';
import { ReactorError } from '@openexp/errors';
import type { ExtensionManifest, ProcessExtensionPackageJob } from '@openexp/queue-contracts';
import { folderEntries, renameEntry, type ZipEntry, zipOf } from '../../test/support/zip-builder';
import { CORE_DIR } from '../test/snapshot.factory';
import { ExtensionPackageProcessor, PackageRejected } from './package-processor';

const limits = { maxBytes: 5 * 1024 * 1024, maxFiles: 200, maxRatio: 50 };

describe('ExtensionPackageProcessor', () => {
  let root: string;
  let blobs: FsBlobStore;
  let core: ZipEntry[];
  let coreManifest: ExtensionManifest;

  beforeAll(async () => {
    core = await folderEntries(CORE_DIR);
    coreManifest = JSON.parse(String(core.find((e) => e.name === 'extension.json')?.content)) as ExtensionManifest;
  });
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'packages-'));
    blobs = new FsBlobStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const job = (overrides: Partial<ProcessExtensionPackageJob> = {}): ProcessExtensionPackageJob => ({
    extensionPackageId: 'EP1',
    uploadKey: 'uploads/EP1/a.zip',
    filesPrefix: 'extension-packages/EP1/a',
    ownerOrgId: 'ORG@AdobeOrg',
    trusted: true,
    ...overrides,
  });
  const withManifest = (manifest: unknown, extra: ZipEntry[] = []): ZipEntry[] => [
    ...core.filter((e) => e.name !== 'extension.json'),
    { name: 'extension.json', content: JSON.stringify(manifest) },
    ...extra,
  ];
  const processZip = async (zip: Buffer, overrides: Partial<ProcessExtensionPackageJob> = {}) => {
    await blobs.put('uploads/EP1/a.zip', zip);
    return new ExtensionPackageProcessor(blobs, limits).process(job(overrides));
  };
  const failure = async (zip: Buffer, overrides: Partial<ProcessExtensionPackageJob> = {}): Promise<{ code: string; detail: string; manifest: boolean }> => {
    try {
      await processZip(zip, overrides);
    } catch (error) {
      const reason = error instanceof PackageRejected ? error.reason : error;
      if (reason instanceof ReactorError) {
        return { code: reason.code, detail: reason.detail, manifest: error instanceof PackageRejected };
      }
      throw error;
    }
    throw new Error('expected a failure');
  };

  it('accepts our core package, returns its manifest and stores its files under filesPrefix', async () => {
    const manifest = await processZip(await zipOf(core));
    expect(manifest).toEqual(coreManifest);
    expect(await blobs.list('extension-packages/EP1/a')).toContain('extension-packages/EP1/a/src/lib/events/click.js');
    expect((await blobs.get('extension-packages/EP1/a/extension.json')).toString()).toContain('"name": "core"');
  });

  it('reports a missing libPath as library-file-not-found with the manifest', async () => {
    const manifest = { ...coreManifest, actions: [{ ...coreManifest.actions?.[0], libPath: 'src/lib/x.js' }] };
    expect(await failure(await zipOf(withManifest(manifest)))).toEqual({ code: 'library-file-not-found', detail: 'src/lib/x.js is not a file.', manifest: true });
  });

  it('reports a missing relative require as library-file-not-found', async () => {
    const entries = withManifest(coreManifest).map((e) =>
      e.name === 'src/lib/dataElements/cookie.js' ? { ...e, content: "module.exports = require('./nowhere.js');" } : e,
    );
    expect(await failure(await zipOf(entries))).toMatchObject({ code: 'library-file-not-found', detail: 'src/lib/dataElements/nowhere.js is not a file.' });
  });

  it('refuses random bytes, a zip without extension.json and invalid JSON as extension-package-zip-error', async () => {
    expect((await failure(Buffer.from('definitely not a zip'))).code).toBe('extension-package-zip-error');
    expect(await failure(await zipOf([{ name: 'readme.txt', content: 'x' }]))).toMatchObject({
      code: 'extension-package-zip-error',
      detail: 'The package has no extension.json at its root.',
    });
    expect((await failure(await zipOf([{ name: 'extension.json', content: '{bad' }]))).detail).toBe('extension.json is not valid JSON.');
  });

  it('refuses entries escaping the package and symbolic links', async () => {
    const forged = renameEntry(await zipOf([...core, { name: 'xx/evil.js', content: 'x' }]), 'xx/evil.js', '../evil.js');
    expect(await failure(forged)).toMatchObject({ code: 'extension-package-zip-error', detail: 'The zip entry "../evil.js" points outside the package.' });
    const link = await zipOf([...core, { name: 'src/lib/link.js', content: '/etc/passwd', mode: 0o120777 }]);
    expect((await failure(link)).detail).toBe('The zip entry "src/lib/link.js" is a symbolic link; links are not allowed.');
  });

  it('bounds the number of entries, the total size and the compression ratio', async () => {
    const many = await zipOf(Array.from({ length: 201 }, (_, i) => ({ name: `f${i}.txt`, content: 'x' })));
    expect((await failure(many)).detail).toBe('The package has 201 entries; at most 200 are allowed.');
    const bomb = await zipOf([{ name: 'extension.json', content: '{}' }, { name: 'zeros.bin', content: Buffer.alloc(4 * 1024 * 1024) }]);
    expect((await failure(bomb)).detail).toBe('The zip entry "zeros.bin" is compressed more than 50:1.');
    const big = await zipOf([{ name: 'big.bin', content: Buffer.alloc(6 * 1024 * 1024, 1), store: true }]);
    expect((await failure(big)).detail).toBe(`The package is larger than ${5 * 1024 * 1024} bytes uncompressed.`);
  });

  it('reports bad manifest paths as extension-package-path-error', async () => {
    const manifest = { ...coreManifest, main: '../outside.js' };
    expect(await failure(await zipOf(withManifest(manifest)))).toMatchObject({ code: 'extension-package-path-error', detail: 'main "../outside.js" points outside the package.' });
    const absolute = { ...coreManifest, iconPath: '/etc/icon.svg' };
    expect((await failure(await zipOf(withManifest(absolute)))).code).toBe('extension-package-path-error');
  });

  it('checks transforms: unknown types, duplicates, and customCode outside trusted packages', async () => {
    const [first, ...rest] = coreManifest.actions ?? [];
    const duplicate = { ...coreManifest, actions: [{ ...first, transforms: [{ type: 'function', propertyPath: 'a' }, { type: 'remove', propertyPath: 'a' }] }, ...rest] };
    expect((await failure(await zipOf(withManifest(duplicate)))).code).toBe('extension-package-transform-definition-error');
    const unknown = { ...coreManifest, actions: [{ ...first, transforms: [{ type: 'eval', propertyPath: 'a' }] }, ...rest] };
    expect((await failure(await zipOf(withManifest(unknown)))).code).toBe('extension-package-transform-definition-error');
    expect((await failure(await zipOf(core), { trusted: false })).code).toBe('illegal-custom-code-transform');
  });

  it('runs @adobe/reactor-validator: schema problems come back as its sentence', async () => {
    const manifest = { ...coreManifest, version: 'one' };
    expect(await failure(await zipOf(withManifest(manifest)))).toMatchObject({ code: 'invalid-extension-package', detail: expect.stringContaining('version') });
  });

  it('refuses a re-upload that changes the package name', async () => {
    expect((await failure(await zipOf(core), { expected: { name: 'other', platform: 'web' } })).code).toBe('invalid-extension-package');
  });
});

import type { INestApplicationContext } from '@nestjs/common';
import { type ExtensionPackageResult, JobName } from '@openexp/queue-contracts';
import { CORE_DIR } from '../src/test/snapshot.factory';
import { blobStore, createTestEnvironment, QueueClient, startWorker, type TestEnvironment } from './support/worker-harness';
import { folderEntries, zipOf } from './support/zip-builder';

describe('extension package jobs through real Redis', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let client: QueueClient;

  beforeAll(async () => {
    env = await createTestEnvironment();
    worker = await startWorker(env.config);
    client = new QueueClient(env);
  });
  afterAll(async () => {
    await client.close();
    await worker.close();
    await env.cleanup();
  });

  const submit = async (id: string, zip: Buffer, trusted: boolean): Promise<ExtensionPackageResult> => {
    const uploadKey = `uploads/${id}/upload.zip`;
    await blobStore(env).put(uploadKey, zip);
    await client.enqueue({
      name: JobName.ProcessExtensionPackage,
      data: { extensionPackageId: id, uploadKey, filesPrefix: `extension-packages/${id}/files`, ownerOrgId: 'ORG@AdobeOrg', trusted },
    });
    return client.result<ExtensionPackageResult>(`result-package-${id}-${uploadKey.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
  };

  it('succeeds with the parsed manifest and the extracted files', async () => {
    const result = await submit('EPok', await zipOf(await folderEntries(CORE_DIR)), true);
    expect(result).toMatchObject({ extensionPackageId: 'EPok', status: 'succeeded', failures: [], filesPrefix: 'extension-packages/EPok/files' });
    expect(result.manifest?.name).toBe('core');
    expect(await blobStore(env).stat('extension-packages/EPok/files/src/lib/actions/customCode.js')).toBeDefined();
  });

  it('fails an untrusted package with a customCode transform, keeping the manifest in the result', async () => {
    const result = await submit('EPcustom', await zipOf(await folderEntries(CORE_DIR)), false);
    expect(result.status).toBe('failed');
    expect(result.failures[0]?.code).toBe('illegal-custom-code-transform');
    expect(result.manifest?.name).toBe('core');
  });

  it('fails random bytes with extension-package-zip-error', async () => {
    const result = await submit('EPjunk', Buffer.from('PK\u0003\u0004 but not really a zip'), false);
    expect(result).toMatchObject({ status: 'failed', manifest: null });
    expect(result.failures).toEqual([{ code: 'extension-package-zip-error', detail: 'The upload is not a readable zip archive.' }]);
  });
});

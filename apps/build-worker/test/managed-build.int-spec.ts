import type { INestApplicationContext } from '@nestjs/common';
import { type BuildResult, JobName } from '@openexp/queue-contracts';
import { component, coreExtension, coreManifest, dataElement, rule, snapshotOf } from '../src/test/snapshot.factory';
import { blobStore, createTestEnvironment, QueueClient, startWorker, type TestEnvironment } from './support/worker-harness';

describe('builds to the managed host through real Redis', () => {
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

  it('builds, writes the build directory then the current entries, and posts succeeded', async () => {
    const manifest = await coreManifest();
    const snapshot = snapshotOf({
      extensions: [coreExtension(manifest, env.corePrefix)],
      dataElements: [dataElement('name', 'constant', { value: 'x' })],
      rules: [rule('r', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: 'window.ran = true;' })])],
    });
    const buildId = snapshot.build.id;
    await client.enqueue({ name: JobName.BuildLibrary, data: { buildId, snapshot } });
    const result = await client.result<BuildResult>(`result-build-${buildId}`);

    const lib = snapshot.environment.libraryPath;
    const base = `launch-${snapshot.environment.token}-development`;
    expect(result).toMatchObject({ buildId, libraryId: snapshot.library.id, environmentId: snapshot.environment.id, status: 'succeeded', failures: [], attempt: 1 });
    expect(result.files).toEqual([
      `${lib}/${snapshot.build.token}/${base}.js`,
      `${lib}/${snapshot.build.token}/${base}.min.js`,
      `${lib}/${base}.js`,
      `${lib}/${base}.min.js`,
    ]);
    const blobs = blobStore(env);
    const direct = await blobs.get(`hosted/${lib}/${snapshot.build.token}/${base}.min.js`);
    const current = await blobs.get(`hosted/${lib}/${base}.min.js`);
    expect(current.equals(direct)).toBe(true);
    expect(direct.toString()).toContain(`// For license information, see \`${snapshot.environment.path}/${lib}/${snapshot.build.token}/${base}.js\`.`);
  });

  it('posts failed with deferred errors at once for a permanent problem (extension-not-found)', async () => {
    const manifest = await coreManifest();
    const orphan = dataElement('x', 'constant', { value: '1' }, { extensionName: 'facebook-pixel', delegateDescriptorId: 'facebook-pixel::dataElements::x' });
    const snapshot = snapshotOf({ extensions: [coreExtension(manifest, env.corePrefix)], dataElements: [orphan] });
    await client.enqueue({ name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } });
    const result = await client.result<BuildResult>(`result-build-${snapshot.build.id}`);
    expect(result.status).toBe('failed');
    expect(result.attempt).toBe(1);
    expect(result.failures).toEqual([
      {
        code: 'extension-not-found',
        detail: `Data element "x" (${orphan.id}) uses the extension "facebook-pixel", which is not in the library or its upstream libraries.`,
        context: { data_element_id: orphan.id, delegate_descriptor_id: 'facebook-pixel::dataElements::x', extension_name: 'facebook-pixel' },
      },
    ]);
    expect(await blobStore(env).list(`hosted/${snapshot.environment.libraryPath}`)).toEqual([]);
  });

  it('builds a duplicated job once: enqueueing the same build twice gives one result', async () => {
    const manifest = await coreManifest();
    const snapshot = snapshotOf({ extensions: [coreExtension(manifest, env.corePrefix)] });
    const item = { name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } } as const;
    await Promise.all([client.enqueue(item), client.enqueue(item)]);
    await client.result<BuildResult>(`result-build-${snapshot.build.id}`);
    const mine = (await client.allResults()).filter((j) => (j.data as BuildResult).buildId === snapshot.build.id);
    expect(mine).toHaveLength(1);
  });
});

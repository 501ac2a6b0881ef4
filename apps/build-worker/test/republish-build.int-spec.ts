import type { INestApplicationContext } from '@nestjs/common';
import { type BuildResult, type BuildSnapshot, type ExtensionManifest, JobName, type RepublishBuildJob, type RepublishResult } from '@openexp/queue-contracts';
import { component, coreExtension, coreManifest, hex, idOf, rule, snapshotOf } from '../src/test/snapshot.factory';
import { blobStore, createTestEnvironment, QueueClient, startWorker, type TestEnvironment } from './support/worker-harness';

describe('republish through real Redis and the real blob store', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let client: QueueClient;
  let manifest: ExtensionManifest;

  beforeAll(async () => {
    env = await createTestEnvironment();
    worker = await startWorker(env.config);
    client = new QueueClient(env);
    manifest = await coreManifest();
  });
  afterAll(async () => {
    await client.close();
    await worker.close();
    await env.cleanup();
  });

  /** A production build of one environment, created at `createdAt`, run by the worker. */
  const productionBuild = async (base: BuildSnapshot | undefined, createdAt: string, marker: string): Promise<BuildSnapshot> => {
    const fresh = snapshotOf({
      extensions: [coreExtension(manifest, env.corePrefix)],
      rules: [rule('r', [component('core::events::library-loaded', {}), component('core::actions::custom-code', { language: 'javascript', source: `window.marker = '${marker}';` })])],
    });
    const snapshot: BuildSnapshot = {
      ...(base ?? fresh),
      environment: { ...(base ?? fresh).environment, stage: 'production', name: 'Production' },
      library: { ...(base ?? fresh).library, state: 'approved' },
      rules: fresh.rules,
      build: { id: idOf('BL'), token: hex(12), createdAt },
    };
    await client.enqueue({ name: JobName.BuildLibrary, data: { buildId: snapshot.build.id, snapshot } });
    expect((await client.result<BuildResult>(`result-build-${snapshot.build.id}`)).status).toBe('succeeded');
    return snapshot;
  };
  const republishJob = (s: BuildSnapshot, requestedAt: string, republishSequence = 1): RepublishBuildJob => ({
    buildId: s.build.id,
    republishSequence,
    requestedAt,
    build: { id: s.build.id, token: s.build.token, createdAt: s.build.createdAt },
    environment: { id: s.environment.id, token: s.environment.token, stage: 'production', libraryPath: s.environment.libraryPath },
    host: { id: s.host.id, type: 'akamai', name: s.host.name },
  });
  const currentMin = async (s: BuildSnapshot) => (await blobStore(env).get(`hosted/${s.environment.libraryPath}/launch-${s.environment.token}.min.js`)).toString();
  const shows = async (s: BuildSnapshot, marker: string) => (await currentMin(s)).includes(`window.marker="${marker}"`);
  const buildMin = async (s: BuildSnapshot) => (await blobStore(env).get(`hosted/${s.environment.libraryPath}/${s.build.token}/launch-${s.environment.token}.min.js`)).toString();

  it('repoints the production current entries at an older build, posts succeeded, and a second request is a new job', async () => {
    const first = await productionBuild(undefined, '2026-02-01T10:00:00.000Z', 'first');
    const second = await productionBuild(first, '2026-02-01T11:00:00.000Z', 'second');
    expect(await currentMin(second)).toBe(await buildMin(second));
    expect(await shows(second, 'second')).toBe(true);

    await client.enqueue({ name: JobName.RepublishBuild, data: republishJob(first, '2026-02-01T12:00:00.000Z') });
    const result = await client.result<RepublishResult>(`result-republish-${first.build.id}-s1`);
    const lib = first.environment.libraryPath;
    expect(result).toMatchObject({ buildId: first.build.id, republishSequence: 1, status: 'succeeded', failures: [], attempt: 1 });
    expect(result.files).toEqual([`${lib}/launch-${first.environment.token}.js`, `${lib}/launch-${first.environment.token}.min.js`]);
    expect(await currentMin(first)).toBe(await buildMin(first));
    expect(await shows(first, 'first')).toBe(true);
    const full = await blobStore(env).get(`hosted/${lib}/launch-${first.environment.token}.js`);
    expect(full.equals(await blobStore(env).get(`hosted/${lib}/${first.build.token}/launch-${first.environment.token}.js`))).toBe(true);

    // Republishing the newer build again later is its own job (sequence 2 of that build), not a duplicate.
    await client.enqueue({ name: JobName.RepublishBuild, data: republishJob(second, '2026-02-01T13:00:00.000Z', 2) });
    expect((await client.result<RepublishResult>(`result-republish-${second.build.id}-s2`)).status).toBe('succeeded');
    expect(await shows(second, 'second')).toBe(true);

    // An older request run late changes nothing and says so with no files.
    await client.enqueue({ name: JobName.RepublishBuild, data: republishJob(first, '2026-02-01T12:30:00.000Z', 2) });
    expect(await client.result<RepublishResult>(`result-republish-${first.build.id}-s2`)).toMatchObject({ status: 'succeeded', files: [] });
    expect(await shows(second, 'second')).toBe(true);
  });

  it('posts failed at once (unknown-error) when the build directory is no longer stored', async () => {
    const s = snapshotOf({ extensions: [] });
    const job = republishJob({ ...s, environment: { ...s.environment, stage: 'production' } }, '2026-02-01T12:00:00.000Z');
    await client.enqueue({ name: JobName.RepublishBuild, data: job });
    const result = await client.result<RepublishResult>(`result-republish-${s.build.id}-s1`);
    expect(result).toMatchObject({ status: 'failed', attempt: 1, files: [] });
    expect(result.failures).toEqual([
      {
        code: 'unknown-error',
        detail: `Build ${s.build.id} cannot be republished: its file ${s.environment.libraryPath}/${s.build.token}/launch-${s.environment.token}.js is no longer in managed storage.`,
      },
    ]);
    expect(await blobStore(env).list(`hosted/${s.environment.libraryPath}`)).toEqual([]);
  });
});

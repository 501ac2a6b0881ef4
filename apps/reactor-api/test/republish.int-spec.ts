import { assertValidStatusDetails } from '@openexp/errors';
import { JobName, QueueName, type JobItem, type RepublishBuildJob } from '@openexp/queue-contracts';
import { TestApi, coreExtension, createAkamaiHost, createEnvironment, createLibrary, createProperty, dataOf, expectError, revise } from './harness';
import { WorkerDouble } from './worker-double';

interface BuildDoc {
  id: string;
  attributes: { status: string; token: string; created_at: string };
  meta: { republish_status?: string; status_details: { errors: Array<{ code: string; detail: string; meta: Record<string, unknown> }> } | null; artifact_url: string };
}

/* Republish (§2.6) as reactor-api sees it: the guard, the job it enqueues, and how it applies results. */
describe('republish: PATCH /builds/{id} meta.action republish', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  beforeAll(() => api.start());
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  const republish = (id: string) => ({ data: { id, type: 'builds', meta: { action: 'republish' } } });
  const result = (buildId: string, republishSequence: number, status: 'succeeded' | 'failed' = 'succeeded'): JobItem => ({
    name: JobName.RepublishResult,
    data: {
      buildId,
      republishSequence,
      status,
      failures: status === 'failed' ? [{ code: 'unknown-error', detail: `Build ${buildId} cannot be republished: its file x is no longer in managed storage.` }] : [],
      files: [],
      attempt: 1,
      finishedAt: new Date().toISOString(),
    },
  });
  const getBuild = async (id: string) => dataOf<BuildDoc>(await api.get(`/builds/${id}`));

  /**
   * A property whose library was built for development, approved, then built six times for
   * production (the last build publishes it). Returns the builds oldest first.
   */
  const publishedProperty = async (options: { archive?: boolean } = {}) => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const dev = await createEnvironment(api, property, host, 'development');
    const production = dataOf<{ id: string; attributes: { token: string; library_path: string } }>(
      await api.post(`/properties/${property}/environments`, {
        data: {
          type: 'environments',
          attributes: { name: 'Production', stage: 'production', ...(options.archive ? { archive: true } : {}) },
          relationships: { host: { data: { id: host, type: 'hosts' } } },
        },
      }),
      201,
    );
    const library = await createLibrary(api, property);
    await api.post(`/libraries/${library}/relationships/extensions`, { data: [{ id: await revise(api, 'extensions', await coreExtension(api, property)), type: 'extensions' }] });
    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: dev, type: 'environments' } });
    const devBuild = dataOf<{ id: string }>(await api.post(`/libraries/${library}/builds`), 201).id;
    expect(await worker.post(worker.buildSucceeded(devBuild, library, dev))).toBe('applied');
    dataOf(await api.patch(`/libraries/${library}`, { data: { id: library, type: 'libraries', meta: { action: 'approve' } } }));
    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: production.id, type: 'environments' } });
    const builds: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      builds.push(dataOf<{ id: string }>(await api.post(`/libraries/${library}/builds`), 201).id);
    }
    for (const id of builds) {
      expect(await worker.post(worker.buildSucceeded(id, library, production.id))).toBe('applied');
    }
    expect(dataOf<{ attributes: { state: string } }>(await api.get(`/libraries/${library}`)).attributes.state).toBe('published');
    return { property, host, production, devBuild, builds };
  };

  it('accepts one of the five most recent production builds with pending, enqueues a self-contained job, and applies its result', async () => {
    const { property, host, production, builds } = await publishedProperty();
    const target = builds[2] ?? '';
    const before = Date.now();
    const pending = dataOf<BuildDoc>(await api.patch(`/builds/${target}`, republish(target)));
    expect(pending.id).toBe(target);
    expect(pending.attributes.status).toBe('succeeded');
    expect(pending.meta.republish_status).toBe('pending');
    expect(pending.meta.status_details).toBeNull();

    const job = await worker.job(QueueName.Builds, `republish-${target}-s1`);
    expect(job?.name).toBe(JobName.RepublishBuild);
    const data = job?.data as RepublishBuildJob;
    expect(data).toEqual({
      buildId: target,
      republishSequence: 1,
      requestedAt: expect.any(String),
      build: { id: target, token: pending.attributes.token, createdAt: pending.attributes.created_at },
      environment: { id: production.id, token: production.attributes.token, stage: 'production', libraryPath: production.attributes.library_path },
      host: { id: host, type: 'akamai', name: 'Managed' },
    });
    expect(Date.parse(data.requestedAt)).toBeGreaterThanOrEqual(before - 1000);

    expect(await worker.post(result(target, 1))).toBe('applied');
    const done = await getBuild(target);
    expect(done.meta.republish_status).toBe('succeeded');
    expect(done.meta.status_details).toBeNull();
    expect(await worker.post(result(target, 1), '-again')).toBe('unchanged');

    const audit = dataOf<Array<{ attributes: { entity: string } }>>(await api.get(`/audit_events?filter[property]=EQ ${property}&filter[type_of]=EQ build.updated&sort=created_at`));
    const republishEvents = audit.map((e) => JSON.parse(e.attributes.entity).data).filter((d: { id: string; meta: { republish_status?: string } }) => d.id === target && d.meta.republish_status !== undefined);
    expect(republishEvents.map((d: { meta: { republish_status: string } }) => d.meta.republish_status)).toEqual(['pending', 'succeeded']);
  });

  it('refuses development builds, the sixth most recent production build, and archive environments', async () => {
    const { devBuild, builds } = await publishedProperty();
    for (const id of [devBuild, builds[0] ?? '']) {
      const error = expectError(await api.patch(`/builds/${id}`, republish(id)), 422, 'invalid-action', republish(id));
      expect(error['detail']).toBe('Only one of the five most recent succeeded production builds on a managed, non-archive environment can be republished.');
      expect((await getBuild(id)).meta.republish_status).toBeUndefined();
    }
    expect(await worker.job(QueueName.Builds, `republish-${builds[0]}-s1`)).toBeUndefined();

    const archived = await publishedProperty({ archive: true });
    const last = archived.builds[5] ?? '';
    expectError(await api.patch(`/builds/${last}`, republish(last)), 422, 'invalid-action', republish(last));
  });

  it('makes every request a new job; drops the result of an older request; shows a failure in status_details', async () => {
    const { builds } = await publishedProperty();
    const target = builds[4] ?? '';
    dataOf(await api.patch(`/builds/${target}`, republish(target)));
    expect((await getBuild(target)).meta.republish_status).toBe('pending');
    dataOf(await api.patch(`/builds/${target}`, republish(target)));
    expect(await worker.job(QueueName.Builds, `republish-${target}-s1`)).toBeDefined();
    expect(await worker.job(QueueName.Builds, `republish-${target}-s2`)).toBeDefined();

    expect(await worker.post(result(target, 1))).toBe('dropped');
    expect((await getBuild(target)).meta.republish_status).toBe('pending');
    expect(await worker.post(result(target, 2, 'failed'))).toBe('applied');
    const failed = await getBuild(target);
    expect(failed.attributes.status).toBe('succeeded');
    expect(failed.meta.republish_status).toBe('failed');
    assertValidStatusDetails(failed.meta.status_details);
    expect(failed.meta.status_details?.errors[0]).toMatchObject({
      code: 'unknown-error',
      detail: `Build ${target} cannot be republished: its file x is no longer in managed storage.`,
      meta: { build_id: target, step: 'republish', attempt: 1 },
    });

    // A third request clears the failure while pending; its success leaves no status_details.
    const again = dataOf<BuildDoc>(await api.patch(`/builds/${target}`, republish(target)));
    expect(again.meta).toMatchObject({ republish_status: 'pending', status_details: null });
    expect(await worker.post(result(target, 3))).toBe('applied');
    expect((await getBuild(target)).meta).toMatchObject({ republish_status: 'succeeded', status_details: null });
  });

  it('drops a result for a build that does not exist (logged as dropped by the consumer)', async () => {
    expect(await worker.post(result(`BL${'0'.repeat(32)}`, 1))).toBe('dropped');
  });
});

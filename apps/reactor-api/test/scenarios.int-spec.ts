import { JobName, QueueName, jobIdOf, type HostPretestResult, type JobItem } from '@openexp/queue-contracts';
import {
  TestApi,
  coreExtension,
  createAkamaiHost,
  createDataElement,
  createEnvironment,
  createLibrary,
  createProperty,
  createRule,
  dataOf,
  expectError,
  revise,
} from './harness';
import { WorkerDouble } from './worker-double';

/* Spec §8 scenarios that need no real worker; the worker's side of the queue is played by WorkerDouble. */
describe('reactor-api §8 scenarios', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  let companyId: string;
  beforeAll(async () => {
    await api.start();
    companyId = dataOf<Array<{ id: string }>>(await api.get('/companies'))[0]?.id ?? '';
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  it('3: empty filtered list with pagination meta, client headers only', async () => {
    const res = await api.get('/extension_packages?filter[name]=EQ x');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.api\+json/);
    expect(res.body).toEqual({ data: [], meta: { pagination: { current_page: 1, next_page: null, prev_page: null, total_pages: 0, total_count: 0 } } });
  });

  it('4: web property without domains → 422 pointing at /data/attributes/domains', async () => {
    const request = { data: { type: 'properties', attributes: { name: 'P', platform: 'web' } } };
    const error = expectError(await api.post(`/companies/${companyId}/properties`, request), 422, 'validation-error', request);
    expect(error['source']).toEqual({ pointer: '/data/attributes/domains' });
  });

  it('5: property create → PR id, 12-hex token, core installed', async () => {
    const request = { data: { type: 'properties', attributes: { name: 'P', platform: 'web', domains: ['example.com'] } } };
    const property = dataOf<{ id: string; attributes: { token: string; created_at: string } }>(await api.post(`/companies/${companyId}/properties`, request), 201);
    expect(property.id).toMatch(/^PR[0-9a-f]{32}$/);
    expect(property.attributes.token).toMatch(/^[0-9a-f]{12}$/);
    expect(property.attributes.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const core = dataOf<Array<{ relationships: { extension_package: { data: { type: string } } } }>>(await api.get(`/properties/${property.id}/extensions?filter[name]=EQ core`));
    expect(core).toHaveLength(1);
    expect(core[0]?.relationships.extension_package.data.type).toBe('extension_packages');
  });

  it('6: unknown id → 404 not-found "Record Not Found"', async () => {
    const error = expectError(await api.get(`/properties/PR${'0'.repeat(32)}`), 404, 'not-found');
    expect(error['title']).toBe('Record Not Found');
  });

  it('7: id mismatch → 409', async () => {
    const a = await createProperty(api, 'A');
    const b = await createProperty(api, 'B');
    const request = { data: { id: b, type: 'properties', attributes: { name: 'x' } } };
    expectError(await api.patch(`/properties/${a}`, request), 409, 'id-mismatch', request);
    const wrongType = { data: { id: a, type: 'hosts', attributes: {} } };
    expectError(await api.patch(`/properties/${a}`, wrongType), 409, 'type-mismatch', wrongType);
  });

  it('8 + 35: akamai host succeeded with null SFTP fields, PATCH → read-only, test → host-type-error', async () => {
    const property = await createProperty(api);
    const host = dataOf<{ id: string; attributes: Record<string, unknown> }>(
      await api.post(`/properties/${property}/hosts`, { data: { type: 'hosts', attributes: { name: 'A', type_of: 'akamai' } } }),
      201,
    );
    expect(host.attributes).toMatchObject({ status: 'succeeded', server: null, path: null, port: null, username: null });
    const patch = { data: { id: host.id, type: 'hosts', attributes: { name: 'B' } } };
    expectError(await api.patch(`/hosts/${host.id}`, patch), 403, 'read-only', patch);
    const test = { data: { id: host.id, type: 'hosts', meta: { action: 'test' } } };
    expectError(await api.patch(`/hosts/${host.id}`, test), 422, 'host-type-error', test);
  });

  it('9 (pending part) + pretest results: SFTP host pending, job enqueued, key never returned; results applied once, stale ones dropped', async () => {
    const property = await createProperty(api);
    const key = '-----BEGIN PGP MESSAGE-----\n\nbogus\n-----END PGP MESSAGE-----';
    const res = await api.post(`/properties/${property}/hosts`, {
      data: { type: 'hosts', attributes: { name: 'S', type_of: 'sftp', server: 'files.example.com', path: '/srv', port: 22, username: 'deploy', encrypted_private_key: key } },
    });
    const host = dataOf<{ id: string; attributes: Record<string, unknown> }>(res, 201);
    expect(host.attributes['status']).toBe('pending');
    expect(res.text).not.toContain('BEGIN PGP');
    const job = await worker.job(QueueName.HostPretests, jobIdOf({ name: JobName.PretestHost, data: { hostId: host.id, hostRevision: 1, host: {} as never } }));
    expect(job?.data).toMatchObject({ hostId: host.id, hostRevision: 1, host: { server: 'files.example.com', encryptedPrivateKey: key } });
    const failedData: HostPretestResult = { hostId: host.id, hostRevision: 1, status: 'failed', failures: [{ code: 'decrypt-failed', detail: 'The key could not be decrypted.' }], finishedAt: new Date().toISOString() };
    const failed = { name: JobName.HostPretestResult, data: failedData } as const;
    expect(await worker.post(failed)).toBe('applied');
    expect(await worker.post(failed, '-again')).toBe('unchanged');
    const after = dataOf<{ attributes: { status: string }; meta: { status_details: { errors: Array<{ code: string }> } } }>(await api.get(`/hosts/${host.id}`));
    expect(after.attributes.status).toBe('failed');
    expect(after.meta.status_details.errors[0]?.code).toBe('decrypt-failed');
    expect(await worker.post({ name: JobName.HostPretestResult, data: { ...failedData, hostRevision: 0, status: 'succeeded', failures: [] } })).toBe('dropped');
    expect(await worker.post({ name: JobName.HostPretestResult, data: { ...failedData, hostId: `HT${'1'.repeat(32)}` } })).toBe('dropped');
  });

  it('11: one production env per property; a host is required', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    await createEnvironment(api, property, host, 'production');
    const second = { data: { type: 'environments', attributes: { name: 'P2', stage: 'production' }, relationships: { host: { data: { id: host, type: 'hosts' } } } } };
    const e1 = expectError(await api.post(`/properties/${property}/environments`, second), 422, 'validation-error', second);
    expect(e1['source']).toEqual({ pointer: '/data/attributes/stage' });
    const noHost = { data: { type: 'environments', attributes: { name: 'D', stage: 'development' }, relationships: {} } };
    const e2 = expectError(await api.post(`/properties/${property}/environments`, noHost), 422, 'validation-error', noHost);
    expect(e2['source']).toEqual({ pointer: '/data/relationships/host' });
  });

  it('12: host in use, then deleted', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const env = await createEnvironment(api, property, host, 'development');
    expectError(await api.delete(`/hosts/${host}`), 422, 'host-in-use');
    expect((await api.delete(`/environments/${env}`)).status).toBe(204);
    expect((await api.delete(`/hosts/${host}`)).status).toBe(204);
    expectError(await api.get(`/hosts/${host}`), 404, 'not-found');
  });

  it('13: settings that are not JSON → invalid-settings-syntax; failing the schema → invalid-settings; unknown delegate', async () => {
    const property = await createProperty(api);
    const core = await coreExtension(api, property);
    const body = (attributes: Record<string, unknown>) => ({
      data: { type: 'data_elements', attributes: { name: 'D', delegate_descriptor_id: 'core::dataElements::javascript-variable', ...attributes }, relationships: { extension: { data: { id: core, type: 'extensions' } } } },
    });
    const bad = body({ settings: '{bad' });
    const e = expectError(await api.post(`/properties/${property}/data_elements`, bad), 422, 'invalid-settings-syntax', bad);
    expect(e['source']).toEqual({ pointer: '/data/attributes/settings' });
    const invalid = body({ settings: '{"path": 3}' });
    expectError(await api.post(`/properties/${property}/data_elements`, invalid), 422, 'invalid-settings', invalid);
    const unknown = body({ settings: '{"path":"a"}', delegate_descriptor_id: 'core::dataElements::nope' });
    expectError(await api.post(`/properties/${property}/data_elements`, unknown), 422, 'delegate-descriptor-unresolved', unknown);
  });

  it('14: revise data elements and rules; origin; revisions filter', async () => {
    const property = await createProperty(api);
    const core = await coreExtension(api, property);
    const de = await createDataElement(api, property, core, 'title');
    const rev = dataOf<{ id: string; attributes: { revision_number: number }; relationships: { origin: { data: { id: string } } } }>(
      await api.patch(`/data_elements/${de}`, { data: { id: de, type: 'data_elements', attributes: {}, meta: { action: 'revise' } } }),
    );
    expect(rev.id).not.toBe(de);
    expect(rev.id).toMatch(/^DE[0-9a-f]{32}$/);
    expect(rev.attributes.revision_number).toBe(1);
    expect(rev.relationships.origin.data.id).toBe(de);
    const origin = dataOf<{ id: string; attributes: { revision_number: number } }>(await api.get(`/data_elements/${rev.id}/origin`));
    expect(origin).toMatchObject({ id: de, attributes: { revision_number: 0 } });
    const rule = await createRule(api, property, 'R');
    await revise(api, 'rules', rule);
    await revise(api, 'rules', rule);
    const revisions = dataOf<Array<{ attributes: { revision_number: number } }>>(await api.get(`/rules/${rule}/revisions?filter[revision_number]=EQ 1`));
    expect(revisions.map((r) => r.attributes.revision_number)).toEqual([1]);
    const edited = dataOf<{ attributes: { dirty: boolean } }>(await api.patch(`/rules/${rule}`, { data: { id: rule, type: 'rules', attributes: { name: 'R2' } } }));
    expect(edited.attributes.dirty).toBe(true);
  });

  it('15 + 16: heads and duplicate origins refused; relationship responses hold only id and type', async () => {
    const property = await createProperty(api);
    const core = await coreExtension(api, property);
    const library = await createLibrary(api, property);
    const de = await createDataElement(api, property, core, 'x');
    const head = { data: [{ id: de, type: 'data_elements' }] };
    expectError(await api.post(`/libraries/${library}/relationships/data_elements`, head), 422, 'invalid-data_element', head);
    const r1 = await revise(api, 'data_elements', de);
    const r2 = await revise(api, 'data_elements', de);
    const two = { data: [{ id: r1, type: 'data_elements' }, { id: r2, type: 'data_elements' }] };
    expectError(await api.post(`/libraries/${library}/relationships/data_elements`, two), 422, 'multiple-revisions', two);
    const ruleA = await revise(api, 'rules', await createRule(api, property, 'A'));
    const ruleB = await revise(api, 'rules', await createRule(api, property, 'B'));
    const added = await api.post(`/libraries/${library}/relationships/rules`, { data: [{ id: ruleA, type: 'rules' }, { id: ruleB, type: 'rules' }] });
    expect(dataOf(added)).toEqual([{ id: ruleA, type: 'rules' }, { id: ruleB, type: 'rules' }]);
    const removed = await api.delete(`/libraries/${library}/relationships/rules`, { data: [{ id: ruleA, type: 'rules' }] });
    expect(removed.body).toEqual({
      data: [{ id: ruleB, type: 'rules' }],
      links: { related: `http://reactor.test/libraries/${library}/rules`, self: `http://reactor.test/libraries/${library}/relationships/rules` },
    });
  });

  it('17 + 18: environment assignment, environment-in-use, unassign; build without environment', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const env = await createEnvironment(api, property, host, 'development');
    const a = await createLibrary(api, property, 'A');
    const b = await createLibrary(api, property, 'B');
    expectError(await api.post(`/libraries/${a}/builds`), 422, 'environment-required');
    const body = { data: { id: env, type: 'environments' }, id: a };
    const res = await api.patch(`/libraries/${a}/relationships/environment`, body);
    expect(res.status).toBe(200);
    const doc = res.body as { data: unknown; links: { self: string; related: string } };
    expect(doc.data).toEqual({ id: env, type: 'environments' });
    expect(doc.links.self.endsWith(`/libraries/${a}/relationships/environment`)).toBe(true);
    expect(doc.links.related).toContain(`/${a}/`);
    expect(dataOf<{ id: string }>(await api.get(`/environments/${env}/library`)).id).toBe(a);
    const second = { data: { id: env, type: 'environments' } };
    expectError(await api.patch(`/libraries/${b}/relationships/environment`, second), 422, 'environment-in-use', second);
    const del = await api.delete(`/libraries/${a}/relationships/environment`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
  });

  it('26 + 27 + 28: transitions, publish flow with upstream resolution, read-only after publish, republish guard', async () => {
    const property = await createProperty(api);
    const core = await coreExtension(api, property);
    const host = await createAkamaiHost(api, property);
    const dev = await createEnvironment(api, property, host, 'development');
    const staging = await createEnvironment(api, property, host, 'staging');
    const production = await createEnvironment(api, property, host, 'production');
    const library = await createLibrary(api, property);
    const coreRev = await revise(api, 'extensions', core);
    const deRev = await revise(api, 'data_elements', await createDataElement(api, property, core, 'title'));
    await api.post(`/libraries/${library}/relationships/extensions`, { data: [{ id: coreRev, type: 'extensions' }] });
    await api.post(`/libraries/${library}/relationships/data_elements`, { data: [{ id: deRev, type: 'data_elements' }] });
    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: dev, type: 'environments' } });
    const submitTooEarly = { data: { id: library, type: 'libraries', meta: { action: 'submit' } } };
    expectError(await api.patch(`/libraries/${library}`, submitTooEarly), 422, 'invalid-action', submitTooEarly);

    const build = async (): Promise<string> => {
      const created = dataOf<{ id: string; attributes: { status: string; token: string }; meta: Record<string, unknown> }>(await api.post(`/libraries/${library}/builds`), 201);
      expect(created.attributes.status).toBe('pending');
      const job = await worker.job(QueueName.Builds, `build-${created.id}`);
      expect(job?.data.snapshot.library.id).toBe(library);
      expect(job?.data.snapshot.extensions.map((e: { name: string }) => e.name)).toEqual(['core']);
      expect(job?.data.snapshot.dataElements.map((d: { id: string }) => d.id)).toEqual([deRev]);
      const env = job?.data.snapshot.environment.id as string;
      expect(await worker.post(worker.buildSucceeded(created.id, library, env))).toBe('applied');
      return created.id;
    };
    const devBuild = await build();
    const built = dataOf<{ meta: { artifact_url: string; direct_artifact_url: string } }>(await api.get(`/builds/${devBuild}`));
    expect(built.meta.artifact_url).toMatch(/^http:\/\/reactor\.test\/hosted\/[0-9a-f]{12}\/[0-9a-f]{12}\/launch-[0-9a-f]{12}-development\.min\.js$/);
    const submitted = dataOf<{ attributes: { state: string }; relationships: { environment: { data: unknown } } }>(await api.patch(`/libraries/${library}`, submitTooEarly));
    expect(submitted.attributes.state).toBe('submitted');
    expect(submitted.relationships.environment.data).toBeNull();
    expectError(await api.patch(`/libraries/${library}`, submitTooEarly), 422, 'invalid-action', submitTooEarly);

    // A new development library inherits the submitted one as upstream.
    const next = await createLibrary(api, property, 'next');
    const nextView = dataOf<{ relationships: { upstream_library: { data: { id: string } } } }>(await api.get(`/libraries/${next}`));
    expect(nextView.relationships.upstream_library.data.id).toBe(library);

    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: staging, type: 'environments' } });
    await build();
    const approved = dataOf<{ attributes: { state: string } }>(await api.patch(`/libraries/${library}`, { data: { id: library, type: 'libraries', meta: { action: 'approve' } } }));
    expect(approved.attributes.state).toBe('approved');
    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: production, type: 'environments' } });
    const prodBuild = await build();
    const published = dataOf<{ attributes: { state: string; published_at: string | null } }>(await api.get(`/libraries/${library}`));
    expect(published.attributes.state).toBe('published');
    expect(published.attributes.published_at).not.toBeNull();
    const late = { data: [{ id: deRev, type: 'data_elements' }] };
    expectError(await api.post(`/libraries/${library}/relationships/data_elements`, late), 403, 'read-only', late);
    const republish = (id: string) => ({ data: { id, type: 'builds', meta: { action: 'republish' } } });
    expectError(await api.patch(`/builds/${devBuild}`, republish(devBuild)), 422, 'invalid-action', republish(devBuild));
    // 28: a recent production build on a managed host → 200 pending; the worker's result makes it succeeded.
    const pending = dataOf<{ meta: { republish_status: string } }>(await api.patch(`/builds/${prodBuild}`, republish(prodBuild)));
    expect(pending.meta.republish_status).toBe('pending');
    const job = await worker.job(QueueName.Builds, `republish-${prodBuild}-s1`);
    expect(job?.name).toBe(JobName.RepublishBuild);
    expect(job?.data).toMatchObject({ buildId: prodBuild, republishSequence: 1, environment: { id: production, stage: 'production' }, host: { id: host, type: 'akamai' } });
    const result: JobItem = { name: JobName.RepublishResult, data: { buildId: prodBuild, republishSequence: 1, status: 'succeeded', failures: [], files: [], attempt: 1, finishedAt: new Date().toISOString() } };
    expect(await worker.post(result)).toBe('applied');
    expect(dataOf<{ meta: { republish_status: string } }>(await api.get(`/builds/${prodBuild}`)).meta.republish_status).toBe('succeeded');
  });

  it('26: reject and develop', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const dev = await createEnvironment(api, property, host, 'development');
    const library = await createLibrary(api, property);
    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: dev, type: 'environments' } });
    const build = dataOf<{ id: string }>(await api.post(`/libraries/${library}/builds`), 201);
    await worker.post(worker.buildSucceeded(build.id, library, dev));
    const audit = dataOf<Array<{ attributes: { entity: string } }>>(await api.get(`/audit_events?filter[property]=EQ ${property}&filter[type_of]=EQ build.updated`));
    expect(audit.map((e) => JSON.parse(e.attributes.entity).data.attributes.status)).toEqual(['succeeded']);
    const act = (action: string) => api.patch(`/libraries/${library}`, { data: { id: library, type: 'libraries', meta: { action } } });
    expect(dataOf<{ attributes: { state: string } }>(await act('submit')).attributes.state).toBe('submitted');
    expect(dataOf<{ attributes: { state: string } }>(await act('reject')).attributes.state).toBe('rejected');
    expect(dataOf<{ attributes: { state: string } }>(await act('develop')).attributes.state).toBe('development');
  });

  it('33: filters (CONTAINS with inherited operator, unescaped wildcards), sort, pagination clamp', async () => {
    const property = await createProperty(api);
    for (const name of ['Larimar', 'Peridot', 'Kunzite', 'Night Passage (1957)', 'Death in Paradise (2011)', 'Lucas Alpha']) {
      await createAkamaiHost(api, property, name);
    }
    const names = async (query: string) => dataOf<Array<{ attributes: { name: string } }>>(await api.get(`/properties/${property}/hosts?${query}`)).map((h) => h.attributes.name);
    expect(await names(`filter[name]=${encodeURIComponent('CONTAINS erido,CONTAINS nzite')}&sort=-name`)).toEqual(['Peridot', 'Kunzite']);
    expect(await names(`filter[name]=${encodeURIComponent('CONTAINS erido,nzite')}&sort=name`)).toEqual(['Kunzite', 'Peridot']);
    expect((await names(`filter[name]=${encodeURIComponent('CONTAINS P%(')}&sort=name`)).sort()).toEqual(['Death in Paradise (2011)', 'Night Passage (1957)']);
    expect(await names(`filter[name]=${encodeURIComponent('CONTAINS alpha')}`)).toEqual(['Lucas Alpha']);
    expect(await names(`filter[name]=${encodeURIComponent('EQ larimar')}`)).toEqual([]);
    expect(await names(`filter[name]=${encodeURIComponent('NOT Larimar,Peridot')}&sort=+name`)).toHaveLength(4);
    expect(await names(`filter[name]=BOGUS&sort=%20name`)).toHaveLength(6);
    const page = await api.get(`/properties/${property}/hosts?page[size]=2`);
    expect((page.body as { meta: unknown }).meta).toEqual({ pagination: { current_page: 1, next_page: 2, prev_page: null, total_pages: 3, total_count: 6 } });
    const clamped = await api.get(`/properties/${property}/hosts?page[size]=999&page[number]=2`);
    expect((clamped.body as { meta: { pagination: unknown } }).meta.pagination).toEqual({ current_page: 2, next_page: null, prev_page: 1, total_pages: 1, total_count: 6 });
  });

  it('34: soft delete of rules and rule components; hard delete of properties', async () => {
    const property = await createProperty(api);
    const core = await coreExtension(api, property);
    const rule = await createRule(api, property, 'R');
    const rc = dataOf<{ id: string }>(
      await api.post(`/properties/${property}/rule_components`, {
        data: {
          type: 'rule_components',
          attributes: { name: 'click', delegate_descriptor_id: 'core::events::click', settings: JSON.stringify({ elementSelector: 'a' }), rule_order: 50 },
          relationships: { extension: { data: { id: core, type: 'extensions' } }, rules: { data: [{ id: rule, type: 'rules' }] } },
        },
      }),
      201,
    );
    expect(dataOf<unknown[]>(await api.get(`/rules/${rule}/rule_components`))).toHaveLength(1);
    expect((await api.delete(`/rule_components/${rc.id}`)).status).toBe(204);
    const deletedRc = dataOf<{ attributes: { deleted_at: string | null } }>(await api.get(`/rule_components/${rc.id}`));
    expect(deletedRc.attributes.deleted_at).not.toBeNull();
    expect((await api.delete(`/rules/${rule}`)).status).toBe(204);
    const deleted = dataOf<{ attributes: { deleted_at: string | null }; meta: { deleted_at: string | null } }>(await api.get(`/rules/${rule}`));
    expect(deleted.meta.deleted_at).not.toBeNull();
    expect(deleted.attributes.deleted_at).not.toBeNull();
    expect((await api.delete(`/properties/${property}`)).status).toBe(204);
    expectError(await api.get(`/properties/${property}`), 404, 'not-found');
  });

  it('audit events are recorded for changes and listable by property', async () => {
    const property = await createProperty(api);
    await createRule(api, property, 'Audited');
    const events = dataOf<Array<{ attributes: { type_of: string; entity: string } }>>(await api.get(`/audit_events?filter[property]=EQ ${property}&filter[type_of]=EQ rule.created`));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.attributes.entity ?? '{}').data.attributes.name).toBe('Audited');
  });
});

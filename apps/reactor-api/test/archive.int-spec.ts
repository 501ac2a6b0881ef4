import { QueueName, type BuildSnapshot } from '@openexp/queue-contracts';
import { loadOrCreateServerKeys, type ServerKeys } from '@openexp/server-keys';
import { DB, type Db } from '../src/database/database';
import { TestApi, coreExtension, createAkamaiHost, createLibrary, createProperty, dataOf, revise } from './harness';
import { WorkerDouble } from './worker-double';

interface EnvironmentDoc {
  id: string;
  attributes: Record<string, unknown> & { token: string; library_path: string; path: string; archive: boolean };
  meta: { archive_encrypted: boolean; script_sources: string[]; embed_code: { async: string } };
}

/* Archive environments (§2.4, §4.4) as reactor-api sees them: the write-only passphrase, the job, the URLs. */
describe('archive environments', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  let keys: ServerKeys;
  let db: Db;
  const SECRET = 'Tr0ub4dor&3 archive secret';

  beforeAll(async () => {
    await api.start();
    keys = await loadOrCreateServerKeys({ dir: api.config.serverKeys.dir });
    db = api.app.get<Db>(DB);
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  const createEnv = async (property: string, host: string, attributes: Record<string, unknown>) => {
    const res = await api.post(`/properties/${property}/environments`, {
      data: { type: 'environments', attributes: { name: 'Archive', stage: 'development', ...attributes }, relationships: { host: { data: { id: host, type: 'hosts' } } } },
    });
    expect(res.text).not.toContain(SECRET);
    return dataOf<EnvironmentDoc>(res, 201);
  };
  const patchEnv = async (id: string, attributes: Record<string, unknown>) => {
    const res = await api.patch(`/environments/${id}`, { data: { id, type: 'environments', attributes } });
    expect(res.text).not.toContain(SECRET);
    return dataOf<EnvironmentDoc>(res);
  };
  const buildOn = async (property: string, environment: string) => {
    const library = await createLibrary(api, property);
    await api.post(`/libraries/${library}/relationships/extensions`, { data: [{ id: await revise(api, 'extensions', await coreExtension(api, property)), type: 'extensions' }] });
    await api.patch(`/libraries/${library}/relationships/environment`, { data: { id: environment, type: 'environments' } });
    const build = dataOf<{ id: string; attributes: { token: string }; meta: Record<string, unknown> }>(await api.post(`/libraries/${library}/builds`), 201);
    const job = await worker.job(QueueName.Builds, `build-${build.id}`);
    return { library, build, job, snapshot: job?.data.snapshot as BuildSnapshot };
  };

  it('keeps archive_passphrase write-only: encrypted at rest and in the job, archive_encrypted instead', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const env = await createEnv(property, host, { archive: true, archive_passphrase: SECRET });
    expect(env.attributes.archive).toBe(true);
    expect(env.attributes).not.toHaveProperty('archive_passphrase');
    expect(env.meta.archive_encrypted).toBe(true);
    const read = await api.get(`/environments/${env.id}`);
    expect(read.text).not.toContain(SECRET);
    expect(dataOf<EnvironmentDoc>(read).meta.archive_encrypted).toBe(true);
    expect((await api.get(`/properties/${property}/environments`)).text).not.toContain(SECRET);

    const row = await db.selectFrom('environments').selectAll().where('id', '=', env.id).executeTakeFirstOrThrow();
    expect(row.archive_passphrase).toBeNull();
    expect(row.archive_passphrase_encrypted).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(await keys.decrypt(row.archive_passphrase_encrypted)).toBe(SECRET);

    const { build, job, snapshot } = await buildOn(property, env.id);
    expect(JSON.stringify(job?.data)).not.toContain(SECRET);
    expect(snapshot.environment.archive?.encryptedPassphrase).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(await keys.decrypt(snapshot.environment.archive?.encryptedPassphrase ?? null)).toBe(SECRET);

    const lib = env.attributes.library_path;
    const zip = `launch-${env.attributes.token}-development.zip`;
    expect(build.meta).toMatchObject({
      archive: true,
      artifact_url: `http://reactor.test/hosted/${lib}/${zip}`,
      direct_artifact_url: `http://reactor.test/hosted/${lib}/${build.attributes.token}/${zip}`,
    });

    const audit = await api.get(`/audit_events?filter[property]=EQ ${property}`);
    expect(audit.text).not.toContain(SECRET);
    expect(audit.text).toContain('environment.created');
  });

  it('changes and removes the passphrase by PATCH (null or "" removes it)', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const env = await createEnv(property, host, { archive: true });
    expect(env.meta.archive_encrypted).toBe(false);
    expect((await patchEnv(env.id, { archive_passphrase: SECRET })).meta.archive_encrypted).toBe(true);
    expect((await patchEnv(env.id, { name: 'Renamed' })).meta.archive_encrypted).toBe(true);
    expect((await patchEnv(env.id, { archive_passphrase: null })).meta.archive_encrypted).toBe(false);
    expect((await patchEnv(env.id, { archive_passphrase: SECRET })).meta.archive_encrypted).toBe(true);
    expect((await patchEnv(env.id, { archive_passphrase: '' })).meta.archive_encrypted).toBe(false);
    const { snapshot } = await buildOn(property, env.id);
    expect(snapshot.environment.archive).toEqual({ encryptedPassphrase: null });
    // A passphrase on a non-archive environment is kept, but its builds are not archived, so nothing is encrypted.
    const plain = await patchEnv(env.id, { archive: false, archive_passphrase: SECRET });
    expect(plain.meta.archive_encrypted).toBe(false);
  });

  it('uses the self-hosting path of an archive environment for the embed code and the library, the host URL for the ZIP', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const env = await createEnv(property, host, { archive: true, path: 'https://cdn.example.com/tags' });
    const lib = env.attributes.library_path;
    const name = `launch-${env.attributes.token}-development`;
    expect(env.attributes.path).toBe('https://cdn.example.com/tags');
    expect(env.meta.script_sources).toEqual([`https://cdn.example.com/tags/${lib}/${name}.min.js`]);
    expect(env.meta.embed_code.async).toBe(`<script src="https://cdn.example.com/tags/${lib}/${name}.min.js" async></script>`);
    const { build, snapshot } = await buildOn(property, env.id);
    expect(snapshot.environment.path).toBe('https://cdn.example.com/tags');
    expect(build.meta['artifact_url']).toBe(`http://reactor.test/hosted/${lib}/${name}.zip`);

    // Turning archive off: the managed host ignores the path again; the earlier build still names its ZIP.
    const loose = await patchEnv(env.id, { archive: false });
    expect(loose.attributes.path).toBe('http://reactor.test/hosted');
    expect(loose.meta.script_sources).toEqual([`http://reactor.test/hosted/${lib}/${name}.min.js`]);
    const earlier = dataOf<{ meta: Record<string, unknown> }>(await api.get(`/builds/${build.id}`));
    expect(earlier.meta).toMatchObject({ archive: true, artifact_url: `http://reactor.test/hosted/${lib}/${name}.zip` });
  });

  it('encrypts a passphrase stored in clear before migration 004 when it goes into a job', async () => {
    const property = await createProperty(api);
    const host = await createAkamaiHost(api, property);
    const env = await createEnv(property, host, { archive: true });
    await db.updateTable('environments').set({ archive_passphrase: SECRET, archive_passphrase_encrypted: null }).where('id', '=', env.id).execute();
    expect(dataOf<EnvironmentDoc>(await api.get(`/environments/${env.id}`)).meta.archive_encrypted).toBe(true);
    const { job, snapshot } = await buildOn(property, env.id);
    expect(JSON.stringify(job?.data)).not.toContain(SECRET);
    expect(await keys.decrypt(snapshot.environment.archive?.encryptedPassphrase ?? null)).toBe(SECRET);
  });
});

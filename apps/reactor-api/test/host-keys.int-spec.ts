import { loadOrCreateServerKeys, type ServerKeys } from '@openexp/server-keys';
import { QueueName } from '@openexp/queue-contracts';
import { generateKeyPairSync } from 'node:crypto';
import * as openpgp from 'openpgp';
import { DB, type Db } from '../src/database/database';
import { TestApi, createProperty, dataOf, expectError, type TestResponse } from './harness';
import { WorkerDouble } from './worker-double';

/*
 * Issue 14 item 4: an SSH private key sent in clear as `encrypted_private_key` is refused with 422 at
 * /data/attributes/encrypted_private_key, and is neither stored (database) nor queued (Redis).
 */
describe('hosts: encrypted_private_key must be an armored, encrypted PGP message', () => {
  const api = new TestApi();
  const worker = new WorkerDouble(api);
  let db: Db;
  let keys: ServerKeys;
  let property: string;
  const clearKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sftp = (key: string) => ({
    data: { type: 'hosts', attributes: { name: 'S', type_of: 'sftp', server: 'files.example.com', path: '/srv', port: 22, username: 'deploy', encrypted_private_key: key } },
  });

  beforeAll(async () => {
    await api.start();
    db = api.app.get<Db>(DB);
    keys = await loadOrCreateServerKeys({ dir: api.config.serverKeys.dir });
    property = await createProperty(api);
  });
  afterAll(async () => {
    await worker.close();
    await api.stop();
  });

  /** Every pretest job in Redis, whatever its state, as JSON. */
  async function queuedJobs(): Promise<string[]> {
    const jobs = await worker.queue(QueueName.HostPretests).getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized']);
    return jobs.map((job) => JSON.stringify(job.data));
  }

  async function storedKeys(): Promise<Array<string | null>> {
    return (await db.selectFrom('hosts').select('encrypted_private_key').execute()).map((r) => r.encrypted_private_key);
  }

  function expectRefused(res: TestResponse, request: unknown): void {
    const error = expectError(res, 422, 'validation-error', request);
    expect(error['source']).toEqual({ pointer: '/data/attributes/encrypted_private_key' });
    expect(JSON.stringify(res.body)).not.toContain(clearKey.split('\n')[1]);
  }

  it('create: a PEM key in clear → 422 with the pointer; no host row, no key in the database, no job', async () => {
    const hostsBefore = await storedKeys();
    const jobsBefore = await queuedJobs();
    const request = sftp(clearKey);
    expectRefused(await api.post(`/properties/${property}/hosts`, request), request);
    // Refused whatever the type: a managed host would not keep it, but the sender still needs to know.
    const managed = { data: { type: 'hosts', attributes: { name: 'M', type_of: 'akamai', encrypted_private_key: clearKey } } };
    expectRefused(await api.post(`/properties/${property}/hosts`, managed), managed);
    expect(await storedKeys()).toEqual(hostsBefore);
    expect(await queuedJobs()).toEqual(jobsBefore);
    const audit = await db.selectFrom('audit_events').select('entity').execute();
    expect(audit.some((a) => a.entity.includes(clearKey.split('\n')[1] ?? '-'))).toBe(false);
  });

  it('update: a key in clear leaves the host, its revision and the queue as they were', async () => {
    const encrypted = await keys.encrypt(clearKey);
    const host = dataOf<{ id: string }>(await api.post(`/properties/${property}/hosts`, sftp(encrypted)), 201).id;
    const before = await db.selectFrom('hosts').selectAll().where('id', '=', host).executeTakeFirstOrThrow();
    const jobsBefore = await queuedJobs();
    const request = { data: { id: host, type: 'hosts', attributes: { name: 'renamed', encrypted_private_key: `\n${clearKey}` } } };
    expectRefused(await api.patch(`/hosts/${host}`, request), request);
    expect(await db.selectFrom('hosts').selectAll().where('id', '=', host).executeTakeFirstOrThrow()).toEqual(before);
    expect(await queuedJobs()).toEqual(jobsBefore);
    expect(jobsBefore.join('\n')).not.toContain(clearKey.split('\n')[1]);
  });

  it('refuses a PGP message whose content is readable (signed only, or literal data), and anything around the block', async () => {
    const literal = (await openpgp.createMessage({ text: clearKey })).armor();
    const signingKey = (await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'user' }], format: 'object' })).privateKey;
    const signed = await openpgp.sign({ message: await openpgp.createMessage({ text: clearKey }), signingKeys: signingKey });
    const encrypted = await keys.encrypt(clearKey);
    for (const value of [literal, signed, `${encrypted}\n${clearKey}`, `${clearKey}${encrypted}`, 'ssh-ed25519-in-clear', '']) {
      const request = sftp(value);
      expectRefused(await api.post(`/properties/${property}/hosts`, request), request);
    }
    expect(await storedKeys()).toHaveLength(1);
  });

  it('accepts what the spec and the SDK send: a message encrypted to the server key (gpg output, headers, trailing newline) and the SDK bogus block', async () => {
    const encrypted = await keys.encrypt(clearKey);
    const withHeaders = encrypted.replace('-----BEGIN PGP MESSAGE-----\n', '-----BEGIN PGP MESSAGE-----\nComment: gpg --armor --encrypt\n');
    const passwordOnly = await openpgp.encrypt({ message: await openpgp.createMessage({ text: clearKey }), passwords: ['pw'] });
    const jobsBefore = (await queuedJobs()).length;
    for (const value of [encrypted, `${withHeaders}\n`, encrypted.replace(/\n/g, '\r\n'), passwordOnly, '-----BEGIN PGP MESSAGE-----\n\nbogus\n-----END PGP MESSAGE-----']) {
      const res = await api.post(`/properties/${property}/hosts`, sftp(value));
      expect(dataOf<{ attributes: { status: string } }>(res, 201).attributes.status).toBe('pending');
    }
    expect(await queuedJobs()).toHaveLength(jobsBefore + 5);
  });
});

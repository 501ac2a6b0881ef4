import { ReactorError, type StatusDetails } from '@openexp/errors';
import { JobName } from '@openexp/queue-contracts';
import { AuditService } from '../audit/audit.service';
import { AuthContext, RIGHTS } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { ReactorApiConfig } from '../config/reactor-api.config';
import type { HostRow, PropertyRow } from '../database/schema';
import { WorkQueue } from '../queues/work-queue';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { HostsRepository } from './hosts.repository';
import { HostsService } from './hosts.service';

const manager = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ops', new Set(RIGHTS));
const developer = new AuthContext('CO1', 'org@AdobeOrg', 'AT2', 'dev', new Set(['develop'] as const));
const config = { sftpAllowedPorts: [22, 2222] } as unknown as ReactorApiConfig;
const KEY = '-----BEGIN PGP MESSAGE-----\n\nbogus\n-----END PGP MESSAGE-----';
const sftpHost = {
  id: 'HT1', property_id: 'PR1', name: 'Origin', type_of: 'sftp', server: 'sftp.test', path: '/www', port: 22, username: 'deploy',
  encrypted_private_key: KEY, skip_symlinks: false, status: 'succeeded', status_details: null, revision: 3,
} as HostRow;
const akamaiHost = { ...sftpHost, id: 'HT2', type_of: 'akamai', server: null, path: null, port: null, username: null, encrypted_private_key: null } as HostRow;

function setup(host: HostRow = sftpHost) {
  const { sut, mocks } = newTestService(HostsService, { 2: config });
  const hosts = mocks.get(HostsRepository);
  const scope = mocks.get(ScopeRepository);
  const audit = mocks.get(AuditService);
  const queue = mocks.get(WorkQueue);
  scope.property.mockResolvedValue({ id: 'PR1' } as PropertyRow);
  scope.host.mockResolvedValue(host);
  hosts.insert.mockImplementation((_db, row) => Promise.resolve(row as HostRow));
  hosts.update.mockImplementation((_db, id, set) => Promise.resolve({ ...host, ...set, id } as HostRow));
  hosts.delete.mockResolvedValue(undefined);
  hosts.markFailed.mockResolvedValue(undefined);
  audit.record.mockResolvedValue(undefined);
  queue.enqueueOrMarkFailed.mockResolvedValue(undefined);
  return { sut, hosts, scope, audit, queue };
}

describe('HostsService', () => {
  it('creates a managed host ready at once, with no SFTP fields and no pretest', async () => {
    const { sut, queue, audit } = setup();
    const row = await sut.create(manager, 'PR1', { name: 'Akamai', type_of: 'akamai', server: 'ignored', port: 2222 });
    expect(row).toMatchObject({ type_of: 'akamai', status: 'succeeded', server: null, port: null, revision: 1 });
    expect(audit.record).toHaveBeenCalledWith(TEST_TX, expect.objectContaining({ singular: 'host', action: 'created', propertyId: 'PR1' }));
    expect(queue.enqueueOrMarkFailed).not.toHaveBeenCalled();
  });

  it('creates an SFTP host pending and queues the pretest of its first revision', async () => {
    const { sut, queue } = setup();
    const row = await sut.create(manager, 'PR1', { name: 'Origin', type_of: 'sftp', server: 'sftp.test', path: '/www', username: 'deploy', encrypted_private_key: KEY });
    expect(row).toMatchObject({ status: 'pending', port: 22, revision: 1 });
    const [item] = queue.enqueueOrMarkFailed.mock.calls[0] ?? [];
    expect(item).toMatchObject({ name: JobName.PretestHost, data: { hostId: row.id, hostRevision: 1, host: { type: 'sftp', server: 'sftp.test', port: 22 } } });
  });

  it('lists every SFTP problem at once and stores nothing', async () => {
    const { sut, hosts } = setup();
    const error = await sut.create(manager, 'PR1', { name: 'Bad', type_of: 'sftp', port: 23, encrypted_private_key: 'ssh-rsa AAAA' }).catch((e: unknown) => e);
    const pointers = (error as { errors?: ReactorError[] }).errors?.map((e) => e.pointer);
    expect(pointers).toEqual(['/data/attributes/server', '/data/attributes/path', '/data/attributes/username', '/data/attributes/port', '/data/attributes/encrypted_private_key']);
    expect(hosts.insert).not.toHaveBeenCalled();
  });

  it('needs manage_environments to create, change or delete a host', async () => {
    const { sut, hosts } = setup();
    await expect(sut.create(developer, 'PR1', { name: 'A', type_of: 'akamai' })).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.update(developer, 'HT1', { name: 'B' }, undefined)).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.remove(developer, 'HT1')).rejects.toMatchObject({ code: 'not-authorized' });
    expect(hosts.insert).not.toHaveBeenCalled();
    expect(hosts.update).not.toHaveBeenCalled();
    expect(hosts.delete).not.toHaveBeenCalled();
  });

  it('renames an SFTP host without a new revision or pretest', async () => {
    const { sut, hosts, queue } = setup();
    const row = await sut.update(manager, 'HT1', { name: 'Renamed' }, undefined);
    expect(hosts.update).toHaveBeenCalledWith(TEST_TX, 'HT1', expect.not.objectContaining({ revision: expect.anything() }));
    expect(row).toMatchObject({ name: 'Renamed', revision: 3, status: 'succeeded' });
    expect(queue.enqueueOrMarkFailed).not.toHaveBeenCalled();
  });

  it('bumps the revision, resets the status and pretests again when a credential changes', async () => {
    const { sut, hosts, queue } = setup();
    const row = await sut.update(manager, 'HT1', { port: 2222 }, undefined);
    expect(hosts.update).toHaveBeenCalledWith(TEST_TX, 'HT1', expect.objectContaining({ port: 2222, status: 'pending', status_details: null, revision: 4 }));
    expect(row.revision).toBe(4);
    expect(queue.enqueueOrMarkFailed.mock.calls[0]?.[0]).toMatchObject({ data: { hostId: 'HT1', hostRevision: 4 } });
  });

  it('marks the revision it queued failed when the queue refuses the pretest', async () => {
    const { sut, hosts, queue } = setup();
    const details = { errors: [] } as unknown as StatusDetails;
    queue.enqueueOrMarkFailed.mockImplementation(async (_item, markFailed) => {
      await markFailed(details);
      throw new ReactorError('service-unavailable', 'down');
    });
    await expect(sut.update(manager, 'HT1', {}, 'test')).rejects.toMatchObject({ code: 'service-unavailable' });
    expect(hosts.markFailed).toHaveBeenCalledWith('HT1', 4, details);
  });

  it.each([
    ['an unknown action', sftpHost, { name: 'x' }, 'deploy', 'invalid-action'],
    ['a test of a managed host', akamaiHost, {}, 'test', 'host-type-error'],
    ['a change of a managed host', akamaiHost, { name: 'x' }, undefined, 'read-only'],
    ['turning SFTP into managed', sftpHost, { type_of: 'akamai' as const }, undefined, 'read-only'],
  ])('refuses %s', async (_, host, input, action, code) => {
    const { sut, hosts } = setup(host);
    await expect(sut.update(manager, host.id, input, action)).rejects.toMatchObject({ code });
    expect(hosts.update).not.toHaveBeenCalled();
  });

  it('refuses to delete a host environments still use, naming them', async () => {
    const { sut, hosts, audit } = setup();
    hosts.environmentIdsUsing.mockResolvedValue(['EN1', 'EN2']);
    const error = await sut.remove(manager, 'HT1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'host-in-use' });
    expect((error as Error).message).toContain('EN1, EN2');
    expect(hosts.delete).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('deletes an unused host and audits it in the same transaction', async () => {
    const { sut, hosts, audit } = setup();
    hosts.environmentIdsUsing.mockResolvedValue([]);
    await sut.remove(manager, 'HT1');
    expect(hosts.environmentIdsUsing).toHaveBeenCalledWith(TEST_TX, 'HT1');
    expect(hosts.delete).toHaveBeenCalledWith(TEST_TX, 'HT1');
    expect(audit.record).toHaveBeenCalledWith(TEST_TX, expect.objectContaining({ action: 'deleted', view: sftpHost }));
  });
});

import { AuditService } from '../audit/audit.service';
import { AuthContext, type Right } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { EnvironmentRow, HostRow, PropertyRow } from '../database/schema';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { EnvironmentEvents } from './environment-events';
import type { EnvironmentView } from './environment-view';
import { EnvironmentsRepository } from './environments.repository';
import { EnvironmentsService } from './environments.service';

const as = (...rights: Right[]) => new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set(rights));
const keys = { encrypt: (text: string) => Promise.resolve(`enc(${text})`) };
const input = { name: 'prod', stage: 'production' as const };

function setup() {
  const { sut, mocks } = newTestService(EnvironmentsService, { 5: keys });
  const repo = mocks.get(EnvironmentsRepository);
  const scope = mocks.get(ScopeRepository);
  const events = mocks.get(EnvironmentEvents);
  scope.property.mockResolvedValue({ id: 'PR1' } as PropertyRow);
  scope.host.mockResolvedValue({ id: 'HT1', property_id: 'PR1' } as HostRow);
  repo.findStageForUpdate.mockResolvedValue(undefined);
  repo.insert.mockImplementation((_tx, row) => Promise.resolve(row as EnvironmentRow));
  repo.view.mockImplementation((row) => Promise.resolve({ row, libraryId: null } as EnvironmentView));
  mocks.get(AuditService).record.mockResolvedValue(undefined);
  return { sut, repo, scope, events, mocks };
}

describe('EnvironmentsService', () => {
  it('creates an environment on the named host, with the archive passphrase encrypted only', async () => {
    const { sut, repo } = setup();
    const view = await sut.create(as('manage_environments'), 'PR1', { ...input, archive: true, archive_passphrase: 'secret' }, 'HT1', '/data/relationships/host');
    expect(repo.insert).toHaveBeenCalledWith(TEST_TX, expect.objectContaining({ host_id: 'HT1', stage: 'production', archive_passphrase: null, archive_passphrase_encrypted: 'enc(secret)' }));
    expect(view.row.id).toMatch(/^EN/);
  });

  it('needs a host, of this property', async () => {
    const { sut, scope, repo } = setup();
    await expect(sut.create(as('manage_environments'), 'PR1', input, null, '/data/relationships')).rejects.toMatchObject({ code: 'validation-error', pointer: '/data/relationships' });
    scope.host.mockResolvedValue({ id: 'HT2', property_id: 'PR2' } as HostRow);
    await expect(sut.create(as('manage_environments'), 'PR1', input, 'HT2', '/data/relationships/host')).rejects.toMatchObject({
      code: 'validation-error',
      pointer: '/data/relationships/host/data/id',
    });
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('allows one production environment per property (checked under a lock), any number of development ones', async () => {
    const { sut, repo } = setup();
    repo.findStageForUpdate.mockResolvedValue({ id: 'EN1' });
    await expect(sut.create(as('manage_environments'), 'PR1', input, 'HT1', '/data/relationships/host')).rejects.toMatchObject({ code: 'validation-error', pointer: '/data/attributes/stage' });
    expect(repo.findStageForUpdate).toHaveBeenCalledWith(TEST_TX, 'PR1', 'production');
    await expect(sut.create(as('manage_environments'), 'PR1', { name: 'dev', stage: 'development' }, 'HT1', '/data/relationships/host')).resolves.toBeDefined();
    expect(repo.findStageForUpdate).toHaveBeenCalledTimes(1);
  });

  it('refuses to create without manage_environments', async () => {
    const { sut, repo } = setup();
    await expect(sut.create(as('develop'), 'PR1', input, 'HT1', '/data/relationships/host')).rejects.toMatchObject({ code: 'not-authorized' });
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('tells the contexts above before it deletes, in the same transaction', async () => {
    const { sut, repo, scope, events } = setup();
    const row = { id: 'EN1', property_id: 'PR1' } as EnvironmentRow;
    scope.environment.mockResolvedValue(row);
    const order: string[] = [];
    events.beforeRemove.mockImplementation((tx, id) => Promise.resolve(void order.push(`before ${id} ${tx === TEST_TX}`)));
    repo.delete.mockImplementation((tx, id) => Promise.resolve(void order.push(`delete ${id} ${tx === TEST_TX}`)));
    await sut.remove(as('manage_environments'), 'EN1');
    expect(order).toEqual(['before EN1 true', 'delete EN1 true']);
  });
});

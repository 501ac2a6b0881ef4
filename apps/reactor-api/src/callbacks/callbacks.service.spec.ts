import { ReactorError } from '@openexp/errors';
import { AuthContext, RIGHTS } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { CallbackRow, PropertyRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import { CallbacksRepository } from './callbacks.repository';
import { CallbacksService } from './callbacks.service';

const developer = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'dev', new Set(RIGHTS));
const reader = new AuthContext('CO1', 'org@AdobeOrg', 'AT2', 'reader', new Set(['publish'] as const));
const callback = { id: 'CB1', property_id: 'PR1' } as CallbackRow;

function setup() {
  const { sut, mocks } = newTestService(CallbacksService);
  const callbacks = mocks.get(CallbacksRepository);
  const scope = mocks.get(ScopeRepository);
  scope.property.mockResolvedValue({ id: 'PR1' } as PropertyRow);
  scope.callback.mockResolvedValue(callback);
  callbacks.insert.mockImplementation((row) => Promise.resolve(row as CallbackRow));
  callbacks.update.mockResolvedValue(callback);
  callbacks.delete.mockResolvedValue(undefined);
  return { sut, callbacks, scope };
}

describe('CallbacksService', () => {
  it('creates a callback in a property of the caller, its subscriptions stored as JSON', async () => {
    const { sut, scope } = setup();
    const row = await sut.create(developer, 'PR1', { url: 'https://hooks.test/x', subscriptions: ['rule.created'] });
    expect(scope.property).toHaveBeenCalledWith('CO1', 'PR1');
    expect(row).toMatchObject({ property_id: 'PR1', url: 'https://hooks.test/x', subscriptions: '["rule.created"]' });
    expect(row.id).toMatch(/^CB[0-9a-f]{32}$/);
  });

  it.each([
    ['create', (sut: CallbacksService) => sut.create(reader, 'PR1', { url: 'https://hooks.test/x', subscriptions: ['rule.created'] }), 'insert'],
    ['update', (sut: CallbacksService) => sut.update(reader, 'CB1', { url: 'https://hooks.test/y' }), 'update'],
    ['remove', (sut: CallbacksService) => sut.remove(reader, 'CB1'), 'delete'],
  ] as const)('refuses to %s without the develop right, and writes nothing', async (_, call, write) => {
    const { sut, callbacks } = setup();
    await expect(call(sut)).rejects.toMatchObject({ code: 'not-authorized' });
    expect(callbacks[write]).not.toHaveBeenCalled();
  });

  it('answers not-found before checking rights for a callback of another company', async () => {
    const { sut, scope, callbacks } = setup();
    scope.callback.mockRejectedValue(new ReactorError('not-found', 'No callback with id CB9 was found.'));
    await expect(sut.remove(reader, 'CB9')).rejects.toMatchObject({ code: 'not-found' });
    expect(callbacks.delete).not.toHaveBeenCalled();
  });

  it('changes only the attributes given, and always the update time', async () => {
    const { sut, callbacks } = setup();
    await sut.update(developer, 'CB1', { subscriptions: ['host.deleted', 'rule.updated'] });
    const [id, set] = callbacks.update.mock.calls[0] ?? [];
    expect(id).toBe('CB1');
    expect(set).toEqual({ subscriptions: '["host.deleted","rule.updated"]', updated_at: expect.any(Date) });
  });

  it('deletes a callback of the caller', async () => {
    const { sut, callbacks } = setup();
    await sut.remove(developer, 'CB1');
    expect(callbacks.delete).toHaveBeenCalledWith('CB1');
  });

  it("lists a property's callbacks once the property is found", async () => {
    const { sut, callbacks, scope } = setup();
    const page = { items: [callback], page: { number: 2, size: 1 }, total: 3 };
    callbacks.listInProperty.mockResolvedValue(page);
    await expect(sut.list(reader, 'PR1', { 'page[number]': '2', 'page[size]': '1' })).resolves.toBe(page);
    expect(scope.property).toHaveBeenCalledWith('CO1', 'PR1');
    expect(callbacks.listInProperty).toHaveBeenCalledWith('PR1', expect.objectContaining({ page: { number: 2, size: 1 } }));
  });
});

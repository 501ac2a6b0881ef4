import { ReactorError } from '@openexp/errors';
import type { ResourceInput } from '../jsonapi/request-document';
import { newTestService } from '../test/new-test-service';
import { RequestRelationships } from './request-relationships';
import { ScopeRepository } from './scope.repository';

const caller = { companyId: 'CO1' };

function input(relationships: Record<string, unknown>): ResourceInput {
  return { type: 'rules', id: undefined, attributes: {}, relationships, meta: {} };
}

function setup() {
  const { sut, mocks } = newTestService(RequestRelationships);
  const scope = mocks.get(ScopeRepository);
  scope.related.mockResolvedValue({ propertyId: 'PR1' });
  return { sut, scope };
}

describe('RequestRelationships', () => {
  it('lets through relationships the request may set, links-only ones, and a fixed one repeated', async () => {
    const { sut, scope } = setup();
    const rules = { property: { type: 'properties', fixed: 'PR1' }, extension: { type: 'extensions' } };
    await expect(sut.check(caller, input({ property: { data: { id: 'PR1', type: 'properties' } }, extension: { data: { id: 'EX1' } }, links: { links: {} } }), { ...rules, links: { type: 'x' } })).resolves.toBeUndefined();
    expect(scope.related).not.toHaveBeenCalled();
  });

  it('refuses a relationship the request cannot set, naming the ones it takes', async () => {
    const { sut } = setup();
    const error = await sut.check(caller, input({ origin: { data: { id: 'X' } } }), { property: { type: 'properties', fixed: 'PR1' }, extension: { type: 'extensions' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'validation-error', pointer: '/data/relationships/origin' });
    expect((error as Error).message).toContain('(it takes extension)');
  });

  it('refuses an identifier of another type at its type member', async () => {
    const { sut } = setup();
    await expect(sut.check(caller, input({ rules: { data: [{ id: 'RL1', type: 'rules' }, { id: 'DE1', type: 'data_elements' }] } }), { rules: { type: 'rules' } })).rejects.toMatchObject({
      code: 'type-mismatch',
      pointer: '/data/relationships/rules/data/1/type',
    });
  });

  it('answers not-found for another company id in a fixed relationship, before saying it cannot be changed', async () => {
    const { sut, scope } = setup();
    scope.related.mockRejectedValue(new ReactorError('not-found', 'No property with id PR9 was found.', { pointer: '/data/relationships/property/data/id' }));
    await expect(sut.check(caller, input({ property: { data: { id: 'PR9' } } }), { property: { type: 'properties', fixed: 'PR1' } })).rejects.toMatchObject({ code: 'not-found' });
    expect(scope.related).toHaveBeenCalledWith('properties', 'CO1', 'PR9', '/data/relationships/property/data/id');
  });

  it('refuses to point a fixed relationship at another resource of the caller, or to clear it', async () => {
    const { sut } = setup();
    const rules = { property: { type: 'properties', fixed: () => Promise.resolve('PR1') } };
    await expect(sut.check(caller, input({ property: { data: { id: 'PR2' } } }), rules)).rejects.toMatchObject({ code: 'validation-error', pointer: '/data/relationships/property/data/id' });
    await expect(sut.check(caller, input({ property: { data: null } }), rules)).rejects.toMatchObject({ code: 'validation-error', pointer: '/data/relationships/property/data' });
  });

  it('refuses malformed relationship entries', async () => {
    const { sut } = setup();
    await expect(sut.check(caller, input({ extension: 'EX1' }), { extension: { type: 'extensions' } })).rejects.toMatchObject({ pointer: '/data/relationships/extension' });
    await expect(sut.check(caller, input({ extension: { data: { id: 5 } } }), { extension: { type: 'extensions' } })).rejects.toMatchObject({ pointer: '/data/relationships/extension/data' });
  });
});

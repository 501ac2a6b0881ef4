import { ReactorError } from '@openexp/errors';
import { AuthContext } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { LibraryRow, NoteRow, PropertyRow, RevisionedRow, SecretRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';

const auth = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set());
const page = { items: [], page: { number: 1, size: 25 }, total: 0 };

function setup() {
  const { sut, mocks } = newTestService(NotesService);
  const notes = mocks.get(NotesRepository);
  const scope = mocks.get(ScopeRepository);
  notes.insert.mockImplementation((row) => Promise.resolve(row as NoteRow));
  notes.listOnResource.mockResolvedValue(page);
  return { sut, notes, scope };
}

describe('NotesService', () => {
  it('writes a note on a property with the token as its author and the property as its owner', async () => {
    const { sut, scope } = setup();
    scope.property.mockResolvedValue({ id: 'PR1' } as PropertyRow);
    const note = await sut.create(auth, 'properties', 'PR1', 'hello');
    expect(scope.property).toHaveBeenCalledWith('CO1', 'PR1');
    expect(note).toMatchObject({ property_id: 'PR1', resource_type: 'properties', resource_id: 'PR1', text: 'hello', author_display_name: 'ci token', author_email: '' });
    expect(note.id).toMatch(/^NT[0-9a-f]{32}$/);
  });

  it.each([
    ['libraries', 'library', { property_id: 'PR2' } as LibraryRow],
    ['secrets', 'secret', { property_id: 'PR2' } as SecretRow],
  ] as const)('files a note on %s under the property its owner belongs to', async (owner, lookup, row) => {
    const { sut, scope } = setup();
    scope[lookup].mockResolvedValue(row as never);
    await expect(sut.create(auth, owner, 'X1', 'hi')).resolves.toMatchObject({ property_id: 'PR2', resource_type: owner, resource_id: 'X1' });
    expect(scope[lookup]).toHaveBeenCalledWith('CO1', 'X1');
  });

  it('looks a revisioned owner up by its type in the caller company', async () => {
    const { sut, scope } = setup();
    scope.revisioned.mockResolvedValue({ property_id: 'PR3' } as RevisionedRow);
    await expect(sut.create(auth, 'rules', 'RL1', 'hi')).resolves.toMatchObject({ property_id: 'PR3' });
    expect(scope.revisioned).toHaveBeenCalledWith('rules', 'CO1', 'RL1');
  });

  it('writes nothing when the owner is not in the caller company', async () => {
    const { sut, notes, scope } = setup();
    scope.property.mockRejectedValue(new ReactorError('not-found', 'No property with id PR9 was found.'));
    await expect(sut.create(auth, 'properties', 'PR9', 'hi')).rejects.toMatchObject({ code: 'not-found' });
    expect(notes.insert).not.toHaveBeenCalled();
  });

  it('lists the notes of a resource once its owner is found, with the parsed list query', async () => {
    const { sut, notes, scope } = setup();
    scope.property.mockResolvedValue({ id: 'PR1' } as PropertyRow);
    await expect(sut.list(auth, 'properties', 'PR1', { 'page[size]': '5', sort: '-created_at' })).resolves.toBe(page);
    expect(notes.listOnResource).toHaveBeenCalledWith('PR1', expect.objectContaining({ page: { number: 1, size: 5 }, sort: [{ attribute: 'created_at', descending: true }] }));
  });

  it('drops sort and filter attributes notes do not have, so they never reach the query', async () => {
    const { sut, notes, scope } = setup();
    scope.property.mockResolvedValue({ id: 'PR1' } as PropertyRow);
    await sut.list(auth, 'properties', 'PR1', { sort: 'property_id,text', 'filter[resource_type]': 'EQ rules' });
    expect(notes.listOnResource).toHaveBeenCalledWith('PR1', expect.objectContaining({ filters: [], sort: [{ attribute: 'text', descending: false }] }));
  });

  it('lists nothing when the owner is not in the caller company', async () => {
    const { sut, notes, scope } = setup();
    scope.secret.mockRejectedValue(new ReactorError('not-found', 'No secret with id SE9 was found.'));
    await expect(sut.list(auth, 'secrets', 'SE9', {})).rejects.toMatchObject({ code: 'not-found' });
    expect(notes.listOnResource).not.toHaveBeenCalled();
  });
});

import { AuthContext } from '../auth/rights';
import type { LibraryRow, RevisionedRow } from '../database/schema';
import { RevisionedRepository } from '../revisioned/revisioned.repository';
import { RevisionedService } from '../revisioned/revisioned.service';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { LibraryContents } from './library-contents';

const auth = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set(['develop']));
const library = { id: 'LB1', property_id: 'PR1' } as LibraryRow;
const rule = (over: Partial<RevisionedRow>): RevisionedRow =>
  ({ id: 'RL1', origin_id: 'RL1', type: 'rules', property_id: 'PR1', revision_number: 0, deleted_at: null, ...over }) as RevisionedRow;
const pointerOf = (i: number) => `/data/relationships/rules/data/${i}/id`;

function setup(rows: RevisionedRow[]) {
  const { sut, mocks } = newTestService(LibraryContents);
  mocks.get(RevisionedRepository).findInCompany.mockImplementation((_db, _co, _type, ids) => Promise.resolve(rows.filter((r) => ids.includes(r.id))));
  let next = 0;
  const reviseIn = mocks.get(RevisionedService).reviseIn.mockImplementation((_tx, _auth, head) => Promise.resolve(rule({ id: `${head.id}-rev${++next}`, origin_id: head.id, revision_number: next })));
  return { sut, reviseIn };
}

describe('LibraryContents.revised (meta.action "revise" on library linkage)', () => {
  it('revises each marked head once, in the caller transaction, and links the new revision in its place', async () => {
    const { sut, reviseIn } = setup([rule({ id: 'RL1' }), rule({ id: 'RL2', origin_id: 'RL9', revision_number: 2 })]);
    const ids = await sut.revised(TEST_TX, auth, library, 'rules', [{ id: 'RL1', revise: true }, { id: 'RL2' }, { id: 'RL1', revise: true }], pointerOf);
    expect(ids).toEqual(['RL1-rev1', 'RL2', 'RL1-rev1']);
    expect(reviseIn).toHaveBeenCalledTimes(1);
    expect(reviseIn).toHaveBeenCalledWith(TEST_TX, auth, expect.objectContaining({ id: 'RL1' }));
  });

  it('leaves items without revise alone and looks nothing up', async () => {
    const { sut, reviseIn } = setup([]);
    expect(await sut.revised(TEST_TX, auth, library, 'rules', [{ id: 'RL5' }], pointerOf)).toEqual(['RL5']);
    expect(reviseIn).not.toHaveBeenCalled();
  });

  it.each([
    ['a revision', rule({ id: 'RL2', origin_id: 'RL1', revision_number: 3 }), 'invalid-rule'],
    ['a head of another property', rule({ id: 'RL2', property_id: 'PR2' }), 'invalid-rule'],
    ['a deleted head', rule({ id: 'RL2', deleted_at: new Date() }), 'deleted-resources'],
  ])('refuses to revise %s at the item pointer, revising nothing', async (_what, row, code) => {
    const { sut, reviseIn } = setup([rule({ id: 'RL1' }), row]);
    await expect(sut.revised(TEST_TX, auth, library, 'rules', [{ id: 'RL1' }, { id: 'RL2', revise: true }], pointerOf)).rejects.toMatchObject({
      code,
      pointer: '/data/relationships/rules/data/1/id',
    });
    expect(reviseIn).not.toHaveBeenCalled();
  });

  it('answers not-found at the pointer for an id outside the company', async () => {
    const { sut } = setup([]);
    await expect(sut.revised(TEST_TX, auth, library, 'rules', [{ id: 'RLX', revise: true }], pointerOf)).rejects.toMatchObject({ code: 'not-found', pointer: pointerOf(0) });
  });
});

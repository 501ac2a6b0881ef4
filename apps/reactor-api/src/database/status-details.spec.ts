import { toStatusDetails, type StatusDetails } from '@openexp/errors';
import type { Updateable } from 'kysely';
import type { BuildsTable, SecretsTable } from './schema';
import { statusDetailsColumn } from './status-details';

describe('status_details column writer', () => {
  it('stores the deferred shape as JSON text and reads back the same value', () => {
    const details: StatusDetails = toStatusDetails([{ code: 'sftp-authentication-failed', detail: 'The host refused the key.' }], { meta: { build_id: 'BL1' }, newId: () => 'e1' });
    const written = statusDetailsColumn(details);
    expect(JSON.parse(written)).toEqual(details);
    expect(JSON.parse(written)).toEqual({
      errors: [{ id: 'e1', status: expect.any(String), code: 'sftp-authentication-failed', title: expect.any(String), detail: 'The host refused the key.', meta: { build_id: 'BL1' } }],
    });
  });

  it('clears with null', () => {
    expect(statusDetailsColumn(null)).toBeNull();
  });

  it('is the only way to write the columns (checked by the typecheck target)', () => {
    const details = toStatusDetails([{ code: 'internal-error', detail: 'x' }]);
    const ok: Updateable<BuildsTable> = { status_details: statusDetailsColumn(details), republish_status_details: null };
    // @ts-expect-error hand-written JSON text is refused: statusDetailsColumn is the one writer
    const handWritten: Updateable<BuildsTable> = { status_details: JSON.stringify(details) };
    // @ts-expect-error any other shape is refused too
    const otherShape: Updateable<SecretsTable> = { refresh_status_details: JSON.stringify({ message: 'x' }) };
    expect([ok, handWritten, otherShape].map((u) => Object.keys(u))).toEqual([['status_details', 'republish_status_details'], ['status_details'], ['refresh_status_details']]);
  });
});

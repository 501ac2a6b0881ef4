import { ReactorError } from '@openexp/errors';
import { AuthContext } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { AuditEventRow, PropertyRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import { AuditQueries } from './audit.queries';
import { AuditRepository } from './audit.repository';

const auth = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set());
const page = { items: [], page: { number: 1, size: 25 }, total: 0 };

describe('AuditQueries', () => {
  it("lists the caller company's events with the client's filters", async () => {
    const { sut, mocks } = newTestService(AuditQueries);
    mocks.get(AuditRepository).list.mockResolvedValue(page);
    await sut.list(auth, { 'filter[type_of]': 'EQ rule.created', 'filter[entity_id]': 'EQ X' });
    expect(mocks.get(AuditRepository).list).toHaveBeenCalledWith('CO1', undefined, expect.objectContaining({ filters: [{ attribute: 'type_of', terms: [{ op: 'EQ', value: 'rule.created' }] }] }));
  });

  it("lists one property's events once the property is found in the caller company", async () => {
    const { sut, mocks } = newTestService(AuditQueries);
    mocks.get(ScopeRepository).property.mockResolvedValue({ id: 'PR1' } as PropertyRow);
    mocks.get(AuditRepository).list.mockResolvedValue(page);
    await expect(sut.listForProperty(auth, 'PR1', {})).resolves.toBe(page);
    expect(mocks.get(ScopeRepository).property).toHaveBeenCalledWith('CO1', 'PR1');
    expect(mocks.get(AuditRepository).list).toHaveBeenCalledWith('CO1', 'PR1', expect.anything());
  });

  it('answers not-found for an event of another company or none, the same way', async () => {
    const { sut, mocks } = newTestService(AuditQueries);
    mocks.get(AuditRepository).findInCompany.mockResolvedValue(undefined);
    const error = await sut.get(auth, 'AE9').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReactorError);
    expect(error).toMatchObject({ code: 'not-found' });
    expect((error as Error).message).toContain('No audit_events with id AE9 was found.');
    expect(mocks.get(AuditRepository).findInCompany).toHaveBeenCalledWith('CO1', 'AE9');
  });

  it('returns the event found in the caller company', async () => {
    const { sut, mocks } = newTestService(AuditQueries);
    const row = { id: 'AE1' } as AuditEventRow;
    mocks.get(AuditRepository).findInCompany.mockResolvedValue(row);
    await expect(sut.get(auth, 'AE1')).resolves.toBe(row);
  });
});

import { AuthContext } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { CompanyRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';

const auth = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set());

describe('CompaniesService', () => {
  it("lists only the caller's company, with the filters the client gave on company attributes", async () => {
    const { sut, mocks } = newTestService(CompaniesService);
    const page = { items: [], page: { number: 1, size: 25 }, total: 0 };
    mocks.get(CompaniesRepository).listOne.mockResolvedValue(page);
    await expect(sut.list(auth, { 'filter[name]': 'CONTAINS acme', 'filter[id]': 'EQ CO2' })).resolves.toBe(page);
    const [companyId, query] = mocks.get(CompaniesRepository).listOne.mock.calls[0] ?? [];
    expect(companyId).toBe('CO1');
    expect(query?.filters).toEqual([{ attribute: 'name', terms: [{ op: 'CONTAINS', value: 'acme' }] }]);
  });

  it("reads a company through the caller's scope", async () => {
    const { sut, mocks } = newTestService(CompaniesService);
    mocks.get(ScopeRepository).company.mockResolvedValue({ id: 'CO1' } as CompanyRow);
    await expect(sut.get(auth, 'CO1')).resolves.toEqual({ id: 'CO1' });
    expect(mocks.get(ScopeRepository).company).toHaveBeenCalledWith('CO1', 'CO1');
  });
});

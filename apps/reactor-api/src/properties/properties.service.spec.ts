import { ReactorError } from '@openexp/errors';
import { AuditService } from '../audit/audit.service';
import { AuthContext, RIGHTS } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { CompanyRow, PropertyRow } from '../database/schema';
import { CoreInstaller } from '../extensions/core-installer';
import { Links } from '../jsonapi/document';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { PropertiesRepository } from './properties.repository';
import { PropertiesService } from './properties.service';

const developer = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'dev', new Set(RIGHTS));
const publisher = new AuthContext('CO1', 'org@AdobeOrg', 'AT2', 'pub', new Set(['publish'] as const));
const existing = { id: 'PR1', company_id: 'CO1', name: 'Site' } as PropertyRow;

function setup() {
  const { sut, mocks } = newTestService(PropertiesService);
  const properties = mocks.get(PropertiesRepository);
  const scope = mocks.get(ScopeRepository);
  const audit = mocks.get(AuditService);
  const core = mocks.get(CoreInstaller);
  scope.company.mockResolvedValue({ id: 'CO1' } as CompanyRow);
  scope.property.mockResolvedValue(existing);
  properties.insert.mockImplementation((_db, row) => Promise.resolve(row as PropertyRow));
  properties.update.mockImplementation((_db, id, set) => Promise.resolve({ ...existing, ...set, id } as PropertyRow));
  properties.deleteWithContents.mockResolvedValue(undefined);
  audit.record.mockResolvedValue(undefined);
  core.install.mockResolvedValue(undefined);
  return { sut, properties, scope, audit, core };
}

describe('PropertiesService', () => {
  it('creates a web property with defaults, audits it and installs core, all in one transaction', async () => {
    const { sut, properties, audit, core } = setup();
    const row = await sut.create(developer, 'CO1', { name: 'Site', platform: 'web', domains: ['example.com'] });
    expect(row).toMatchObject({ company_id: 'CO1', name: 'Site', platform: 'web', domains: '["example.com"]', development: false, privacy: 'optin', ssl_enabled: true, enabled: true });
    expect(row.id).toMatch(/^PR[0-9a-f]{32}$/);
    expect(row.token).toMatch(/^[0-9a-f]{12}$/);
    expect(properties.insert.mock.calls[0]?.[0]).toBe(TEST_TX);
    expect(audit.record).toHaveBeenCalledWith(TEST_TX, expect.objectContaining({ companyId: 'CO1', propertyId: row.id, singular: 'property', action: 'created', view: row }));
    expect(core.install).toHaveBeenCalledWith(TEST_TX, 'CO1', row.id, 'web');
  });

  it('installs the edge core in an edge property (by platform)', async () => {
    const { sut, core } = setup();
    const row = await sut.create(developer, 'CO1', { name: 'Forwarding', platform: 'edge' });
    expect(core.install).toHaveBeenCalledWith(TEST_TX, 'CO1', row.id, 'edge');
  });

  it('installs no core extension in a mobile property', async () => {
    const { sut, core } = setup();
    await sut.create(developer, 'CO1', { name: 'App', platform: 'mobile' });
    expect(core.install).not.toHaveBeenCalled();
  });

  it.each([
    ['create', (sut: PropertiesService) => sut.create(publisher, 'CO1', { name: 'X', platform: 'mobile' }), 'insert'],
    ['update', (sut: PropertiesService) => sut.update(publisher, 'PR1', { name: 'Y' }), 'update'],
    ['remove', (sut: PropertiesService) => sut.remove(publisher, 'PR1'), 'deleteWithContents'],
  ] as const)('refuses to %s without the develop right', async (_, call, write) => {
    const { sut, properties, audit } = setup();
    await expect(call(sut)).rejects.toMatchObject({ code: 'not-authorized' });
    expect(properties[write]).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it("refuses to create a property in another company's name", async () => {
    const { sut, scope, properties } = setup();
    scope.company.mockRejectedValue(new ReactorError('not-found', 'No company with id CO2 was found.'));
    await expect(sut.create(developer, 'CO2', { name: 'X', platform: 'mobile' })).rejects.toMatchObject({ code: 'not-found' });
    expect(properties.insert).not.toHaveBeenCalled();
  });

  it('stores new domains as JSON and audits the updated row', async () => {
    const { sut, properties, audit } = setup();
    const row = await sut.update(developer, 'PR1', { domains: ['a.example', 'b.example'], enabled: false });
    expect(properties.update).toHaveBeenCalledWith(TEST_TX, 'PR1', { domains: '["a.example","b.example"]', enabled: false, updated_at: expect.any(Date) });
    expect(audit.record).toHaveBeenCalledWith(TEST_TX, expect.objectContaining({ propertyId: 'PR1', action: 'updated', view: row }));
  });

  it('deletes the property with its contents and audits it outside any property (so no callback hears of it)', async () => {
    const { sut, properties, audit } = setup();
    await sut.remove(developer, 'PR1');
    expect(properties.deleteWithContents).toHaveBeenCalledWith(TEST_TX, 'PR1');
    expect(audit.record).toHaveBeenCalledWith(TEST_TX, expect.objectContaining({ companyId: 'CO1', propertyId: null, action: 'deleted', view: existing }));
  });

  it('registers how a property looks in the audit trail', () => {
    const { sut, audit } = setup();
    audit.register.mockReturnValue(undefined);
    sut.onModuleInit();
    const [type, present] = audit.register.mock.calls[0] ?? [];
    expect(type).toBe('properties');
    expect((present as (row: PropertyRow, links: Links) => { id: string; type: string })(existing, new Links('https://r.test'))).toMatchObject({ id: 'PR1', type: 'properties' });
  });
});

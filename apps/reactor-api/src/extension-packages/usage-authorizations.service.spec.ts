import { AuthContext } from '../auth/rights';
import type { ExtensionPackageRow, ExtensionPackageUsageAuthorizationRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import { ExtensionPackagesRepository } from './extension-packages.repository';
import { ExtensionPackagesService } from './extension-packages.service';
import { UsageAuthorizationsRepository } from './usage-authorizations.repository';
import { UsageAuthorizationsService } from './usage-authorizations.service';
import { parseCreate, parseDecision } from './usage-authorizations.input';

const owner = new AuthContext('CO1', 'OWNER@AdobeOrg', 'AT1', 'owner ci', new Set(['manage_extensions']));
const ownerReader = new AuthContext('CO1', 'OWNER@AdobeOrg', 'AT2', 'owner reader', new Set());
const partner = new AuthContext('CO2', 'PARTNER@AdobeOrg', 'AT3', 'partner ci', new Set(['manage_extensions']));
const stranger = new AuthContext('CO3', 'STRANGER@AdobeOrg', 'AT4', 'stranger', new Set(['manage_extensions']));

const pkg = { id: 'EP1', owner_company_id: 'CO1', availability: 'private', status: 'succeeded', name: 'acme', platform: 'web' } as ExtensionPackageRow;
const grant = (over: Partial<ExtensionPackageUsageAuthorizationRow> = {}) =>
  ({ id: 'EA1', package_name: 'acme', owner_company_id: 'CO1', owner_org_id: 'OWNER@AdobeOrg', authorized_org_id: 'PARTNER@AdobeOrg', state: 'pending_approval', ...over }) as ExtensionPackageUsageAuthorizationRow;

function setup(row = grant()) {
  const { sut, mocks } = newTestService(UsageAuthorizationsService);
  const repository = mocks.get(UsageAuthorizationsRepository);
  const packages = mocks.get(ExtensionPackagesService);
  packages.get.mockResolvedValue(pkg);
  mocks.get(ExtensionPackagesRepository).findById.mockResolvedValue(pkg);
  repository.findById.mockResolvedValue(row);
  repository.insert.mockImplementation((values) => Promise.resolve(values as ExtensionPackageUsageAuthorizationRow));
  repository.decide.mockImplementation((id, state) => Promise.resolve({ ...row, id, state }));
  repository.delete.mockResolvedValue();
  return { sut, repository, packages };
}

describe('UsageAuthorizationsService', () => {
  it('lets the owner company authorize another org by package name, pending approval', async () => {
    const { sut, repository } = setup();
    await expect(sut.create(owner, 'EP1', 'PARTNER@AdobeOrg')).resolves.toMatchObject({ package_name: 'acme', authorized_org_id: 'PARTNER@AdobeOrg', state: 'pending_approval', owner_org_id: 'OWNER@AdobeOrg' });
    expect(repository.insert).toHaveBeenCalledWith(expect.objectContaining({ id: expect.stringMatching(/^EA[0-9a-f]{32}$/) as unknown }));
  });

  it('refuses creation by another company (403), without the right (403), for its own org and twice (422)', async () => {
    const { sut, repository } = setup();
    await expect(sut.create(partner, 'EP1', 'STRANGER@AdobeOrg')).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.create(ownerReader, 'EP1', 'PARTNER@AdobeOrg')).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.create(owner, 'EP1', 'OWNER@AdobeOrg')).rejects.toMatchObject({ code: 'validation-error' });
    repository.insert.mockResolvedValue(undefined);
    await expect(sut.create(owner, 'EP1', 'PARTNER@AdobeOrg')).rejects.toMatchObject({ code: 'not-unique' });
  });

  it('shows an authorization to its owner and its authorized org, not-found to anyone else', async () => {
    const { sut } = setup();
    await expect(sut.get(owner, 'EA1')).resolves.toMatchObject({ id: 'EA1' });
    await expect(sut.get(partner, 'EA1')).resolves.toMatchObject({ id: 'EA1' });
    await expect(sut.get(stranger, 'EA1')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lets only the authorized org approve or reject, once', async () => {
    const { sut, repository } = setup();
    await expect(sut.decide(owner, 'EA1', 'approved')).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.decide(stranger, 'EA1', 'approved')).rejects.toMatchObject({ code: 'not-found' });
    await expect(sut.decide(partner, 'EA1', 'approved')).resolves.toMatchObject({ state: 'approved' });
    expect(repository.decide).toHaveBeenCalledWith('EA1', 'approved', 'partner ci');
    const decided = setup(grant({ state: 'rejected' }));
    await expect(decided.sut.decide(partner, 'EA1', 'approved')).rejects.toMatchObject({ code: 'invalid-action' });
    expect(decided.repository.decide).not.toHaveBeenCalled();
  });

  it('lets only the owner delete', async () => {
    const { sut, repository } = setup(grant({ state: 'approved' }));
    await expect(sut.delete(partner, 'EA1')).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(sut.delete(stranger, 'EA1')).rejects.toMatchObject({ code: 'not-found' });
    await sut.delete(owner, 'EA1');
    expect(repository.delete).toHaveBeenCalledWith('EA1');
  });

  it('lists all for the owner, the org’s own for an authorized org, not-found for others', async () => {
    const { sut, repository } = setup();
    repository.list.mockResolvedValue({ items: [], page: { number: 1, size: 25 }, total: 0 });
    repository.findByNameAndOrg.mockImplementation((_name, org) => Promise.resolve(org === 'PARTNER@AdobeOrg' ? grant() : undefined));
    await sut.list(owner, 'EP1', {});
    expect(repository.list).toHaveBeenLastCalledWith('acme', true, 'OWNER@AdobeOrg', expect.anything(), expect.anything());
    await sut.list(partner, 'EP1', {});
    expect(repository.list).toHaveBeenLastCalledWith('acme', false, 'PARTNER@AdobeOrg', expect.anything(), expect.anything());
    await expect(sut.list(stranger, 'EP1', {})).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('usage authorization documents', () => {
  const doc = (attributes: unknown, meta: unknown = {}) => ({ data: { id: 'EA1', type: 'extension_package_usage_authorizations', attributes, meta } });

  it('reads authorized_org_id, with a pointer when it is missing or blank', () => {
    expect(parseCreate({ data: { type: 'extension_package_usage_authorizations', attributes: { authorized_org_id: 'X@AdobeOrg' } } })).toBe('X@AdobeOrg');
    expect(() => parseCreate({ data: { type: 'extension_package_usage_authorizations', attributes: {} } })).toThrow(expect.objectContaining({ code: 'validation-error' }) as Error);
    expect(() => parseCreate({ data: { type: 'extension_package_usage_authorizations', attributes: { authorized_org_id: 'a b' } } })).toThrow();
  });

  it('reads a decision from attributes.state or meta.action, refusing anything else', () => {
    expect(parseDecision(doc({ state: 'approved' }), 'EA1')).toBe('approved');
    expect(parseDecision(doc({}, { action: 'reject' }), 'EA1')).toBe('rejected');
    expect(() => parseDecision(doc({ state: 'pending_approval' }), 'EA1')).toThrow(expect.objectContaining({ code: 'validation-error' }) as Error);
    expect(() => parseDecision(doc({}, { action: 'shred' }), 'EA1')).toThrow(expect.objectContaining({ code: 'invalid-action' }) as Error);
  });
});

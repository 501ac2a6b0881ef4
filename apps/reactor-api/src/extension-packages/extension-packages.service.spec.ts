import { AuthContext } from '../auth/rights';
import type { ExtensionPackageRow } from '../database/schema';
import { newTestService } from '../test/new-test-service';
import { ExtensionPackagesRepository } from './extension-packages.repository';
import { ExtensionPackagesService } from './extension-packages.service';

const manager = new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set(['manage_extensions']));
const reader = new AuthContext('CO1', 'org@AdobeOrg', 'AT2', 'reader', new Set());

const pkg = (over: Partial<ExtensionPackageRow> = {}): ExtensionPackageRow =>
  ({ id: 'EP1', owner_company_id: 'CO1', availability: 'development', status: 'succeeded', name: 'acme', platform: 'web', ...over }) as ExtensionPackageRow;

function setup(row: ExtensionPackageRow | undefined) {
  const { sut, mocks } = newTestService(ExtensionPackagesService, { 1: {} });
  const packages = mocks.get(ExtensionPackagesRepository);
  packages.findById.mockResolvedValue(row);
  packages.isAuthorized.mockResolvedValue(false);
  packages.update.mockImplementation((id, changes) => Promise.resolve({ ...row, id, ...changes } as ExtensionPackageRow));
  return { sut, packages };
}

describe('ExtensionPackagesService', () => {
  it.each([
    ['public', 'CO2'],
    ['private', 'CO1'],
    ['development', 'CO1'],
  ])('shows a %s package owned by %s to CO1', async (availability, owner) => {
    const { sut } = setup(pkg({ availability, owner_company_id: owner }));
    await expect(sut.get(manager, 'EP1')).resolves.toMatchObject({ id: 'EP1' });
  });

  it.each([
    ['private', 'CO2'],
    ['development', 'CO2'],
  ])('hides a %s package of another company (%s) as not-found', async (availability, owner) => {
    const { sut } = setup(pkg({ availability, owner_company_id: owner }));
    await expect(sut.get(manager, 'EP1')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('releases a succeeded development package privately', async () => {
    const { sut, packages } = setup(pkg());
    await expect(sut.act(manager, 'EP1', 'release_private')).resolves.toMatchObject({ availability: 'private' });
    expect(packages.update).toHaveBeenCalledWith('EP1', { availability: 'private' });
  });

  it.each([
    ['failed', 'development'],
    ['succeeded', 'private'],
  ])('refuses to release a %s %s package', async (status, availability) => {
    const { sut, packages } = setup(pkg({ status, availability }));
    await expect(sut.act(manager, 'EP1', 'release_private')).rejects.toMatchObject({ code: 'invalid-action' });
    expect(packages.update).not.toHaveBeenCalled();
  });

  it('leaves public release to the operator and refuses unknown actions', async () => {
    const { sut } = setup(pkg());
    await expect(sut.act(manager, 'EP1', 'release_public')).rejects.toMatchObject({ code: 'public-release-not-authorized' });
    await expect(sut.act(manager, 'EP1', 'shred')).rejects.toMatchObject({ code: 'invalid-action' });
  });

  it('discontinues a package of its own company only, with manage_extensions', async () => {
    const { sut, packages } = setup(pkg({ availability: 'public' }));
    await expect(sut.act(manager, 'EP1', 'discontinue')).resolves.toMatchObject({ discontinued: true });
    await expect(sut.act(reader, 'EP1', 'discontinue')).rejects.toMatchObject({ code: 'not-authorized' });
    const foreign = setup(pkg({ availability: 'public', owner_company_id: 'CO2' }));
    await expect(foreign.sut.act(manager, 'EP1', 'discontinue')).rejects.toMatchObject({ code: 'read-only' });
    expect(packages.update).toHaveBeenCalledTimes(1);
  });

  it('refuses a re-upload onto a released package before reading the zip', async () => {
    const { sut } = setup(pkg({ availability: 'private' }));
    await expect(sut.reupload(manager, 'EP1', Buffer.from('not a zip'))).rejects.toMatchObject({ code: 'read-only' });
  });

  it('lists the versions of a visible package by its name, for the caller company', async () => {
    const { sut, packages } = setup(pkg({ availability: 'public', owner_company_id: 'CO2' }));
    packages.listVisibleVersions.mockResolvedValue({ items: [], page: { number: 1, size: 25 }, total: 0 });
    await sut.versions(manager, 'EP1', {});
    expect(packages.listVisibleVersions).toHaveBeenCalledWith(expect.objectContaining({ companyId: 'CO1', orgId: 'org@AdobeOrg' }), expect.objectContaining({ id: 'EP1', name: 'acme' }), expect.anything(), expect.anything());
  });

  it('answers not-found for the versions of another company’s private package, without listing', async () => {
    const { sut, packages } = setup(pkg({ availability: 'private', owner_company_id: 'CO2' }));
    await expect(sut.versions(manager, 'EP1', {})).rejects.toMatchObject({ code: 'not-found' });
    expect(packages.listVisibleVersions).not.toHaveBeenCalled();
  });

  it('shows another company’s private package to an org with an approved usage authorization only', async () => {
    const shared = setup(pkg({ availability: 'private', owner_company_id: 'CO2' }));
    shared.packages.isAuthorized.mockResolvedValue(true);
    await expect(shared.sut.get(manager, 'EP1')).resolves.toMatchObject({ id: 'EP1' });
    expect(shared.packages.isAuthorized).toHaveBeenCalledWith('acme', 'org@AdobeOrg');
    const unreleased = setup(pkg({ availability: 'development', owner_company_id: 'CO2' }));
    unreleased.packages.isAuthorized.mockResolvedValue(true);
    await expect(unreleased.sut.get(manager, 'EP1')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses release and re-upload to an authorized org that does not own the package', async () => {
    const { sut, packages } = setup(pkg({ availability: 'private', owner_company_id: 'CO2' }));
    packages.isAuthorized.mockResolvedValue(true);
    await expect(sut.act(manager, 'EP1', 'discontinue')).rejects.toMatchObject({ code: 'read-only' });
    await expect(sut.reupload(manager, 'EP1', Buffer.from('not a zip'))).rejects.toMatchObject({ code: 'read-only' });
    expect(packages.update).not.toHaveBeenCalled();
  });
});

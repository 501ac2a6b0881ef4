import type { StatusDetails } from '@openexp/errors';
import type { BuildSnapshot } from '@openexp/queue-contracts';
import { AuditService } from '../audit/audit.service';
import { AuthContext, type Right } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { BuildRow, CompanyRow, EnvironmentRow, HostRow, LibraryRow, PropertyRow, RevisionedRow } from '../database/schema';
import type { EnvironmentView } from '../environments/environment-view';
import { EnvironmentsRepository } from '../environments/environments.repository';
import { HostsRepository } from '../hosts/hosts.repository';
import { LibrariesRepository } from '../libraries/libraries.repository';
import { LibraryResolver } from '../libraries/library-resolver';
import { WorkQueue } from '../queues/work-queue';
import { RevisionedRepository } from '../revisioned/revisioned.repository';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { BuildsRepository } from './builds.repository';
import { BuildsService } from './builds.service';
import { SnapshotBuilder } from './snapshot.builder';

const as = (...rights: Right[]) => new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set(rights));
const library = (over: Partial<LibraryRow> = {}): LibraryRow => ({ id: 'LB1', property_id: 'PR1', environment_id: 'EN1', state: 'development', last_build_id: null, ...over }) as LibraryRow;
const environment = (stage: string): EnvironmentRow => ({ id: 'EN1', property_id: 'PR1', host_id: 'HT1', stage, archive: false }) as EnvironmentRow;
const extension = (id: string, revision: number, version: string, published = false) =>
  ({ id, origin_id: 'EXh', name: 'acme', version, revision_number: revision, published, deleted_at: null, type: 'extensions' }) as RevisionedRow;

function setup(lib: LibraryRow, stage = 'development') {
  const { sut, mocks } = newTestService(BuildsService);
  const scope = mocks.get(ScopeRepository);
  const repo = mocks.get(BuildsRepository);
  const environments = mocks.get(EnvironmentsRepository);
  const resolver = mocks.get(LibraryResolver);
  scope.library.mockResolvedValue(lib);
  scope.environment.mockResolvedValue(environment(stage));
  scope.property.mockResolvedValue({ id: 'PR1', company_id: 'CO1', platform: 'web' } as PropertyRow);
  scope.company.mockResolvedValue({ id: 'CO1' } as CompanyRow);
  mocks.get(HostsRepository).findById.mockResolvedValue({ id: 'HT1', status: 'succeeded', type_of: 'sftp' } as HostRow);
  environments.view.mockResolvedValue({ publicPath: '/p' } as EnvironmentView);
  environments.findById.mockResolvedValue(undefined);
  resolver.upstreamOf.mockResolvedValue(undefined);
  resolver.resolve.mockResolvedValue(new Map());
  mocks.get(RevisionedRepository).extensionRevisions.mockResolvedValue([]);
  repo.insert.mockImplementation((_tx, row) => Promise.resolve(row as BuildRow));
  repo.insertResources.mockResolvedValue(undefined);
  mocks.get(LibrariesRepository).update.mockResolvedValue(lib);
  mocks.get(SnapshotBuilder).build.mockResolvedValue({} as BuildSnapshot);
  mocks.get(AuditService).record.mockResolvedValue(undefined);
  const queue = mocks.get(WorkQueue);
  queue.enqueueOrMarkFailed.mockResolvedValue(undefined);
  return { sut, mocks, scope, repo, resolver, queue };
}

describe('BuildsService.create', () => {
  it('creates a pending build of the resolved contents, points the library at it and queues its job', async () => {
    const { sut, repo, mocks, queue, resolver } = setup(library());
    const contents = new Map([['EXh', extension('EX1', 1, '1.0.0')]]);
    resolver.resolve.mockResolvedValue(contents);
    const view = await sut.create(as('develop'), 'LB1');
    expect(view.row).toMatchObject({ status: 'pending', library_id: 'LB1', environment_id: 'EN1', stage: 'development', host_type_of: 'sftp' });
    expect(resolver.resolve).toHaveBeenCalledWith(library(), TEST_TX);
    expect(repo.insertResources).toHaveBeenCalledWith(TEST_TX, view.row.id, [...contents.values()]);
    expect(mocks.get(LibrariesRepository).update).toHaveBeenCalledWith(TEST_TX, 'LB1', expect.objectContaining({ last_build_id: view.row.id }));
    expect(queue.enqueueOrMarkFailed).toHaveBeenCalledWith({ name: 'build-library', data: { buildId: view.row.id, snapshot: {} } }, expect.any(Function));
  });

  it('marks the build failed when its job cannot be queued', async () => {
    const { sut, repo, queue } = setup(library());
    const details = { errors: [] } as unknown as StatusDetails;
    queue.enqueueOrMarkFailed.mockImplementation((_item, markFailed) => markFailed(details));
    repo.markFailed.mockResolvedValue(undefined);
    const view = await sut.create(as('develop'), 'LB1');
    expect(repo.markFailed).toHaveBeenCalledWith(view.row.id, details);
  });

  it('refuses a library without environment before anything else', async () => {
    const { sut, scope, repo } = setup(library({ environment_id: null }));
    await expect(sut.create(as('develop'), 'LB1')).rejects.toMatchObject({ code: 'environment-required' });
    expect(scope.environment).not.toHaveBeenCalled();
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('refuses a mobile property at once, naming the platform, before any other check or write', async () => {
    const { sut, scope, repo, queue } = setup(library({ environment_id: null }));
    scope.property.mockResolvedValue({ id: 'PR1', company_id: 'CO1', platform: 'mobile' } as PropertyRow);
    await expect(sut.create(as('develop'), 'LB1')).rejects.toMatchObject({ code: 'platform-not-supported', meta: { platform: 'mobile' }, detail: expect.stringContaining('a mobile property') });
    expect(repo.insert).not.toHaveBeenCalled();
    expect(queue.enqueueOrMarkFailed).not.toHaveBeenCalled();
  });

  it('builds an edge property (event forwarding, turbine-edge)', async () => {
    const { sut, scope, queue } = setup(library());
    scope.property.mockResolvedValue({ id: 'PR1', company_id: 'CO1', platform: 'edge' } as PropertyRow);
    await sut.create(as('develop'), 'LB1');
    expect(queue.enqueueOrMarkFailed).toHaveBeenCalledTimes(1);
  });

  it('takes the right of the environment stage: publish for production', async () => {
    const { sut, repo } = setup(library({ state: 'approved' }), 'production');
    await expect(sut.create(as('develop', 'approve'), 'LB1')).rejects.toMatchObject({ code: 'not-authorized' });
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('refuses when the upstream has no succeeded build (its last build status read)', async () => {
    const { sut, resolver, mocks, repo } = setup(library());
    resolver.upstreamOf.mockResolvedValue(library({ id: 'LB0', state: 'submitted', last_build_id: 'BL0' }));
    mocks.get(LibrariesRepository).lastBuildStatus.mockResolvedValue('failed');
    await expect(sut.create(as('develop'), 'LB1')).rejects.toMatchObject({ code: 'upstream-build-required' });
    expect(mocks.get(LibrariesRepository).lastBuildStatus).toHaveBeenCalledWith('BL0');
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('refuses contents without an upgrade that is not in production yet, in the build transaction', async () => {
    const { sut, mocks, repo, resolver } = setup(library());
    resolver.resolve.mockResolvedValue(new Map([['EXh', extension('EX1', 1, '1.0.0', true)]]));
    mocks.get(RevisionedRepository).extensionRevisions.mockResolvedValue([extension('EXh', 0, '2.0.0'), extension('EX1', 1, '1.0.0', true), extension('EX2', 2, '2.0.0')]);
    await expect(sut.create(as('develop'), 'LB1')).rejects.toMatchObject({ code: 'upgraded-extension-required' });
    expect(mocks.get(RevisionedRepository).extensionRevisions).toHaveBeenCalledWith(TEST_TX, 'PR1');
    expect(repo.insert).not.toHaveBeenCalled();
  });
});

import { AuditService } from '../audit/audit.service';
import { AuthContext, type Right } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { EnvironmentRow, LibraryRow, PropertyRow } from '../database/schema';
import { EnvironmentEvents } from '../environments/environment-events';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { LibrariesRepository } from './libraries.repository';
import { LibrariesService } from './libraries.service';
import { LibraryContents } from './library-contents';
import { LibraryResolver } from './library-resolver';
import { LibraryStaleness } from './library-staleness';

const as = (...rights: Right[]) => new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set(rights));
const library = (over: Partial<LibraryRow> = {}): LibraryRow =>
  ({ id: 'LB1', property_id: 'PR1', environment_id: null, name: 'lib', state: 'development', last_build_id: null, build_required: true, ...over }) as LibraryRow;
const environment = (over: Partial<EnvironmentRow> = {}): EnvironmentRow => ({ id: 'EN1', property_id: 'PR1', stage: 'development', ...over }) as EnvironmentRow;
const noResources = { extensions: [], data_elements: [], rules: [] };

function setup() {
  const { sut, mocks } = newTestService(LibrariesService);
  const repo = mocks.get(LibrariesRepository);
  const scope = mocks.get(ScopeRepository);
  const contents = mocks.get(LibraryContents);
  const staleness = mocks.get(LibraryStaleness);
  scope.property.mockResolvedValue({ id: 'PR1' } as PropertyRow);
  repo.insert.mockImplementation((_tx, row) => Promise.resolve(row as LibraryRow));
  repo.update.mockImplementation((_tx, id, changes) => Promise.resolve(library({ id, ...changes } as Partial<LibraryRow>)));
  repo.lastBuildStatus.mockResolvedValue(undefined);
  mocks.get(LibraryResolver).upstreamOf.mockResolvedValue(undefined);
  mocks.get(AuditService).record.mockResolvedValue(undefined);
  contents.revised.mockImplementation((_tx, _auth, _library, _type, items) => Promise.resolve(items.map((i) => i.id)));
  contents.resolve.mockResolvedValue([]);
  contents.checkOrigins.mockReturnValue(undefined);
  contents.insert.mockResolvedValue(undefined);
  staleness.upstreams.mockResolvedValue(new Map());
  staleness.markUpstreamChanged.mockResolvedValue(undefined);
  return { sut, mocks, repo, scope, staleness };
}

describe('LibrariesService', () => {
  it('creates a development library that needs a build, in one transaction, and records it', async () => {
    const { sut, repo, mocks } = setup();
    const view = await sut.create(as('develop'), 'PR1', { name: 'lib', environmentId: null, resources: noResources });
    expect(repo.insert).toHaveBeenCalledWith(TEST_TX, expect.objectContaining({ property_id: 'PR1', state: 'development', build_required: true, environment_id: null }));
    expect(view.row.name).toBe('lib');
    expect(mocks.get(AuditService).record).toHaveBeenCalledWith(TEST_TX, expect.objectContaining({ entityType: 'libraries', action: 'created' }));
  });

  it('refuses to create without the develop right, before writing', async () => {
    const { sut, repo } = setup();
    await expect(sut.create(as('approve'), 'PR1', { name: 'lib', environmentId: null, resources: noResources })).rejects.toMatchObject({ code: 'not-authorized' });
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it.each([
    ['of another property', environment({ property_id: 'PR2' }), 'not-found'],
    ['of the wrong stage', environment({ stage: 'staging' }), 'validation-error'],
  ])('refuses an environment %s at its pointer and creates nothing', async (_what, env, code) => {
    const { sut, repo, scope } = setup();
    scope.environment.mockResolvedValue(env);
    await expect(sut.create(as('develop'), 'PR1', { name: 'lib', environmentId: 'EN1', resources: noResources })).rejects.toMatchObject({
      code,
      pointer: '/data/relationships/environment/data/id',
    });
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('claims the environment: another unpublished library using it refuses the claim', async () => {
    const { sut, repo, scope } = setup();
    scope.library.mockResolvedValue(library());
    scope.environment.mockResolvedValue(environment());
    repo.otherClaim.mockResolvedValue({ id: 'LB2', state: 'development' });
    await expect(sut.setEnvironment(as('develop'), 'LB1', 'EN1')).rejects.toMatchObject({ code: 'environment-in-use' });
    expect(repo.otherClaim).toHaveBeenCalledWith(TEST_TX, 'EN1', 'LB1');
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('claims a free environment: published libraries let go of it first', async () => {
    const { sut, repo, scope } = setup();
    scope.library.mockResolvedValue(library());
    scope.environment.mockResolvedValue(environment());
    repo.otherClaim.mockResolvedValue(undefined);
    repo.releaseEnvironment.mockResolvedValue(undefined);
    await expect(sut.setEnvironment(as('develop'), 'LB1', 'EN1')).resolves.toMatchObject({ environment_id: 'EN1' });
    expect(repo.releaseEnvironment).toHaveBeenCalledWith(TEST_TX, 'EN1', 'LB1');
  });

  it('submits only after a succeeded build of the current contents', async () => {
    const { sut, repo, scope } = setup();
    scope.library.mockResolvedValue(library({ last_build_id: 'BL1', build_required: false }));
    repo.lastBuildStatus.mockResolvedValue('failed');
    await expect(sut.transition(as('develop'), 'LB1', 'submit')).rejects.toMatchObject({ code: 'invalid-action' });
    expect(repo.lastBuildStatus).toHaveBeenCalledWith('BL1');
    repo.lastBuildStatus.mockResolvedValue('succeeded');
    await expect(sut.transition(as('develop'), 'LB1', 'submit')).resolves.toMatchObject({ row: { state: 'submitted' } });
  });

  it('a transition that moves upstreams marks the libraries whose upstream changed', async () => {
    const { sut, scope, staleness } = setup();
    scope.library.mockResolvedValue(library({ state: 'submitted', last_build_id: 'BL1' }));
    const before = new Map([['LB2', 'LB1']]);
    staleness.upstreams.mockResolvedValue(before);
    await sut.transition(as('approve'), 'LB1', 'reject');
    expect(staleness.markUpstreamChanged).toHaveBeenCalledWith(TEST_TX, 'PR1', before, 'LB1');
  });

  it('refuses a transition without its right', async () => {
    const { sut, scope, repo } = setup();
    scope.library.mockResolvedValue(library({ state: 'submitted' }));
    await expect(sut.transition(as('develop'), 'LB1', 'reject')).rejects.toMatchObject({ code: 'not-authorized' });
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('lets go of a deleted environment: the listener it registers releases it in the deleting transaction', async () => {
    const { sut, mocks, repo } = setup();
    const events = mocks.get(EnvironmentEvents);
    events.onRemoving.mockReturnValue(undefined);
    events.answerAssignedLibraries.mockReturnValue(undefined);
    mocks.get(AuditService).register.mockReturnValue(undefined);
    sut.onModuleInit();
    const listener = events.onRemoving.mock.calls[0]?.[0];
    repo.releaseEnvironment.mockResolvedValue(undefined);
    await listener?.(TEST_TX, 'EN9');
    expect(repo.releaseEnvironment).toHaveBeenCalledWith(TEST_TX, 'EN9');
  });

  it('answers which library is assigned to environments, through the lookup it registers', async () => {
    const { sut, mocks, repo } = setup();
    const events = mocks.get(EnvironmentEvents);
    events.onRemoving.mockReturnValue(undefined);
    events.answerAssignedLibraries.mockReturnValue(undefined);
    mocks.get(AuditService).register.mockReturnValue(undefined);
    sut.onModuleInit();
    const lookup = events.answerAssignedLibraries.mock.calls[0]?.[0];
    repo.assignedTo.mockResolvedValue(new Map([['EN1', 'LB1']]));
    await expect(lookup?.(TEST_TX, ['EN1', 'EN2'])).resolves.toEqual(new Map([['EN1', 'LB1']]));
    expect(repo.assignedTo).toHaveBeenCalledWith(TEST_TX, ['EN1', 'EN2']);
  });

  it('lists the libraries holding a revision with the list grammar: filter, sort and page reach the repository parsed', async () => {
    const { sut, repo } = setup();
    repo.listHolding.mockResolvedValue({ items: [library()], page: { number: 2, size: 1 }, total: 2 });
    const page = await sut.listHolding('RL1', { 'filter[name]': 'EQ lib', sort: '-name', 'page[number]': '2', 'page[size]': '1' });
    expect(repo.listHolding).toHaveBeenCalledWith(
      'RL1',
      { filters: [{ attribute: 'name', terms: [{ op: 'EQ', value: 'lib' }] }], sort: [{ attribute: 'name', descending: true }], page: { number: 2, size: 1 } },
      expect.objectContaining({ name: 'text' }),
    );
    expect(page.items.map((v) => v.row.id)).toEqual(['LB1']);
  });
});

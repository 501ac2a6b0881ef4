import type { StatusDetails } from '@openexp/errors';
import { AuditService } from '../audit/audit.service';
import { AuthContext, type Right } from '../auth/rights';
import { RequestRelationships } from '../common/request-relationships';
import { ScopeRepository } from '../common/scope.repository';
import type { BuildRow, EnvironmentRow, HostRow } from '../database/schema';
import type { EnvironmentView } from '../environments/environment-view';
import { HostsRepository } from '../hosts/hosts.repository';
import { EnvironmentsService } from '../environments/environments.service';
import { WorkQueue } from '../queues/work-queue';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { BuildRepublish } from './build-republish';
import type { BuildView } from './builds.presenter';
import { BuildsRepository } from './builds.repository';
import { BuildsService } from './builds.service';

const as = (...rights: Right[]) => new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set(rights));
const build = { id: 'BL1', library_id: 'LB1', environment_id: 'EN1', property_id: 'PR1', stage: 'production', archive: false, token: 't', created_at: new Date(0), republish_sequence: 3 } as BuildRow;
const body = (action: string) => ({ data: { id: 'BL1', type: 'builds', meta: { action } } });

function setup(recent = ['BL1']) {
  const { sut, mocks } = newTestService(BuildRepublish);
  const repo = mocks.get(BuildsRepository);
  mocks.get(ScopeRepository).build.mockResolvedValue(build);
  mocks.get(RequestRelationships).check.mockResolvedValue(undefined);
  const view = { row: { id: 'EN1', host_id: 'HT1', archive: false, token: 'e' } as EnvironmentRow, hostTypeOf: 'akamai', companyToken: 'c', propertyToken: 'p' } as EnvironmentView;
  mocks.get(EnvironmentsService).get.mockResolvedValue(view);
  mocks.get(HostsRepository).findById.mockResolvedValue({ id: 'HT1', name: 'akamai' } as HostRow);
  repo.recentSucceededProduction.mockResolvedValue(recent);
  repo.requestRepublish.mockResolvedValue({ ...build, republish_sequence: 4 });
  mocks.get(BuildsService).view.mockResolvedValue({ row: build } as BuildView);
  mocks.get(AuditService).record.mockResolvedValue(undefined);
  const queue = mocks.get(WorkQueue);
  queue.enqueueOrMarkFailed.mockResolvedValue(undefined);
  return { sut, repo, queue };
}

describe('BuildRepublish', () => {
  it('bumps the request sequence in a transaction and queues the job under it', async () => {
    const { sut, repo, queue } = setup();
    await sut.republish(as('publish'), 'BL1', body('republish'));
    expect(repo.requestRepublish).toHaveBeenCalledWith(TEST_TX, 'BL1', expect.any(Date));
    expect(repo.recentSucceededProduction).toHaveBeenCalledWith('EN1', 5);
    expect(queue.enqueueOrMarkFailed).toHaveBeenCalledWith(expect.objectContaining({ name: 'republish-build', data: expect.objectContaining({ republishSequence: 4 }) }), expect.any(Function));
  });

  it('marks only its own request failed when the job cannot be queued', async () => {
    const { sut, repo, queue } = setup();
    const details = { errors: [] } as unknown as StatusDetails;
    queue.enqueueOrMarkFailed.mockImplementation((_item, markFailed) => markFailed(details));
    repo.markRepublishFailed.mockResolvedValue(undefined);
    await sut.republish(as('publish'), 'BL1', body('republish'));
    expect(repo.markRepublishFailed).toHaveBeenCalledWith('BL1', 4, details);
  });

  it.each([
    ['another action', as('publish'), body('rebuild'), 'invalid-action'],
    ['no publish right', as('develop', 'approve'), body('republish'), 'not-authorized'],
  ])('refuses %s before any change', async (_what, auth, request, code) => {
    const { sut, repo } = setup();
    await expect(sut.republish(auth, 'BL1', request)).rejects.toMatchObject({ code });
    expect(repo.requestRepublish).not.toHaveBeenCalled();
  });

  it('refuses a build that is not among the latest succeeded production builds', async () => {
    const { sut, repo } = setup(['BL7', 'BL6']);
    await expect(sut.republish(as('publish'), 'BL1', body('republish'))).rejects.toMatchObject({ code: 'invalid-action' });
    expect(repo.requestRepublish).not.toHaveBeenCalled();
  });
});

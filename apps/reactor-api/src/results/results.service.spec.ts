import type { BuildResult, RepublishResult } from '@openexp/queue-contracts';
import { BuildsRepository } from '../builds/builds.repository';
import type { BuildRow, LibraryRow } from '../database/schema';
import { LibrariesRepository } from '../libraries/libraries.repository';
import { LibraryResourcesRepository } from '../libraries/library-resources.repository';
import { LibraryStaleness } from '../libraries/library-staleness';
import { RevisionedRepository } from '../revisioned/revisioned.repository';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { ResultsService } from './results.service';

const build = (over: Partial<BuildRow> = {}): BuildRow => ({ id: 'BL1', library_id: 'LB1', stage: 'production', status: 'pending', republish_sequence: 2, republish_status: 'pending', ...over }) as BuildRow;
const succeeded = { buildId: 'BL1', status: 'succeeded', files: ['a.js'], failures: [], attempt: 1 } as unknown as BuildResult;

function setup(row: BuildRow | undefined, library?: LibraryRow) {
  const { sut, mocks } = newTestService(ResultsService);
  const builds = mocks.get(BuildsRepository);
  const libraries = mocks.get(LibrariesRepository);
  builds.findForUpdate.mockResolvedValue(row);
  builds.setResult.mockResolvedValue(undefined);
  builds.setRepublishResult.mockResolvedValue(undefined);
  libraries.findForUpdate.mockResolvedValue(library);
  libraries.update.mockResolvedValue(library as LibraryRow);
  mocks.get(LibraryStaleness).upstreams.mockResolvedValue(new Map());
  mocks.get(LibraryStaleness).markUpstreamChanged.mockResolvedValue(undefined);
  mocks.get(LibraryResourcesRepository).ownIds.mockResolvedValue(['RL2', 'DE2']);
  mocks.get(RevisionedRepository).markPublished.mockResolvedValue(undefined);
  return { sut, builds, libraries, mocks };
}

describe('ResultsService', () => {
  it('drops a result of a deleted build and leaves a finished build unchanged, writing nothing', async () => {
    await expect(setup(undefined).sut.applyBuild(succeeded)).resolves.toBe('dropped');
    const finished = setup(build({ status: 'succeeded' }));
    await expect(finished.sut.applyBuild(succeeded)).resolves.toBe('unchanged');
    expect(finished.builds.setResult).not.toHaveBeenCalled();
  });

  it('a succeeded production build of the approved library publishes it and its own revisions', async () => {
    const { sut, builds, libraries, mocks } = setup(build(), { id: 'LB1', property_id: 'PR1', state: 'approved', last_build_id: 'BL1' } as LibraryRow);
    await expect(sut.applyBuild(succeeded)).resolves.toBe('applied');
    expect(builds.setResult).toHaveBeenCalledWith(TEST_TX, 'BL1', { status: 'succeeded', details: null, files: ['a.js'] }, expect.any(Date));
    expect(libraries.update).toHaveBeenCalledWith(TEST_TX, 'LB1', expect.objectContaining({ state: 'published' }));
    expect(mocks.get(LibraryStaleness).markUpstreamChanged).toHaveBeenCalledWith(TEST_TX, 'PR1', new Map(), 'LB1');
    expect(mocks.get(RevisionedRepository).markPublished).toHaveBeenCalledWith(TEST_TX, ['RL2', 'DE2'], expect.any(Date));
  });

  it('a build that is no longer the library last build changes only the build', async () => {
    const { sut, libraries, mocks } = setup(build(), { id: 'LB1', property_id: 'PR1', state: 'approved', last_build_id: 'BL9' } as LibraryRow);
    await expect(sut.applyBuild(succeeded)).resolves.toBe('applied');
    expect(libraries.update).not.toHaveBeenCalled();
    expect(mocks.get(RevisionedRepository).markPublished).not.toHaveBeenCalled();
  });

  it('applies only the latest republish request, while pending', async () => {
    const result = { buildId: 'BL1', republishSequence: 1, status: 'succeeded', failures: [], attempt: 1 } as unknown as RepublishResult;
    const older = setup(build());
    await expect(older.sut.applyRepublish(result)).resolves.toBe('dropped');
    const latest = setup(build());
    await expect(latest.sut.applyRepublish({ ...result, republishSequence: 2 })).resolves.toBe('applied');
    expect(latest.builds.setRepublishResult).toHaveBeenCalledWith(TEST_TX, 'BL1', 'succeeded', null);
    expect(older.builds.setRepublishResult).not.toHaveBeenCalled();
  });
});

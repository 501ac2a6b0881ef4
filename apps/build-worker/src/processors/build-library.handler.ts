import { Inject, Injectable } from '@nestjs/common';
import { type BuildLibraryJob, JobName } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { LibraryBuilding } from '../build/threaded-library-builder';
import type { LibraryDeployer } from '../deploy/library-deployer';
import { ResultsPublisher } from '../queue/results.publisher';
import type { JobHandler } from './job-handler';
import { attemptOf, settleJob } from './job-settlement';
import { LIBRARY_BUILDER, LIBRARY_DEPLOYER } from './tokens';

/**
 * Builds a library from its snapshot and deploys it (as one ZIP for archive environments).
 * Idempotent: the snapshot fixes the build token, so a retry or a recovered stalled job writes the
 * same files to the same build directory.
 */
@Injectable()
export class BuildLibraryHandler implements JobHandler<JobName.BuildLibrary> {
  readonly jobName = JobName.BuildLibrary;
  private readonly logger: Logger;

  constructor(
    @Inject(LIBRARY_BUILDER) private readonly builder: LibraryBuilding,
    @Inject(LIBRARY_DEPLOYER) private readonly deployer: LibraryDeployer,
    private readonly results: ResultsPublisher,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ component: 'build-library' });
  }

  async handle(job: Job<BuildLibraryJob>): Promise<void> {
    const { buildId, snapshot } = job.data;
    const log = this.logger.child({ jobId: job.id, buildId });
    const base = { buildId, libraryId: snapshot.library.id, environmentId: snapshot.environment.id };
    await settleJob(
      job,
      log,
      async () => {
        const archive = snapshot.environment.archive ?? null;
        log.info({ attempt: attemptOf(job), host: snapshot.host.type, archive: archive !== null }, `Build ${buildId} of library ${snapshot.library.id} started`);
        const library = await this.builder.build(snapshot);
        const files = await this.deployer.deploy(snapshot.host, library, archive);
        await this.results.publish({
          name: JobName.BuildResult,
          data: { ...base, status: 'succeeded', failures: [], files, attempt: attemptOf(job), finishedAt: new Date().toISOString() },
        });
      },
      (failures) =>
        this.results.publish({
          name: JobName.BuildResult,
          data: { ...base, status: 'failed', failures, files: [], attempt: attemptOf(job), finishedAt: new Date().toISOString() },
        }),
    );
  }
}

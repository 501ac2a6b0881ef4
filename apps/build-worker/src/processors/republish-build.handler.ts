import { Inject, Injectable } from '@nestjs/common';
import { JobName, type RepublishBuildJob } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { LibraryDeployer } from '../deploy/library-deployer';
import { ResultsPublisher } from '../queue/results.publisher';
import type { JobHandler } from './job-handler';
import { attemptOf, settleJob } from './job-settlement';
import { LIBRARY_DEPLOYER } from './tokens';

/**
 * Republishes a build: its production files become the current entries again. Idempotent (the
 * same copies are rewritten) and ordered by request time against builds and other republishes.
 */
@Injectable()
export class RepublishBuildHandler implements JobHandler<JobName.RepublishBuild> {
  readonly jobName = JobName.RepublishBuild;
  private readonly logger: Logger;

  constructor(
    @Inject(LIBRARY_DEPLOYER) private readonly deployer: LibraryDeployer,
    private readonly results: ResultsPublisher,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ component: 'republish-build' });
  }

  async handle(job: Job<RepublishBuildJob>): Promise<void> {
    const { buildId, republishSequence } = job.data;
    const log = this.logger.child({ jobId: job.id, buildId });
    const base = { buildId, republishSequence };
    await settleJob(
      job,
      log,
      async () => {
        const files = await this.deployer.republish(job.data);
        if (files.length === 0) {
          log.info({ attempt: attemptOf(job) }, `Republish ${republishSequence} of build ${buildId} superseded by a later build or republish`);
        } else {
          log.info({ attempt: attemptOf(job) }, `Build ${buildId} republished to environment ${job.data.environment.id}`);
        }
        await this.results.publish({
          name: JobName.RepublishResult,
          data: { ...base, status: 'succeeded', failures: [], files, attempt: attemptOf(job), finishedAt: new Date().toISOString() },
        });
      },
      (failures) =>
        this.results.publish({
          name: JobName.RepublishResult,
          data: { ...base, status: 'failed', failures, files: [], attempt: attemptOf(job), finishedAt: new Date().toISOString() },
        }),
    );
  }
}

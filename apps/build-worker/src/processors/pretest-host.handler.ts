import { Inject, Injectable } from '@nestjs/common';
import { JobName, type PretestHostJob } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { HostPretester } from '../pretest/host-pretester';
import { ResultsPublisher } from '../queue/results.publisher';
import type { JobHandler } from './job-handler';
import { settleJob } from './job-settlement';
import { HOST_PRETESTER } from './tokens';

/** Pretests an SFTP host's credentials and path. */
@Injectable()
export class PretestHostHandler implements JobHandler<JobName.PretestHost> {
  readonly jobName = JobName.PretestHost;
  private readonly logger: Logger;

  constructor(
    @Inject(HOST_PRETESTER) private readonly pretester: HostPretester,
    private readonly results: ResultsPublisher,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ component: 'host-pretest' });
  }

  async handle(job: Job<PretestHostJob>): Promise<void> {
    const { hostId, hostRevision } = job.data;
    await settleJob(
      job,
      this.logger.child({ jobId: job.id, hostId }),
      async () => {
        await this.pretester.pretest(job.data);
        await this.results.publish({
          name: JobName.HostPretestResult,
          data: { hostId, hostRevision, status: 'succeeded', failures: [], finishedAt: new Date().toISOString() },
        });
      },
      (failures) =>
        this.results.publish({
          name: JobName.HostPretestResult,
          data: { hostId, hostRevision, status: 'failed', failures, finishedAt: new Date().toISOString() },
        }),
    );
  }
}

import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { jobDispatcher, jobHandler, JobName, QueueName, type AnyJobHandler } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { startApiConsumer } from '../queues/api-consumer';
import { ResultsAudit } from './results-audit';
import { ResultsService, type ApplyOutcome } from './results.service';

/**
 * Consumes the `results` queue: the worker's outcomes for builds, republishes, extension packages
 * and host pretests, one handler per result job (checked at start-up). A thrown error (database
 * down) leaves the job to BullMQ's retries.
 */
@Injectable()
export class ResultsProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private instance: Worker<unknown, ApplyOutcome> | undefined;

  readonly handlers: readonly AnyJobHandler<ApplyOutcome>[] = [
    jobHandler(JobName.BuildResult, async (job) => {
      const outcome = await this.results.applyBuild(job.data);
      if (outcome === 'applied') {
        await this.audit.build(job.data.buildId);
      }
      return outcome;
    }),
    jobHandler(JobName.RepublishResult, async (job) => {
      const outcome = await this.results.applyRepublish(job.data);
      if (outcome === 'applied') {
        await this.audit.build(job.data.buildId, { library: false });
      }
      return outcome;
    }),
    jobHandler(JobName.ExtensionPackageResult, (job) => this.results.applyPackage(job.data)),
    jobHandler(JobName.HostPretestResult, async (job) => {
      const outcome = await this.results.applyHost(job.data);
      if (outcome === 'applied') {
        await this.audit.host(job.data.hostId);
      }
      return outcome;
    }),
  ];

  constructor(
    private readonly results: ResultsService,
    private readonly audit: ResultsAudit,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** The BullMQ worker once started (QueueShutdown force-closes it when Redis is down at shutdown). */
  get worker(): Worker<unknown, ApplyOutcome> {
    if (this.instance === undefined) {
      throw new Error('the results consumer has not started yet');
    }
    return this.instance;
  }

  onApplicationBootstrap(): void {
    const dispatch = jobDispatcher(QueueName.Results, this.handlers);
    this.instance = startApiConsumer<unknown, ApplyOutcome>(QueueName.Results, (job) => this.process(job, dispatch), this.config, this.logger, {
      concurrency: this.config.resultsConcurrency,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.instance?.close();
  }

  private async process(job: Job, dispatch: (job: Job) => Promise<ApplyOutcome>): Promise<ApplyOutcome> {
    const outcome = await dispatch(job);
    const log = { job_id: job.id, job: job.name, outcome };
    if (outcome === 'dropped') {
      this.logger.warn(log, 'result dropped: its resource is gone or the result is superseded');
    } else {
      this.logger.info(log, 'result processed');
    }
    return outcome;
  }
}

import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { JobName, QueueName, type JobItem } from '@openexp/queue-contracts';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { ResultsAudit } from './results-audit';
import { ResultsRepository, type ApplyOutcome } from './results.repository';

/**
 * Consumes the `results` queue: the worker's outcomes for builds, republishes, extension packages
 * and host pretests. A thrown error (database down) leaves the job to BullMQ's retries.
 */
@Processor(QueueName.Results)
export class ResultsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly results: ResultsRepository,
    private readonly audit: ResultsAudit,
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  /** The decorator is static; the configured concurrency is applied once the worker exists. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.resultsConcurrency;
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'results consumer error'));
  }

  async process(job: Job): Promise<ApplyOutcome> {
    const item = { name: job.name, data: job.data as unknown } as JobItem;
    const outcome = await this.apply(item);
    const log = { job_id: job.id, job: job.name, outcome };
    if (outcome === 'dropped') {
      this.logger.warn(log, 'result dropped: its resource is gone or the result is superseded');
    } else {
      this.logger.info(log, 'result processed');
    }
    return outcome;
  }

  private async apply(item: JobItem): Promise<ApplyOutcome> {
    switch (item.name) {
      case JobName.BuildResult: {
        const outcome = await this.results.applyBuild(item.data);
        if (outcome === 'applied') {
          await this.audit.build(item.data.buildId);
        }
        return outcome;
      }
      case JobName.RepublishResult: {
        const outcome = await this.results.applyRepublish(item.data);
        if (outcome === 'applied') {
          await this.audit.build(item.data.buildId, { library: false });
        }
        return outcome;
      }
      case JobName.ExtensionPackageResult:
        return this.results.applyPackage(item.data);
      case JobName.HostPretestResult: {
        const outcome = await this.results.applyHost(item.data);
        if (outcome === 'applied') {
          await this.audit.host(item.data.hostId);
        }
        return outcome;
      }
      default:
        throw new UnrecoverableError(`job ${item.name} does not belong on the results queue`);
    }
  }
}

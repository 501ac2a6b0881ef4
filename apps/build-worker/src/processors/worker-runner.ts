import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName } from '@openexp/queue-contracts';
import { Metrics, ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import { BUILD_WORKER_CONFIG, type BuildWorkerConfig } from '../config/build-worker.config';
import type { ServerKeysProvider } from '../keys/server-keys.provider';
import { BuildsProcessor } from './builds.processor';
import { ExtensionPackagesProcessor } from './extension-packages.processor';
import { handlerProblems } from './handler-check';
import { HostPretestsProcessor } from './host-pretests.processor';
import type { QueueConsumer } from './queue-consumer';
import { SERVER_KEYS } from './tokens';

/**
 * Starts the queue workers once the application is wired: refuses to start when a job has no
 * handler or two, applies per-queue concurrency and the stalled-job settings, and logs worker errors.
 * Workers are closed by @nestjs/bullmq on shutdown (in-flight jobs finish, the rest stay queued).
 */
@Injectable()
export class WorkerRunner implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    private readonly builds: BuildsProcessor,
    private readonly packages: ExtensionPackagesProcessor,
    private readonly pretests: HostPretestsProcessor,
    @Inject(BUILD_WORKER_CONFIG) private readonly config: BuildWorkerConfig,
    @Inject(SERVER_KEYS) private readonly keys: ServerKeysProvider,
    private readonly metrics: Metrics,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ component: 'workers' });
  }

  get consumers(): QueueConsumer[] {
    return [this.builds, this.packages, this.pretests];
  }

  async onApplicationBootstrap(): Promise<void> {
    const problems = handlerProblems(this.consumers);
    if (problems.length > 0) {
      throw new Error(`build-worker cannot start: ${problems.join('; ')}`);
    }
    // Created on first start (shared with reactor-api); a key that cannot be unlocked stops the start.
    const keys = await this.keys.get();
    this.logger.info({ fingerprint: keys.fingerprint }, 'server encryption key loaded');
    const concurrency: Record<string, number> = {
      [QueueName.Builds]: this.config.concurrency.builds,
      [QueueName.ExtensionPackages]: this.config.concurrency.extensionPackages,
      [QueueName.HostPretests]: this.config.concurrency.hostPretests,
    };
    const finished = this.metrics.counter('worker_jobs_total', 'Job attempts that ended, by queue, job and outcome (failed includes attempts retried later)', [
      'queue',
      'job',
      'outcome',
    ]);
    const duration = this.metrics.histogram('worker_job_duration_seconds', 'Processing time of completed jobs', ['queue', 'job'], [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]);
    const stalled = this.metrics.counter('worker_stalled_jobs_total', 'Jobs recovered from a dead worker', ['queue']);
    for (const consumer of this.consumers) {
      const worker = consumer.worker;
      // @Processor options are static, so the configured lock and stalled settings are applied here,
      // before run(). The lock manager copies its timings when created: re-create it (BullMQ's
      // documented extension point) so lock renewal follows the configured lock duration.
      Object.assign(worker.opts, {
        lockDuration: this.config.stalled.lockDurationMs,
        lockRenewTime: this.config.stalled.lockDurationMs / 2,
        stalledInterval: this.config.stalled.stalledIntervalMs,
        maxStalledCount: this.config.stalled.maxStalledCount,
      });
      (worker as unknown as { createLockManager(): void }).createLockManager();
      worker.concurrency = concurrency[consumer.queue] ?? 1;
      worker.on('error', (err) => this.logger.error({ err, queue: consumer.queue }, 'worker error'));
      worker.on('stalled', (jobId) => {
        stalled.inc({ queue: consumer.queue });
        this.logger.warn({ jobId, queue: consumer.queue }, 'stalled job put back in the queue');
      });
      worker.on('completed', (job) => {
        finished.inc({ queue: consumer.queue, job: job.name, outcome: 'completed' });
        duration.observe({ queue: consumer.queue, job: job.name }, ((job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now())) / 1000);
      });
      worker.on('failed', (job) => {
        finished.inc({ queue: consumer.queue, job: job?.name ?? 'unknown', outcome: 'failed' });
      });
      worker.run().catch((err: unknown) => this.logger.error({ err, queue: consumer.queue }, 'worker stopped with an error'));
      this.logger.info({ queue: consumer.queue, concurrency: worker.concurrency }, 'consuming');
    }
  }
}

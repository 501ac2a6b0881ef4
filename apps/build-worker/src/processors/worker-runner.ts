import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { handlerProblems, jobDispatcher, QueueName, startQueueConsumer } from '@openexp/queue-contracts';
import { Metrics, ROOT_LOGGER } from '@openexp/service-runtime';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { BUILD_WORKER_CONFIG, type BuildWorkerConfig } from '../config/build-worker.config';
import type { ServerKeysProvider } from '../keys/server-keys.provider';
import { AssetsProcessor } from './assets.processor';
import { BuildsProcessor } from './builds.processor';
import { ExtensionPackagesProcessor } from './extension-packages.processor';
import { HostPretestsProcessor } from './host-pretests.processor';
import { workerConnectionOptions } from '../queue/redis-connection';
import type { QueueConsumer } from './queue-consumer';
import { SERVER_KEYS } from './tokens';

/**
 * Starts the queue workers once the application is wired: refuses to start when a job has no
 * handler or two, starts one consumer per queue (queue-contracts' `startQueueConsumer`, with the
 * per-queue concurrency and the lock and stalled-job settings as constructor options) dispatching
 * from the checked handler list, and logs worker errors. On shutdown the workers are closed:
 * in-flight jobs finish, the rest stay queued.
 */
@Injectable()
export class WorkerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly workers: Worker[] = [];

  constructor(
    private readonly builds: BuildsProcessor,
    private readonly packages: ExtensionPackagesProcessor,
    private readonly pretests: HostPretestsProcessor,
    @Inject(BUILD_WORKER_CONFIG) private readonly config: BuildWorkerConfig,
    @Inject(SERVER_KEYS) private readonly keys: ServerKeysProvider,
    private readonly metrics: Metrics,
    @Inject(ROOT_LOGGER) root: Logger,
    /** Absent when the asset ingest is not configured (ASSET_CATALOG_ROOT unset). */
    @Optional() private readonly assets?: AssetsProcessor,
  ) {
    this.logger = root.child({ component: 'workers' });
  }

  get consumers(): QueueConsumer[] {
    return [this.builds, this.packages, this.pretests, ...(this.assets === undefined ? [] : [this.assets])];
  }

  async onApplicationBootstrap(): Promise<void> {
    const problems = this.consumers.flatMap((consumer) => handlerProblems(consumer.queue, consumer.handlers));
    if (problems.length > 0) {
      throw new Error(`build-worker cannot start: ${problems.join('; ')}`);
    }
    // Created on first start (shared with reactor-api); a key that cannot be unlocked stops the start.
    const keys = await this.keys.get();
    this.logger.info({ fingerprint: keys.fingerprint }, 'server encryption key loaded');
    const instrument = this.instrumentation();
    for (const consumer of this.consumers) {
      const worker = startQueueConsumer({
        queue: consumer.queue,
        process: jobDispatcher(consumer.queue, consumer.handlers),
        connection: workerConnectionOptions(this.config.redisUrl),
        prefix: this.config.queuePrefix,
        concurrency: this.concurrencyOf(consumer.queue),
        stalled: this.config.stalled,
        onError: (err) => this.logger.error({ err, queue: consumer.queue }, 'worker error'),
        beforeRun: (w) => instrument(w, consumer.queue),
      });
      this.workers.push(worker);
      this.logger.info({ queue: consumer.queue, concurrency: worker.concurrency }, 'consuming');
    }
  }

  private concurrencyOf(queue: QueueName): number {
    const concurrency: Partial<Record<QueueName, number>> = {
      [QueueName.Builds]: this.config.concurrency.builds,
      [QueueName.ExtensionPackages]: this.config.concurrency.extensionPackages,
      [QueueName.HostPretests]: this.config.concurrency.hostPretests,
      [QueueName.Assets]: this.config.assets?.concurrency,
    };
    return concurrency[queue] ?? 1;
  }

  /** Metrics and logs of every worker: job outcomes and durations, stalled jobs. */
  private instrumentation(): (worker: Worker, queue: QueueName) => void {
    const finished = this.metrics.counter('worker_jobs_total', 'Job attempts that ended, by queue, job and outcome (failed includes attempts retried later)', [
      'queue',
      'job',
      'outcome',
    ]);
    const duration = this.metrics.histogram('worker_job_duration_seconds', 'Processing time of completed jobs', ['queue', 'job'], [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]);
    const stalled = this.metrics.counter('worker_stalled_jobs_total', 'Jobs recovered from a dead worker', ['queue']);
    return (w, queue) => {
      w.on('stalled', (jobId) => {
        stalled.inc({ queue });
        this.logger.warn({ jobId, queue }, 'stalled job put back in the queue');
      });
      w.on('completed', (job) => {
        finished.inc({ queue, job: job.name, outcome: 'completed' });
        duration.observe({ queue, job: job.name }, ((job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now())) / 1000);
      });
      w.on('failed', (job) => {
        finished.inc({ queue, job: job?.name ?? 'unknown', outcome: 'failed' });
      });
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.close()));
  }
}

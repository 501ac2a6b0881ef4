import { UnrecoverableError, Worker, type Job, type RedisOptions, type WorkerOptions } from 'bullmq';
import { jobNamesOf, type JobOf } from './jobs';
import type { JobName, QueueName } from './names';

/*
 * The one way reactor-api and build-worker run a queue consumer: a BullMQ `Worker` built through its
 * public constructor with every option it needs (concurrency, job lock and stalled-job recovery,
 * custom backoff), and, for contract queues, a dispatcher built from a handler list checked at
 * start-up. Nothing here touches BullMQ internals: the options a Nest `@Processor` could only take
 * statically (and that had to be patched in after the fact) are plain constructor options here.
 */

/** Handles every job of one name of a contract queue. Exactly one per job name (checked at start-up). */
export interface JobHandler<N extends JobName = JobName, R = void> {
  readonly jobName: N;
  handle(job: Job<JobOf<N>>): Promise<R>;
}

/** A handler of any one job name: the element type of a queue's handler list. */
export type AnyJobHandler<R = void> = { [N in JobName]: JobHandler<N, R> }[JobName];

/** A handler from a name and a function, with the job's payload typed by the contract. */
export function jobHandler<N extends JobName, R>(jobName: N, handle: (job: Job<JobOf<N>>) => Promise<R>): JobHandler<N, R> {
  return { jobName, handle };
}

/**
 * Problems that must stop a consumer from starting: a job name of the queue without a handler or
 * with several, or a handler for a job that belongs to another queue. Empty when the list is sound.
 */
export function handlerProblems(queue: QueueName, handlers: readonly { readonly jobName: JobName }[]): string[] {
  const problems: string[] = [];
  const expected = jobNamesOf(queue);
  for (const name of expected) {
    const count = handlers.filter((h) => h.jobName === name).length;
    if (count !== 1) {
      problems.push(`queue "${queue}": job "${name}" has ${count} handlers (exactly 1 needed)`);
    }
  }
  for (const handler of handlers) {
    if (!expected.includes(handler.jobName)) {
      problems.push(`queue "${queue}": handler for "${handler.jobName}", which is not a job of this queue`);
    }
  }
  return problems;
}

/**
 * The processing function of a contract queue: each job goes to the handler of its name. Throws at
 * once when the list has problems ({@link handlerProblems}); a job whose name has no handler at run
 * time (queued by a newer or older producer) fails without retries.
 */
export function jobDispatcher<R>(queue: QueueName, handlers: readonly AnyJobHandler<R>[]): (job: Job) => Promise<R> {
  const problems = handlerProblems(queue, handlers);
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
  const byName = new Map<string, AnyJobHandler<R>>(handlers.map((h) => [h.jobName, h]));
  return (job) => {
    const handler = byName.get(job.name);
    if (handler === undefined) {
      return Promise.reject(new UnrecoverableError(`The ${queue} queue has no handler for job "${job.name}".`));
    }
    return handler.handle(job as Job<never>);
  };
}

/** Job lock and stalled-job recovery of a consumer (BullMQ `Worker` options). */
export interface StalledJobSettings {
  /** How long a job's lock lasts; it is renewed every half of this while the job runs (`lockDuration`). */
  lockDurationMs: number;
  /** How often locks are checked for jobs whose worker died (`stalledInterval`). */
  stalledIntervalMs: number;
  /** How many times a job may be recovered from a dead worker before it fails (`maxStalledCount`). */
  maxStalledCount: number;
}

export interface QueueConsumerOptions<Data, Result> {
  queue: string;
  process: (job: Job<Data>) => Promise<Result>;
  /** Redis connection; `maxRetriesPerRequest` is always `null` (BullMQ production guide: blocking commands wait through outages). */
  connection: RedisOptions;
  prefix: string;
  concurrency: number;
  /** BullMQ's defaults when absent (30 s lock). */
  stalled?: StalledJobSettings;
  /** Custom backoff strategy and the like. */
  settings?: WorkerOptions['settings'];
  /** Every worker error goes here: without an 'error' listener a Redis outage would crash the process. */
  onError: (error: Error) => void;
  /** Attaches further listeners before the first job can be taken. */
  beforeRun?: (worker: Worker<Data, Result>) => void;
}

/**
 * Starts consuming a queue. The caller closes the worker on shutdown (`close()` lets the jobs in
 * flight finish; the rest stay queued).
 */
export function startQueueConsumer<Data, Result>(options: QueueConsumerOptions<Data, Result>): Worker<Data, Result> {
  const { stalled } = options;
  const worker = new Worker<Data, Result>(options.queue, options.process, {
    connection: { ...options.connection, maxRetriesPerRequest: null },
    prefix: options.prefix,
    concurrency: options.concurrency,
    autorun: false,
    ...(stalled !== undefined
      ? {
          lockDuration: stalled.lockDurationMs,
          lockRenewTime: stalled.lockDurationMs / 2,
          stalledInterval: stalled.stalledIntervalMs,
          maxStalledCount: stalled.maxStalledCount,
        }
      : {}),
    ...(options.settings !== undefined ? { settings: options.settings } : {}),
  });
  worker.on('error', options.onError);
  options.beforeRun?.(worker);
  worker.run().catch((error: unknown) => options.onError(error instanceof Error ? error : new Error(String(error))));
  return worker;
}
